/** An error Lookout itself answers with: JSON `{"error":{"code","message"}}` and an HTTP status. */
export class LookoutError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Response headers the answer carries besides the JSON (a 429's `Retry-After`). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'LookoutError';
  }
}

/** The JSON body of a Lookout-made error response. */
export function lookoutErrorBody(error: LookoutError): string {
  return JSON.stringify({ error: { code: error.code, message: error.message } });
}
