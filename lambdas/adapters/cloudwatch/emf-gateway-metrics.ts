import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  GATEWAY_METRIC_KEYS,
  GATEWAY_METRICS,
  GATEWAY_METRICS_NAMESPACE,
  GATEWAY_METRICS_SERVICE,
  GatewayMetricDimension,
} from '../../contract/gateway-metrics.js';
import { gatewayMetricValues } from '../../core/observability/gateway-metric-values.js';
import type { GatewayMetrics, LoggedRequestRecord } from '../../core/ports/gateway-metrics.js';
import type { RequestLogWrite } from '../../core/request-log/request-log-write.js';

/** Where Powertools' own warnings go (a bad dimension, a timestamp out of range); never the metrics. */
export interface EmfWarningLogger {
  warn(message: string, extra: Record<string, unknown>): void;
}

type PowertoolsMetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

export interface EmfGatewayMetricsOptions {
  /** The configured providers (`config.providers`): the `provider` dimension takes only these, `custom` and `other`. */
  providers: Readonly<Record<string, unknown>>;
  logger: EmfWarningLogger;
}

const NO_DIMENSIONS: Record<string, string> = {};

/**
 * The gateway's metrics as CloudWatch Embedded Metric Format, through Powertools `Metrics`: one
 * JSON line on stdout per logged request, which CloudWatch Logs turns into metrics of the
 * `Lookout` namespace (no `PutMetricData` call, no IAM, no await). Powertools writes it with a
 * `Console` of its own, straight to stdout, so Lambda's JSON log format does not wrap it.
 *
 * A request's metrics are added and flushed in one synchronous run, so requests sharing a process
 * (`npm start`, a multi-concurrency runtime) never mix their values or dimensions in one line.
 * Each value is published twice: with `service` alone (all traffic) and with `service` and
 * `provider`. `POWERTOOLS_METRICS_DISABLED=true` silences it, as Powertools documents.
 */
export class EmfGatewayMetrics implements GatewayMetrics {
  private readonly metrics: Metrics;
  private readonly providers: Readonly<Record<string, unknown>>;
  private readonly logger: EmfWarningLogger;

  constructor(options: EmfGatewayMetricsOptions) {
    this.providers = options.providers;
    this.logger = options.logger;
    this.metrics = new Metrics({
      namespace: GATEWAY_METRICS_NAMESPACE,
      serviceName: GATEWAY_METRICS_SERVICE,
      logger: {
        warn: (message: string) => options.logger.warn('gateway metrics: Powertools warned', { warning: message }),
        error: (message: string) => options.logger.warn('gateway metrics: Powertools failed', { warning: message }),
        info: () => {},
        debug: () => {},
      },
    });
  }

  requestLogged(record: LoggedRequestRecord, logWrite: RequestLogWrite): void {
    const { metrics } = this;
    try {
      const values = gatewayMetricValues(record, logWrite, this.providers);
      // Filed under the minute the request arrived, as the usage rollups file it.
      metrics.setTimestamp(record.createdAtMs);
      metrics.addDimensions(NO_DIMENSIONS);
      metrics.addDimensions({ [GatewayMetricDimension.provider]: values.provider });
      for (const key of GATEWAY_METRIC_KEYS) {
        const value = values[key];
        // EMF has no NaN or Infinity (Powertools would write null, an invalid line): such a value is left out.
        if (value !== null && Number.isFinite(value))
          metrics.addMetric(GATEWAY_METRICS[key].name, GATEWAY_METRICS[key].unit as PowertoolsMetricUnit, value);
      }
      metrics.publishStoredMetrics();
    } catch (error) {
      // Metrics must never cost a request its log: drop this line, keep what Powertools holds clear.
      metrics.clearMetrics();
      metrics.clearDimensions();
      this.logger.warn('gateway metrics could not be emitted', { requestId: record.id, error: (error as Error)?.message ?? String(error) });
    }
  }
}
