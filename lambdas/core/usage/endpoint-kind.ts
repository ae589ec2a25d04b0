/**
 * The wire format of a provider endpoint, which decides where its usage is and how to read it:
 * - `openai.chat`: Chat Completions (JSON, or SSE chunks with a final usage chunk);
 * - `openai.responses`: the Responses API (JSON, or SSE with usage in `response.completed`);
 * - `openai.embeddings`: Embeddings (JSON only);
 * - `anthropic.messages`: Anthropic Messages (JSON, or SSE with `message_start`/`message_delta`);
 * - `other`: anything else; passed through untouched, no usage.
 */
export type EndpointKind = 'openai.chat' | 'openai.responses' | 'openai.embeddings' | 'anthropic.messages' | 'other';

/**
 * The endpoint kind of a request path (query string allowed). Only the path decides, because
 * OpenAI- and Anthropic-compatible providers serve the same wire format under the same path ends,
 * often behind a prefix (`/openai/v1/chat/completions`, Azure's `/openai/deployments/x/...`,
 * `/anthropic/v1/messages`). Sub-resources such as `/v1/responses/{id}` or
 * `/v1/messages/count_tokens` are `other`: they are not billed generations.
 */
export function classifyEndpoint(path: string): EndpointKind {
  const query = path.search(/[?#]/);
  const pathname = (query === -1 ? path : path.slice(0, query)).replace(/\/+$/, '');
  if (pathname.endsWith('/chat/completions')) return 'openai.chat';
  if (pathname.endsWith('/responses')) return 'openai.responses';
  if (pathname.endsWith('/embeddings')) return 'openai.embeddings';
  if (pathname.endsWith('/v1/messages')) return 'anthropic.messages';
  return 'other';
}
