/**
 * An SDK whose base URL is Lookout's root or `<lookout>/v1` calls `/v1/chat/completions` or
 * `/v1/messages`, which land on the query API. Its 404 then says where the proxy routes are, so a
 * wrong base URL is a one-line fix rather than a puzzle.
 */

/** The provider endpoints the official SDKs call, as they appear without a provider prefix. */
const PROVIDER_ENDPOINT =
  /^\/v1\/(chat\/completions|completions|responses|embeddings|messages|models|moderations|audio|images|files|batches|uploads|vector_stores|assistants|threads|fine_tuning)(\/|$)/;

/** The hint for a query API path that an SDK meant for a provider, or null for any other path. */
export function proxyRouteHint(path: string): string | null {
  if (!PROVIDER_ENDPOINT.test(path)) return null;
  return '/v1 is the query API. To send SDK calls through the gateway, set the base URL to <lookout>/openai/v1 for the OpenAI SDK or <lookout>/anthropic for the Anthropic SDK (/<provider>/v1 for other configured providers).';
}
