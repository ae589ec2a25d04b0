import { isJsonObject } from '../../usage/provider-json.js';
import type { PreparedUpstreamRequest } from '../wire-format.js';

/**
 * Asks a streamed Chat Completion for its usage (`stream_options.include_usage`), which OpenAI
 * only sends when asked; without it a streamed request could not be metered. Returns the input
 * itself when nothing changes, else a shallow copy: the input is never mutated.
 */
export function injectIncludeUsage(body: unknown): PreparedUpstreamRequest {
  const unchanged = { body, injectedIncludeUsage: false };
  if (!isJsonObject(body) || body.stream !== true) return unchanged;
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && !isJsonObject(streamOptions)) {
    // A malformed value is the client's to get an error for, not Lookout's to rewrite.
    return unchanged;
  }
  if (streamOptions?.include_usage === true) return unchanged;
  return {
    body: { ...body, stream_options: { ...streamOptions, include_usage: true } },
    injectedIncludeUsage: true,
  };
}
