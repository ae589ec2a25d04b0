import { DEFAULT_USER_RANKING_LIMIT, MAX_USER_RANKING_LIMIT } from './report-queries.js';
import { DEFAULT_REQUEST_LIST_LIMIT, MAX_REQUEST_LIST_LIMIT } from './request-list-query.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra });
const ok = (description: string, schema: object) => ({ description, content: json(schema) });

const errorResponses = {
  '400': { $ref: '#/components/responses/InvalidParameter' },
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
};

const windowParameters = [{ $ref: '#/components/parameters/from' }, { $ref: '#/components/parameters/to' }];

const usageTotalsProperties = {
  requests: { type: 'integer' },
  errors: { type: 'integer', description: 'Requests that did not end in a completed 2xx/3xx.' },
  promptTokens: { type: 'integer' },
  completionTokens: { type: 'integer' },
  cachedTokens: { type: 'integer' },
  totalTokens: { type: 'integer' },
  costUsd: { type: 'number', description: 'Cost of the priced requests. Requests with unknown prices are not in it: see unpricedRequests.' },
  unpricedRequests: { type: 'integer', description: 'Requests whose model has no known price (their cost is unknown, not zero).' },
};

const requestSummaryProperties = {
  id: { type: 'string', description: 'Equals the Lookout-Id / Helicone-Id response header the client got.' },
  createdAt: { type: 'string', format: 'date-time' },
  provider: { type: 'string' },
  model: nullable('string'),
  method: { type: 'string' },
  path: { type: 'string', description: 'The provider-side path, e.g. /v1/chat/completions.' },
  status: { type: 'integer', description: 'The HTTP status the client received.' },
  outcome: { enum: ['completed', 'cancelled', 'timeout', 'upstream_error', 'rejected'] },
  errorCode: nullable('string'),
  stream: { type: 'boolean' },
  latencyMs: { type: 'integer' },
  ttftMs: nullable('integer', { description: 'Time to the first byte, for streamed answers.' }),
  promptTokens: nullable('integer'),
  completionTokens: nullable('integer'),
  cachedTokens: nullable('integer'),
  cacheWriteTokens: nullable('integer'),
  totalTokens: nullable('integer'),
  costUsd: nullable('number', { description: 'Null when unknown (see unpriced); never 0 for an unknown price.' }),
  unpriced: { type: 'boolean', description: 'True when the model has no known price.' },
  userId: nullable('string'),
  sessionId: nullable('string'),
  sessionPath: nullable('string'),
  sessionName: nullable('string'),
  promptId: nullable('string'),
  properties: { type: 'object', additionalProperties: { type: 'string' }, description: 'Custom properties, names lower-case.' },
  cacheHit: { type: 'boolean' },
  rateLimited: { type: 'boolean' },
  keyName: nullable('string', { description: 'Name of the gateway key that made the request.' }),
  responseBodyTruncated: { type: 'boolean', description: 'The stored response body was cut at maxBodyBytes; the client received it whole.' },
};

const bodyEncoding = nullable('string', { enum: ['json', 'text', 'base64', 'url', null], description: 'json: parsed; text: as sent (e.g. an SSE stream); base64: bytes that are not UTF-8; url: over 2 MiB, download it from the *BodyUrl link (served with Content-Encoding: gzip, valid 15 minutes); null: not stored.' });
const bodyUrl = nullable('string', { format: 'uri', description: 'A signed link to a body too large to answer inline (encoding url); null otherwise.' });

/** The OpenAPI 3.1 description of the query API, served at `GET /v1/openapi.json`. */
export function queryApiOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lookout query API',
      version: '1',
      description:
        'Reads the request log of a Lookout gateway. Every /v1 endpoint except this document needs an admin gateway key ' +
        '(an app key gets 403). Errors are JSON {"error":{"code","message"}}; a malformed or unknown query parameter is a ' +
        '400 invalid_parameter whose message names it. Times are ISO-8601 or epoch milliseconds; from is inclusive, to ' +
        'exclusive; windows default to the retention period up to now and never reach further back than the retention.',
    },
    security: [{ lookoutAuth: [] }, { bearerAuth: [] }],
    paths: {
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Liveness check',
          security: [],
          responses: { '200': ok('Up', { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] }) },
        },
      },
      '/v1/openapi.json': {
        get: { operationId: 'openapi', summary: 'This document', security: [], responses: { '200': ok('OpenAPI 3.1 document', { type: 'object' }) } },
      },
      '/v1/requests': {
        get: {
          operationId: 'listRequests',
          summary: 'Logged requests, newest first',
          description:
            'Filters combine with AND. Add property.<name>=<value> (repeatable, one per property; names are case-insensitive) ' +
            'to filter on custom properties, e.g. property.environment=production. Pass nextCursor back as cursor, with the same ' +
            'filters, for the next page; null means there is nothing more. A page may hold fewer than limit requests (even none) ' +
            'while nextCursor is not null: each call reads a bounded number of log items.',
          parameters: [
            { name: 'userId', in: 'query', schema: { type: 'string' } },
            { name: 'sessionId', in: 'query', schema: { type: 'string' } },
            { name: 'model', in: 'query', schema: { type: 'string' }, description: 'The model id as the client sent it.' },
            { name: 'provider', in: 'query', schema: { type: 'string' }, example: 'openai' },
            {
              name: 'status',
              in: 'query',
              schema: { oneOf: [{ enum: ['ok', 'error'] }, { type: 'integer', minimum: 100, maximum: 599 }] },
              description: 'ok: a 2xx/3xx that completed; error: everything else; or one HTTP status code.',
            },
            { name: 'cacheHit', in: 'query', schema: { type: 'boolean' } },
            {
              name: 'property.{name}',
              in: 'query',
              schema: { type: 'string' },
              description: 'Stands for any parameter named property.<name>, e.g. property.environment=production.',
              'x-lookout-parameter-name-pattern': '^property\\.[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
            },
            ...windowParameters,
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_REQUEST_LIST_LIMIT, default: DEFAULT_REQUEST_LIST_LIMIT } },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page, unchanged.' },
          ],
          responses: { '200': ok('A page of requests', ref('RequestList')), ...errorResponses },
        },
      },
      '/v1/requests/{id}': {
        get: {
          operationId: 'getRequest',
          summary: 'One request with its request and response bodies',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': ok('The request', ref('RequestDetail')), ...errorResponses, '404': { $ref: '#/components/responses/NotFound' } },
        },
      },
      '/v1/users': {
        get: {
          operationId: 'listUsers',
          summary: 'Top users by cost in a time range',
          description:
            'Aggregated from the request log, newest first, reading at most a bounded number of requests; truncated is true ' +
            'when the bound was reached before the start of the window. Requests without a user id are not counted.',
          parameters: [...windowParameters, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_USER_RANKING_LIMIT, default: DEFAULT_USER_RANKING_LIMIT } }],
          responses: { '200': ok('Users, highest cost first', ref('UserRanking')), ...errorResponses },
        },
      },
      '/v1/users/{id}/usage': {
        get: {
          operationId: 'userUsage',
          summary: "One user's requests, errors, tokens and cost in a time range",
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, ...windowParameters],
          responses: { '200': ok('Usage (all zero when the user made no requests)', ref('UserUsage')), ...errorResponses },
        },
      },
      '/v1/sessions/{id}': {
        get: {
          operationId: 'getSession',
          summary: "A session's requests in order, its tree by Session-Path, and totals",
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': ok('The session', ref('Session')), ...errorResponses, '404': { $ref: '#/components/responses/NotFound' } },
        },
      },
    },
    components: {
      securitySchemes: {
        lookoutAuth: { type: 'apiKey', in: 'header', name: 'Lookout-Auth', description: 'Bearer <admin gateway key>. Helicone-Auth is accepted as an alias.' },
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <admin gateway key>, as Helicone clients send it.' },
      },
      parameters: {
        from: { name: 'from', in: 'query', schema: { type: 'string' }, description: 'Start (inclusive): ISO-8601 or epoch ms. Default: the start of the retention period.' },
        to: { name: 'to', in: 'query', schema: { type: 'string' }, description: 'End (exclusive): ISO-8601 or epoch ms. Default: now.' },
      },
      responses: {
        InvalidParameter: { description: 'A malformed or unknown query parameter', content: json(ref('Error')) },
        Unauthorized: { description: 'No key, or an invalid or revoked one', content: json(ref('Error')) },
        Forbidden: { description: 'An app key; this needs an admin key', content: json(ref('Error')) },
        NotFound: { description: 'No such resource', content: json(ref('Error')) },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
        },
        RequestSummary: { type: 'object', required: Object.keys(requestSummaryProperties), properties: requestSummaryProperties },
        RequestDetail: {
          allOf: [
            ref('RequestSummary'),
            {
              type: 'object',
              required: ['requestBody', 'responseBody', 'requestBodyEncoding', 'responseBodyEncoding', 'requestBodyUrl', 'responseBodyUrl'],
              properties: {
                requestBody: { description: 'Parsed JSON, text, or base64 (see requestBodyEncoding); null when omitted or not stored.' },
                responseBody: { description: 'As requestBody; a streamed answer is the SSE text.' },
                requestBodyEncoding: bodyEncoding,
                responseBodyEncoding: bodyEncoding,
                requestBodyUrl: bodyUrl,
                responseBodyUrl: bodyUrl,
              },
            },
          ],
        },
        RequestList: {
          type: 'object',
          required: ['requests', 'nextCursor'],
          properties: { requests: { type: 'array', items: ref('RequestSummary') }, nextCursor: nullable('string') },
        },
        UsageTotals: { type: 'object', required: Object.keys(usageTotalsProperties), properties: usageTotalsProperties },
        UserRanking: {
          type: 'object',
          required: ['from', 'to', 'users', 'truncated'],
          properties: {
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            users: {
              type: 'array',
              items: {
                allOf: [
                  ref('UsageTotals'),
                  { type: 'object', required: ['userId', 'lastSeenAt'], properties: { userId: { type: 'string' }, lastSeenAt: { type: 'string', format: 'date-time' } } },
                ],
              },
            },
            truncated: { type: 'boolean', description: 'True when only the newest part of the window was read.' },
          },
        },
        UserUsage: {
          allOf: [
            ref('UsageTotals'),
            {
              type: 'object',
              required: ['userId', 'from', 'to', 'lastSeenAt', 'truncated'],
              properties: {
                userId: { type: 'string' },
                from: { type: 'string', format: 'date-time' },
                to: { type: 'string', format: 'date-time' },
                lastSeenAt: nullable('string', { format: 'date-time' }),
                truncated: { type: 'boolean', description: 'True when only the newest part of the window was read.' },
              },
            },
          ],
        },
        SessionTotals: {
          allOf: [ref('UsageTotals'), { type: 'object', required: ['durationMs'], properties: { durationMs: { type: 'integer', description: "First request's start to last request's end." } } }],
        },
        SessionTreeNode: {
          type: 'object',
          required: ['path', 'name', 'requestIds', 'children', 'subtotal'],
          properties: {
            path: { type: 'string', examples: ['/', '/plan', '/plan/outline'] },
            name: { type: 'string', description: 'The last path segment; empty for the root.' },
            requestIds: { type: 'array', items: { type: 'string' }, description: 'Requests logged at exactly this path, in order.' },
            children: { type: 'array', items: ref('SessionTreeNode') },
            subtotal: ref('SessionTotals'),
          },
        },
        Session: {
          type: 'object',
          required: ['sessionId', 'name', 'requests', 'tree', 'totals', 'truncated'],
          properties: {
            sessionId: { type: 'string' },
            name: nullable('string', { description: 'The latest Session-Name sent.' }),
            requests: { type: 'array', items: ref('RequestSummary'), description: 'Chronological.' },
            tree: { ...ref('SessionTreeNode'), description: 'Root "/" holds requests sent without a Session-Path.' },
            totals: ref('SessionTotals'),
            truncated: { type: 'boolean', description: 'True when the session has more requests than one response holds; everything covers the earliest ones.' },
          },
        },
      },
    },
  };
}
