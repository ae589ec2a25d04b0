/** One HTTP request as the gateway sees it, whatever delivered it. */
export interface HttpRequest {
  method: string;
  path: string;
  /** The query string without `?`, as received. */
  rawQuery: string;
  /** Header names lower-cased; repeated headers joined with `, ` as HTTP allows. */
  headers: Record<string, string>;
  body: Buffer;
  sourceIp: string | undefined;
}
