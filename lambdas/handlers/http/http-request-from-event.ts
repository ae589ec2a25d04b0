import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { HttpRequest } from '../../core/http/http-request.js';

/** Turns an API Gateway REST proxy event into an `HttpRequest`. */
export function httpRequestFromEvent(event: APIGatewayProxyEvent): HttpRequest {
  const headers: Record<string, string> = {};
  const multi = event.multiValueHeaders ?? {};
  // Keys are grouped by exact spelling, so `X-Tag` and `x-tag` arrive as two entries of one header.
  for (const [name, values] of Object.entries(multi)) {
    if (!values || values.length === 0) continue;
    const lower = name.toLowerCase();
    const joined = values.join(', ');
    headers[lower] = Object.hasOwn(headers, lower) ? `${headers[lower]}, ${joined}` : joined;
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined && !Object.hasOwn(headers, name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  const query = new URLSearchParams();
  const multiQuery = event.multiValueQueryStringParameters ?? {};
  for (const [name, values] of Object.entries(multiQuery)) for (const value of values ?? []) query.append(name, value);
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !query.has(name)) query.append(name, value);
  }
  const body = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path,
    rawQuery: query.toString(),
    headers,
    body,
    sourceIp: event.requestContext?.identity?.sourceIp,
  };
}
