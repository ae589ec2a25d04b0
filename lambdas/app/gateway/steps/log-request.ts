import type { CapturedBodies } from '../../request-log-recorder.js';
import { buildRequestLogRecord } from '../../../core/request-log/build-request-log-record.js';
import type { RuntimeConfig } from '../../../contract/runtime-config-schema.js';
import type { GatewayMetrics } from '../../../core/ports/gateway-metrics.js';
import type { RequestLogWrite } from '../../../core/request-log/request-log-write.js';
import { required, type FinishedAnswer, type GatewayContext, type GatewayStep } from '../gateway-context.js';
import type { GatewayLogger } from '../gateway-logger.js';

export interface RequestLogStepDependencies {
  config: Pick<RuntimeConfig, 'prices' | 'maxBodyBytes'>;
  /** Stores one request's log; runs after the client has its last byte. */
  recordRequest(record: ReturnType<typeof buildRequestLogRecord>, bodies: CapturedBodies): Promise<RequestLogWrite>;
  /** Told each logged request once its log write ended: the invocation's one flush of metrics. */
  metrics: GatewayMetrics;
  logger: GatewayLogger;
}

/**
 * Logs the request once, after the client has the last byte. It wraps every step after
 * authentication, so whatever they answer (the provider's stream, a provider error, a Lookout
 * error) is stored, and nothing the client waits for waits on the log. Its metrics follow the
 * write, so they include how the write ended and cost the request path nothing.
 */
export function logRequest(deps: RequestLogStepDependencies): GatewayStep {
  return async (context, next) => {
    await next();
    context.waitUntil(required(context.finished, 'finished').then((answer) => record(context, answer, deps)));
  };
}

async function record(context: GatewayContext, answer: FinishedAnswer, deps: RequestLogStepDependencies): Promise<void> {
  const { request } = context;
  let logRecord: ReturnType<typeof buildRequestLogRecord>;
  let logWrite: RequestLogWrite;
  try {
    const monitoring = required(context.monitoring, 'monitoring');
    const route = required(context.route, 'route');
    const { responseBytes, ...result } = answer;
    logRecord = buildRequestLogRecord(
      {
        ...result,
        responseBodyTruncated: result.responseBodyTruncated && !monitoring.omitResponse,
        id: context.id,
        startedAtMs: context.startedAtMs,
        provider: route.provider,
        method: request.method,
        path: route.upstreamPath,
        monitoring,
        requestJson: context.json,
        keyName: required(context.keyName, 'keyName'),
        cache: context.cacheLookup ?? null,
        rateLimitedBy: context.rateLimitedBy ?? null,
      },
      deps.config.prices,
    );
    context.recordBuilt(logRecord);
    const storeRequest = !monitoring.omitRequest && request.body.length > 0 && request.body.length <= deps.config.maxBodyBytes;
    logWrite = await deps.recordRequest(logRecord, {
      request: storeRequest ? request.body : null,
      response: monitoring.omitResponse || responseBytes.length === 0 ? null : responseBytes,
    });
  } catch (error) {
    context.recordBuilt(null);
    deps.logger.error('request log could not be built', { requestId: context.id, error: (error as Error)?.stack ?? String(error) });
    return;
  }
  deps.metrics.requestLogged(logRecord, logWrite);
}
