import { Readable } from 'node:stream';
import type { RuntimeConfig } from '../../../contract/runtime-config-schema.js';
import { chooseFromBucket } from '../../../core/cache/bucket-choice.js';
import { cacheBucketKey } from '../../../core/cache/cache-key.js';
import { cacheResponseHeaders, REPLAYED_RESPONSE_HEADERS } from '../../../core/cache/cache-response-headers.js';
import { cacheScopeOf } from '../../../core/cache/cache-scope.js';
import { splitSseEvents } from '../../../core/cache/sse-events.js';
import type { CacheOptions } from '../../../core/headers/cache-headers.js';
import { ignoredHeadersHeader } from '../../../core/headers/headers-not-acted-on.js';
import { requestIdHeaders } from '../../../core/headers/request-id-headers.js';
import type { CachedAnswer, ResponseCache } from '../../../core/ports/response-cache.js';
import { PassThroughTap } from '../../../core/usage/usage-tap.js';
import type { BurstFailureLog } from '../burst-failure-log.js';
import { required, type FinishedAnswer, type GatewayContext, type GatewayStep } from '../gateway-context.js';
import { relayUpstreamBody } from '../response-relay.js';
import { withinTimeLimit } from '../time-limit.js';

export interface CacheStepDependencies {
  cache: ResponseCache;
  config: Pick<RuntimeConfig, 'cacheTimeoutMs' | 'cacheMaxEntryBytes' | 'cacheScopes'>;
  failures: BurstFailureLog;
  random(): number;
  now(): number;
}

/**
 * A write happens after the client has its last byte, so it delays no answer; this bound only
 * keeps a hung cache from holding the invocation open.
 */
const WRITE_TIME_LIMIT_MS = 5_000;

/**
 * The response cache, for requests that ask for it (`Cache-Enabled`, `Cache-Read`,
 * `Cache-Save`). It reads the request's bucket within `cacheTimeoutMs`; a hit is answered here
 * and never reaches the provider, a miss goes on to `forward` and, once the client has the whole
 * answer, a 2xx answer no larger than `cacheMaxEntryBytes` is stored. A cache that fails or is
 * slow never fails the request: it goes ahead uncached, and the failure is logged once per burst.
 */
export function answerFromCache(deps: CacheStepDependencies): GatewayStep {
  return async (context, next) => {
    const options = required(context.monitoring, 'monitoring').cache;
    if (!options) return next();
    const bucketKey = bucketKeyOf(context, options, deps.config.cacheScopes);
    let slots: (CachedAnswer | null)[];
    try {
      slots = await withinTimeLimit(deps.cache.readBucket(bucketKey, options.bucketMaxSize), deps.config.cacheTimeoutMs, 'the cache read');
    } catch (error) {
      deps.failures.record('read', error, context.id);
      context.cacheLookup = { status: 'unavailable' };
      await next();
      addHeaders(context, cacheResponseHeaders({ hit: false }));
      return;
    }
    const choice = chooseFromBucket(slots, options, deps.random);
    if (choice.hit) {
      context.cacheLookup = { status: 'hit', bucketIdx: choice.slot, original: choice.answer.original };
      replay(context, choice.answer, choice.slot, deps.now);
      return;
    }
    context.cacheLookup = { status: 'miss' };
    await next();
    addHeaders(context, cacheResponseHeaders({ hit: false }));
    const { saveSlot } = choice;
    if (saveSlot === null) return;
    const finished = required(context.finished, 'finished');
    context.waitUntil(
      finished.then(async (answer) => {
        const entry = cacheableAnswer(context, answer, deps.config.cacheMaxEntryBytes);
        if (!entry) return;
        try {
          await withinTimeLimit(deps.cache.write(bucketKey, saveSlot, entry, options.ttlSeconds), WRITE_TIME_LIMIT_MS, 'the cache write');
        } catch (error) {
          deps.failures.record('write', error, context.id);
        }
      }),
    );
  };
}

function bucketKeyOf(context: GatewayContext, options: CacheOptions, cacheScopes: Readonly<Record<string, string>>): string {
  const { request } = context;
  return cacheBucketKey({
    scope: cacheScopeOf({ keyHash: required(context.keyHash, 'keyHash'), name: required(context.keyName, 'keyName') }, cacheScopes),
    provider: required(context.route, 'route').provider,
    method: request.method,
    upstreamUrl: required(context.upstreamUrl, 'upstreamUrl'),
    json: context.json,
    body: request.body,
    headers: request.headers,
    seed: options.seed,
    ignoreKeys: options.ignoreKeys,
  });
}

/** Answers with a stored answer: a stream event by event, as the provider sent it; a JSON body whole. */
function replay(context: GatewayContext, cached: CachedAnswer, slot: number, now: () => number): void {
  const chunks = cached.stream ? splitSseEvents(cached.body) : [cached.body];
  const relay = relayUpstreamBody(Readable.from(chunks), new PassThroughTap(), () => {}, now);
  const finished = relay.outcome.then(
    (outcome): FinishedAnswer => ({
      status: cached.status,
      outcome: outcome.kind === 'completed' ? 'completed' : 'cancelled',
      errorCode: null,
      stream: cached.stream,
      endedAtMs: outcome.endedAtMs,
      firstByteAtMs: outcome.firstByteAtMs,
      usage: null,
      reportedModel: cached.original.model,
      responseBodyTruncated: false,
      responseBytes: Buffer.from(cached.body.buffer, cached.body.byteOffset, cached.body.byteLength),
    }),
  );
  const headers = {
    ...cached.headers,
    ...requestIdHeaders(context.id),
    ...ignoredHeadersHeader(context.request.headers),
    ...cacheResponseHeaders({ hit: true, bucketIdx: slot }),
  };
  context.answer({ statusCode: cached.status, headers, body: relay.body }, finished);
}

/** The entry to store for a finished answer, or null: only a whole 2xx answer that fits is stored. */
function cacheableAnswer(context: GatewayContext, answer: FinishedAnswer, maxEntryBytes: number): CachedAnswer | null {
  const ok = answer.status >= 200 && answer.status < 300 && answer.outcome === 'completed';
  if (!ok || answer.responseBodyTruncated || answer.responseBytes.length > maxEntryBytes) return null;
  const upstreamHeaders = context.forwarded?.response.headers ?? {};
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_RESPONSE_HEADERS) {
    const value = upstreamHeaders[name];
    if (value !== undefined) headers[name] = value;
  }
  return {
    status: answer.status,
    headers,
    body: answer.responseBytes,
    stream: answer.stream,
    original: {
      requestId: context.id,
      createdAtMs: context.startedAtMs,
      latencyMs: answer.endedAtMs - context.startedAtMs,
      ttftMs: answer.stream && answer.firstByteAtMs !== undefined ? answer.firstByteAtMs - context.startedAtMs : null,
      model: answer.reportedModel,
      usage: answer.usage,
    },
  };
}

function addHeaders(context: GatewayContext, headers: Record<string, string>): void {
  if (context.response) Object.assign(context.response.headers, headers);
}
