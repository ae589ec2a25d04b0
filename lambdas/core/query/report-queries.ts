import { parseExplicitWindow, parseLimitParameter, parseQueryString, rejectUnknownParameters } from './query-parameters.js';

/** A parsed `GET /v1/users` call. */
export interface UserRankingQuery {
  explicitWindow: { fromMs: number | undefined; toMs: number | undefined };
  limit: number;
}

export const DEFAULT_USER_RANKING_LIMIT = 50;
export const MAX_USER_RANKING_LIMIT = 1000;

/** Parses `GET /v1/users?from=&to=&limit=`. */
export function parseUserRankingQuery(rawQuery: string): UserRankingQuery {
  const params = parseQueryString(rawQuery);
  rejectUnknownParameters(params, (name) => name === 'from' || name === 'to' || name === 'limit');
  return {
    explicitWindow: parseExplicitWindow(params),
    limit: parseLimitParameter(params, DEFAULT_USER_RANKING_LIMIT, MAX_USER_RANKING_LIMIT),
  };
}

/** Parses `GET /v1/users/{id}/usage?from=&to=`. */
export function parseUserUsageQuery(rawQuery: string): { explicitWindow: { fromMs: number | undefined; toMs: number | undefined } } {
  const params = parseQueryString(rawQuery);
  rejectUnknownParameters(params, (name) => name === 'from' || name === 'to');
  return { explicitWindow: parseExplicitWindow(params) };
}

/** Checks a call that takes no query parameters (a session, a request, the OpenAPI document). */
export function parseNoQuery(rawQuery: string): void {
  rejectUnknownParameters(parseQueryString(rawQuery), () => false);
}
