/** An error Lookout itself answers with: JSON `{"error":{"code","message"}}` and an HTTP status. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/** The JSON body of a Lookout-made error response. */
export function gatewayErrorBody(error: GatewayError): string {
  return JSON.stringify({ error: { code: error.code, message: error.message } });
}
