/** The headers that carry the request id on every gateway answer: `Lookout-Id`, and `Helicone-Id` for Helicone clients. */
export function requestIdHeaders(requestId: string): Record<string, string> {
  return { 'lookout-id': requestId, 'helicone-id': requestId };
}
