import * as z from 'zod';
import { requestOutcomeSchema } from '../../request-log/request-log-record-schema.js';

/** The JSON of one logged request in the query API (a fixed contract; `id` equals the `Lookout-Id` header). */
export const requestSummarySchema = z
  .object({
    id: z.string().meta({ description: 'Equals the Lookout-Id / Helicone-Id response header the client got.' }),
    createdAt: z.iso.datetime(),
    provider: z.string(),
    model: z.string().nullable(),
    method: z.string(),
    path: z.string().meta({ description: 'The provider-side path, e.g. /v1/chat/completions.' }),
    status: z.int().meta({ description: 'The HTTP status the client received.' }),
    outcome: requestOutcomeSchema,
    errorCode: z.string().nullable(),
    stream: z.boolean(),
    latencyMs: z.int(),
    ttftMs: z.int().nullable().meta({ description: 'Time to the first byte, for streamed answers.' }),
    promptTokens: z.int().nullable(),
    completionTokens: z.int().nullable(),
    cachedTokens: z.int().nullable(),
    cacheWriteTokens: z.int().nullable(),
    totalTokens: z.int().nullable(),
    costUsd: z.number().nullable().meta({ description: 'Null when unknown (see unpriced); never 0 for an unknown price.' }),
    unpriced: z.boolean().meta({ description: 'True when the model has no known price.' }),
    userId: z.string().nullable(),
    sessionId: z.string().nullable(),
    sessionPath: z.string().nullable(),
    sessionName: z.string().nullable(),
    promptId: z.string().nullable(),
    properties: z.record(z.string(), z.string()).meta({ description: 'Custom properties, names lower-case.' }),
    cacheHit: z
      .boolean()
      .meta({ description: "Answered from Lookout's response cache: costUsd is 0, the saved* fields hold the original's." }),
    cacheStatus: z
      .enum(['hit', 'miss', 'unavailable'])
      .nullable()
      .meta({ description: 'For a request that asked for the cache; unavailable: the cache failed and the request went ahead uncached.' }),
    savedUsd: z.number().nullable().meta({ description: "On a hit, the original's cost (null when unpriced)." }),
    savedPromptTokens: z.int().nullable(),
    savedCompletionTokens: z.int().nullable(),
    savedTotalTokens: z.int().nullable(),
    savedLatencyMs: z.int().nullable().meta({ description: "On a hit, the original's latency minus this one's." }),
    rateLimited: z.boolean().meta({ description: 'Refused by a quota or a RateLimit-Policy.' }),
    rateLimitedBy: z.string().nullable().meta({ description: 'The quota (by name) or the policy that refused the request.' }),
    keyName: z.string().nullable().meta({ description: 'Name of the gateway key that made the request.' }),
    responseBodyTruncated: z
      .boolean()
      .meta({ description: 'The stored response body was cut at maxBodyBytes; the client received it whole.' }),
  })
  .meta({ id: 'RequestSummary' });
export type RequestSummaryJson = z.output<typeof requestSummarySchema>;

/** How a body is represented in the API (`BodyEncoding`), or null when it was not stored. */
const bodyEncodingSchema = z
  .enum(['json', 'text', 'base64', 'url'])
  .nullable()
  .meta({
    description:
      'json: parsed; text: as sent (e.g. an SSE stream); base64: bytes that are not UTF-8; url: over 2 MiB, download it from the ' +
      '*BodyUrl link (served with Content-Encoding: gzip, valid 15 minutes); null: not stored.',
  });
const bodyUrlSchema = z
  .url()
  .nullable()
  .meta({ description: 'A signed link to a body too large to answer inline (encoding url); null otherwise.' });
// Any value, but always present: a plain `unknown` would be documented as optional.
const bodySchema = z.unknown().nonoptional();

/** `GET /v1/requests/{id}`: the summary with its bodies. */
export const requestDetailSchema = requestSummarySchema
  .extend({
    requestBody: bodySchema.meta({
      description: 'Parsed JSON, text, or base64 (see requestBodyEncoding); null when omitted or not stored.',
    }),
    responseBody: bodySchema.meta({ description: 'As requestBody; a streamed answer is the SSE text.' }),
    requestBodyEncoding: bodyEncodingSchema,
    responseBodyEncoding: bodyEncodingSchema,
    requestBodyUrl: bodyUrlSchema,
    responseBodyUrl: bodyUrlSchema,
  })
  .meta({ id: 'RequestDetail' });
export type RequestDetailJson = z.output<typeof requestDetailSchema>;

/** `GET /v1/requests`: one page. */
export const requestListSchema = z
  .object({
    requests: z.array(requestSummarySchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'RequestList' });
export type RequestListJson = z.output<typeof requestListSchema>;
