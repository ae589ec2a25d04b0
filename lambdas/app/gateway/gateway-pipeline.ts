import type { HttpRequest } from '../../core/http/http-request.js';
import type { Upstream } from '../../core/ports/upstream.js';
import type { RuntimeConfig } from '../../contract/runtime-config-schema.js';
import type { TargetUrlPolicy } from '../../core/routing/target-url-policy.js';
import type { GatewayKeyAuthenticator } from '../gateway-key-authenticator.js';
import { configQuotaDefinitions } from '../../contract/quota-definition.js';
import type { GatewayMetrics } from '../../core/ports/gateway-metrics.js';
import type { QuotaCounters } from '../../core/ports/quota-counters.js';
import type { QuotaLister } from '../../core/ports/quota-store.js';
import type { ResponseCache } from '../../core/ports/response-cache.js';
import { answerError } from './answer-error.js';
import { composeSteps } from './compose-steps.js';
import { GatewayContext, required, type GatewayResponse } from './gateway-context.js';
import type { GatewayLogger } from './gateway-logger.js';
import { BurstFailureLog } from './burst-failure-log.js';
import { QuotaDefinitionsSource } from './quota-definitions-source.js';
import { answerFromCache } from './steps/answer-from-cache.js';
import { enforceQuotas } from './steps/enforce-quotas.js';
import { authenticate } from './steps/authenticate.js';
import { forward } from './steps/forward.js';
import { logRequest, type RequestLogStepDependencies } from './steps/log-request.js';
import { readBody } from './steps/read-body.js';
import { readMonitoringHeaders } from './steps/read-monitoring-headers.js';
import { relayAndTapUsage } from './steps/relay-and-tap-usage.js';
import { resolveRoute } from './steps/resolve-route.js';
import { resolveUpstreamUrl } from './steps/resolve-upstream-url.js';

/** Everything the steps need, built once per function by the handler. */
export interface GatewayDependencies {
  config: RuntimeConfig;
  authenticator: Pick<GatewayKeyAuthenticator, 'authenticate'>;
  upstream: Upstream;
  /** The response cache (Redis / Valkey or DynamoDB). */
  responseCache: ResponseCache;
  /** The quota counters (Redis / Valkey or DynamoDB). */
  quotaCounters: QuotaCounters;
  /** The quotas made through `/v1/quotas` (the config's come from `config.quotas`). */
  apiQuotas: QuotaLister;
  recordRequest: RequestLogStepDependencies['recordRequest'];
  /** Lookout's own metrics (CloudWatch EMF in AWS), one flush per request after its log write. */
  metrics: GatewayMetrics;
  logger: GatewayLogger;
  newRequestId(): string;
  now(): number;
  /** Picks a cache bucket's slot; `Math.random` but in tests. */
  random(): number;
}

export interface HandledRequest {
  response: GatewayResponse;
  /** Settles after the client has the last byte and the request is logged. */
  afterResponse: Promise<void>;
}

/** The gateway's request path as one function: an `HttpRequest` in, an answer streaming out. */
export type GatewayPipeline = (request: HttpRequest) => Promise<HandledRequest>;

/**
 * The one place the gateway's steps are listed, in the order a request meets them. Each step may
 * wrap those after it: the log step wraps everything after authentication. A step that wraps
 * forward (a cache that may answer instead, a quota that reserves before and settles on
 * `context.finished`) goes in just before `forward`. Every answer carries the request id as
 * `Lookout-Id` and `Helicone-Id`.
 */
export function createGatewayPipeline(deps: GatewayDependencies): GatewayPipeline {
  const { config, logger, now } = deps;
  const targetPolicy: TargetUrlPolicy = {
    allowlist: config.targetUrlAllowlist,
    trustedOrigins: Object.values(config.providers).map((p) => new URL(p.baseUrl).origin),
  };
  const onError = answerError(logger, now);
  const run = composeSteps<GatewayContext>(
    [
      resolveRoute(config),
      readMonitoringHeaders,
      authenticate(deps.authenticator),
      logRequest({ config, recordRequest: deps.recordRequest, metrics: deps.metrics, logger }),
      readBody(config),
      resolveUpstreamUrl(targetPolicy),
      answerFromCache({
        cache: deps.responseCache,
        config,
        failures: new BurstFailureLog(logger, now, 'response cache failed; requests go ahead uncached'),
        random: deps.random,
        now,
      }),
      enforceQuotas({
        counters: deps.quotaCounters,
        definitions: new QuotaDefinitionsSource(
          configQuotaDefinitions(config.quotas),
          deps.apiQuotas,
          config.keyCacheTtlMs,
          now,
          new BurstFailureLog(logger, now, 'quotas made through /v1/quotas could not be read; the last list read stays in force'),
        ),
        config,
        failures: new BurstFailureLog(logger, now, 'quota counters failed'),
        now,
      }),
      forward({ upstream: deps.upstream, upstreamTimeoutMs: config.upstreamTimeoutMs }),
      relayAndTapUsage({ maxBodyBytes: config.maxBodyBytes, logger, now }),
    ],
    onError,
  );

  return async (request) => {
    const context = new GatewayContext(request, now(), deps.newRequestId());
    await run(context);
    if (!context.response) onError(new Error('no gateway step answered the request'), context);
    return { response: required(context.response, 'response'), afterResponse: context.allDone() };
  };
}
