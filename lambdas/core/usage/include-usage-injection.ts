import type { EndpointKind } from './endpoint-kind.js';

/** The body to send upstream, and whether Lookout asked for usage the client did not ask for. */
export interface PreparedUpstreamRequest {
  body: unknown;
  /** When true the usage tap must strip the usage the client did not ask for from the stream. */
  injectedIncludeUsage: boolean;
}

/**
 * Asks a streamed Chat Completion for its usage (`stream_options.include_usage`), which OpenAI
 * only sends when asked; without it a streamed request could not be metered. Returns the input
 * itself when nothing changes, else a shallow copy: the input is never mutated.
 */
export function prepareUpstreamRequest(kind: EndpointKind, body: unknown): PreparedUpstreamRequest {
  const unchanged = { body, injectedIncludeUsage: false };
  if (kind !== 'openai.chat' || !isRecord(body) || body.stream !== true) return unchanged;
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && !isRecord(streamOptions)) {
    // A malformed value is the client's to get an error for, not Lookout's to rewrite.
    return unchanged;
  }
  if (streamOptions?.include_usage === true) return unchanged;
  return {
    body: { ...body, stream_options: { ...streamOptions, include_usage: true } },
    injectedIncludeUsage: true,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
