/**
 * The dashboard's calls to the query API: the admin key as `Lookout-Auth`, and the API's
 * `{"error":{"code","message"}}` turned into an `ApiError` the views show as it is worded.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export class QueryApiClient {
  constructor(
    private readonly base: string,
    private readonly key: string,
  ) {}

  get<T>(path: string, query: Record<string, QueryValue> | URLSearchParams = {}): Promise<T> {
    return this.call<T>('GET', `${path}${queryString(query)}`);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  private async call<T>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${pathAndQuery}`, {
        method,
        headers: {
          'lookout-auth': `Bearer ${this.key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, 'unreachable', `The query API did not answer (${error instanceof Error ? error.message : String(error)}).`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ApiError(response.status, 'not_json', `The query API answered ${response.status} with something other than JSON.`);
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `The query API answered ${response.status}.`);
    }
    return json as T;
  }
}

function queryString(query: Record<string, QueryValue> | URLSearchParams): string {
  const params = query instanceof URLSearchParams ? new URLSearchParams(query) : new URLSearchParams();
  if (!(query instanceof URLSearchParams)) {
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
