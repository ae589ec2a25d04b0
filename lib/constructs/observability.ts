import { Aws, Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  GATEWAY_METRICS,
  GATEWAY_METRICS_NAMESPACE,
  GATEWAY_METRICS_SERVICE,
  GatewayMetricDimension,
  type GatewayMetricKey,
} from '../../lambdas/contract/gateway-metrics.js';
import { GENERIC_ROUTE_PROVIDER } from '../../lambdas/contract/routes.js';

/*
 * The alarms, one setting a line, each with its reason. Every alarm treats missing data as not
 * breaching: a quiet gateway emits nothing, and a quiet queue is an empty one.
 */

/** The window each alarm and graph sums or takes the maximum over. */
export const OBSERVABILITY_PERIOD = Duration.minutes(5);
/** 5xx answers Lookout made itself (internal errors, the quota store down) in 5 minutes: more than a stray one. */
export const GATEWAY_ERRORS_THRESHOLD = 5;
/** Any failed invocation of the gateway function: its pipeline answers every error, so one is a crash. */
export const GATEWAY_FUNCTION_ERRORS_THRESHOLD = 1;
/** Any throttled invocation: the account's or the function's concurrency is used up, and clients are refused. */
export const GATEWAY_THROTTLES_THRESHOLD = 1;
/** The aggregator 5 minutes behind the log: `/v1/metrics` and the alert rules read stale buckets. */
export const ROLLUP_ITERATOR_AGE_THRESHOLD = Duration.minutes(5);
/** ... for 10 minutes running, so one slow batch does not page anyone. */
export const ROLLUP_ITERATOR_AGE_EVALUATION_PERIODS = 2;
/** A dead-letter queue holds anything at all: a request log to replay, or a stream batch to rebuild. */
export const DEAD_LETTER_DEPTH_THRESHOLD = 0;
/** A failed alert evaluation in 2 of the last 3 periods: one failed minute is retried by the next. */
export const ALERT_EVALUATOR_ERRORS_EVALUATION_PERIODS = 3;
export const ALERT_EVALUATOR_ERRORS_DATAPOINTS = 2;
/** A request log record that neither the table nor the dead-letter queue took: only the function's log has it. */
export const LOG_RECORDS_LOST_THRESHOLD = 1;

export interface ObservabilityProps {
  readonly gatewayFunction: IFunction;
  readonly queryApiFunction: IFunction;
  readonly rollupAggregatorFunction: IFunction;
  readonly alertEvaluatorFunction: IFunction;
  /** The REST API both functions serve. */
  readonly api: RestApi;
  readonly requestLogTable: ITable;
  readonly keysTable: ITable;
  readonly rollupsTable: ITable;
  /** The request log's dead-letter queue (the gateway's log writes that failed; `npm run logs:replay`). */
  readonly requestLogDeadLetterQueue: IQueue;
  /** The rollup aggregator's on-failure queue (stream batches given up on; `npm run rollups:rebuild`). */
  readonly rollupsDeadLetterQueue: IQueue;
  /** The alerts topic (stateful stack): every alarm notifies it when it fires and when it resolves. */
  readonly alertTopic: ITopic;
  /** The configured providers, each a line in the per-provider graphs (with the generic route's `custom`). */
  readonly providerNames: readonly string[];
}

/**
 * Lookout's own health in CloudWatch (the `observability` concern): a dashboard of the gateway's
 * EMF metrics (`contract/gateway-metrics.ts`) beside the Lambda, API Gateway, DynamoDB and
 * dead-letter queue metrics, and the alarms on what needs a person, each notifying the alerts
 * topic on alarm and on OK. EMF reaches CloudWatch through the gateway's log group, so no
 * function needs `cloudwatch:PutMetricData`.
 */
export class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const providers = [...new Set([...props.providerNames, GENERIC_ROUTE_PROVIDER])];
    const functions = [
      { label: 'gateway', fn: props.gatewayFunction },
      { label: 'query API', fn: props.queryApiFunction },
      { label: 'rollup aggregator', fn: props.rollupAggregatorFunction },
      { label: 'alert evaluator', fn: props.alertEvaluatorFunction },
    ];
    const queues = [
      { label: 'request log dead letters', queue: props.requestLogDeadLetterQueue },
      { label: 'rollups dead letters', queue: props.rollupsDeadLetterQueue },
    ];
    const tables = [
      { label: 'request log', table: props.requestLogTable },
      { label: 'keys', table: props.keysTable },
      { label: 'rollups', table: props.rollupsTable },
    ];

    const alarm = (alarmId: string, metric: IMetric, options: AlarmSettings): Alarm => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold: options.threshold,
        comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.datapointsToAlarm,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: `Lookout: ${options.description}`,
      });
      created.addAlarmAction(new SnsAction(props.alertTopic));
      created.addOkAction(new SnsAction(props.alertTopic));
      this.alarms.push(created);
      return created;
    };

    alarm('GatewayErrorsAlarm', gatewayMetric('gatewayErrors', Stats.SUM), {
      threshold: GATEWAY_ERRORS_THRESHOLD,
      description: `the gateway answered ${GATEWAY_ERRORS_THRESHOLD} or more 5xx errors of its own in 5 minutes (internal errors, the quota store down). See the gateway function's log.`,
    });
    alarm('GatewayFunctionErrorsAlarm', props.gatewayFunction.metricErrors({ period: OBSERVABILITY_PERIOD, statistic: Stats.SUM }), {
      threshold: GATEWAY_FUNCTION_ERRORS_THRESHOLD,
      description: 'gateway invocations failed (the function crashed or timed out). See its log.',
    });
    alarm('GatewayThrottlesAlarm', props.gatewayFunction.metricThrottles({ period: OBSERVABILITY_PERIOD, statistic: Stats.SUM }), {
      threshold: GATEWAY_THROTTLES_THRESHOLD,
      description: "gateway invocations were throttled: the account's Lambda concurrency is used up, and clients are refused.",
    });
    alarm(
      'RollupIteratorAgeAlarm',
      props.rollupAggregatorFunction.metric('IteratorAge', { period: OBSERVABILITY_PERIOD, statistic: Stats.MAXIMUM }),
      {
        threshold: ROLLUP_ITERATOR_AGE_THRESHOLD.toMilliseconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: ROLLUP_ITERATOR_AGE_EVALUATION_PERIODS,
        description:
          'the rollup aggregator is more than 5 minutes behind the request log for 10 minutes: /v1/metrics, the dashboard and the alert rules see stale data.',
      },
    );
    alarm('RequestLogDeadLettersAlarm', deadLetterDepth(props.requestLogDeadLetterQueue), {
      threshold: DEAD_LETTER_DEPTH_THRESHOLD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: 'request logs the gateway could not write are waiting in the dead-letter queue: run `npm run logs:replay`.',
    });
    alarm('RollupsDeadLettersAlarm', deadLetterDepth(props.rollupsDeadLetterQueue), {
      threshold: DEAD_LETTER_DEPTH_THRESHOLD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description:
        'the rollup aggregator gave up on stream batches (their ranges are in its dead-letter queue): run `npm run rollups:rebuild` for their days.',
    });
    alarm('AlertEvaluatorErrorsAlarm', props.alertEvaluatorFunction.metricErrors({ period: OBSERVABILITY_PERIOD, statistic: Stats.SUM }), {
      threshold: 1,
      evaluationPeriods: ALERT_EVALUATOR_ERRORS_EVALUATION_PERIODS,
      datapointsToAlarm: ALERT_EVALUATOR_ERRORS_DATAPOINTS,
      description: 'the alert evaluator keeps failing: alert rules are not being evaluated. See its log.',
    });
    alarm('LogRecordsLostAlarm', gatewayMetric('logRecordsLost', Stats.SUM), {
      threshold: LOG_RECORDS_LOST_THRESHOLD,
      description:
        "request logs could be written neither to the table nor to the dead-letter queue: each is in the gateway function's log ('request log lost to storage').",
    });

    const row = (...widgets: IWidget[]) => widgets;
    const byProvider = (key: GatewayMetricKey, statistic: string) =>
      providers.map((provider) => gatewayMetric(key, statistic, provider, provider));
    const graph = (title: string, left: IMetric[], options: { width?: number; stacked?: boolean; leftLabel?: string } = {}) =>
      new GraphWidget({
        title,
        left,
        width: options.width ?? 8,
        height: 6,
        stacked: options.stacked,
        leftYAxis: { min: 0, label: options.leftLabel },
      });
    const perFunction = (title: string, metricOf: (fn: IFunction) => Metric) =>
      graph(
        title,
        functions.map(({ label, fn }) => metricOf(fn).with({ label, period: OBSERVABILITY_PERIOD })),
        { width: 6 },
      );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `Lookout-${Aws.REGION}`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          `# Lookout\nThe gateway's own metrics (namespace \`${GATEWAY_METRICS_NAMESPACE}\`, service \`${GATEWAY_METRICS_SERVICE}\`, ` +
          'per logged request, by `provider`), then the functions, the API, the tables and the dead-letter queues. ' +
          "Usage by user, model or property is in Lookout's own dashboard and `/v1/metrics`.",
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 }));
    this.dashboard.addWidgets(
      ...row(
        graph('Requests by provider', byProvider('requests', Stats.SUM), { stacked: true }),
        graph('Errors', [
          gatewayMetric('errors', Stats.SUM, 'all errors (not a completed 2xx/3xx)'),
          gatewayMetric('upstreamErrors', Stats.SUM, 'upstream errors and timeouts'),
          gatewayMetric('gatewayErrors', Stats.SUM, "Lookout's own 5xx"),
        ]),
        graph('Rate limited', [
          gatewayMetric('rateLimited', Stats.SUM, 'by a Lookout quota or policy'),
          gatewayMetric('upstreamRateLimited', Stats.SUM, 'by the provider (429)'),
        ]),
      ),
    );
    this.dashboard.addWidgets(
      ...row(
        graph(
          'Latency (ms)',
          [Stats.p(50), Stats.p(90), Stats.p(99)].map((p) => gatewayMetric('latency', p, p)),
        ),
        graph(
          'Time to first token, streamed (ms)',
          [Stats.p(50), Stats.p(90), Stats.p(99)].map((p) => gatewayMetric('timeToFirstToken', p, p)),
        ),
        graph('Cost by provider (USD)', byProvider('costUsd', Stats.SUM), { stacked: true, leftLabel: 'USD' }),
      ),
    );
    this.dashboard.addWidgets(
      ...row(
        graph('Cache hits', [
          gatewayMetric('cacheHits', Stats.SUM, 'answered from the cache'),
          gatewayMetric('requests', Stats.SUM, 'all requests'),
        ]),
        graph('Request log writes', [
          gatewayMetric('logWriteFailures', Stats.SUM, 'failed after retries'),
          gatewayMetric('deadLetterWrites', Stats.SUM, 'dead-lettered'),
          gatewayMetric('logRecordsLost', Stats.SUM, 'lost to storage'),
        ]),
        graph(
          'Dead-letter queues (messages)',
          queues.map(({ label, queue }) => deadLetterDepth(queue).with({ label })),
        ),
      ),
    );
    this.dashboard.addWidgets(
      ...row(
        perFunction('Lambda invocations', (fn) => fn.metricInvocations({ statistic: Stats.SUM })),
        perFunction('Lambda errors', (fn) => fn.metricErrors({ statistic: Stats.SUM })),
        perFunction('Lambda throttles', (fn) => fn.metricThrottles({ statistic: Stats.SUM })),
        perFunction('Lambda duration p99 (ms)', (fn) => fn.metricDuration({ statistic: Stats.p(99) })),
      ),
    );
    this.dashboard.addWidgets(
      ...row(
        graph('Rollup aggregator iterator age (ms)', [
          props.rollupAggregatorFunction.metric('IteratorAge', {
            statistic: Stats.MAXIMUM,
            period: OBSERVABILITY_PERIOD,
            label: 'maximum',
          }),
        ]),
        graph('API Gateway requests', [
          props.api.metricCount({ statistic: Stats.SUM, period: OBSERVABILITY_PERIOD, label: 'requests' }),
          props.api.metricClientError({ statistic: Stats.SUM, period: OBSERVABILITY_PERIOD, label: '4xx' }),
          props.api.metricServerError({ statistic: Stats.SUM, period: OBSERVABILITY_PERIOD, label: '5xx' }),
        ]),
        graph('API Gateway latency p99 (ms)', [
          props.api.metricLatency({ statistic: Stats.p(99), period: OBSERVABILITY_PERIOD, label: 'latency' }),
          props.api.metricIntegrationLatency({ statistic: Stats.p(99), period: OBSERVABILITY_PERIOD, label: 'integration latency' }),
        ]),
      ),
    );
    this.dashboard.addWidgets(
      ...row(
        graph(
          'DynamoDB consumed writes',
          tables.map(({ label, table }) =>
            table.metricConsumedWriteCapacityUnits({ statistic: Stats.SUM, period: OBSERVABILITY_PERIOD, label }),
          ),
        ),
        graph(
          'DynamoDB consumed reads',
          tables.map(({ label, table }) =>
            table.metricConsumedReadCapacityUnits({ statistic: Stats.SUM, period: OBSERVABILITY_PERIOD, label }),
          ),
        ),
        graph(
          'DynamoDB throttled requests',
          tables.flatMap(({ label, table }) => [
            table.metric('WriteThrottleEvents', { statistic: Stats.SUM, period: OBSERVABILITY_PERIOD, label: `${label} writes` }),
            table.metric('ReadThrottleEvents', { statistic: Stats.SUM, period: OBSERVABILITY_PERIOD, label: `${label} reads` }),
          ]),
        ),
      ),
    );
  }

  /** The dashboard in the CloudWatch console. */
  get dashboardUrl(): string {
    return `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards/dashboard/${this.dashboard.dashboardName}`;
  }
}

interface AlarmSettings {
  readonly threshold: number;
  readonly comparisonOperator?: ComparisonOperator;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly description: string;
}

/** A gateway EMF metric: all traffic (`service` alone), or one provider's. */
function gatewayMetric(key: GatewayMetricKey, statistic: string, label?: string, provider?: string): Metric {
  return new Metric({
    namespace: GATEWAY_METRICS_NAMESPACE,
    metricName: GATEWAY_METRICS[key].name,
    dimensionsMap: {
      [GatewayMetricDimension.service]: GATEWAY_METRICS_SERVICE,
      ...(provider === undefined ? {} : { [GatewayMetricDimension.provider]: provider }),
    },
    statistic,
    period: OBSERVABILITY_PERIOD,
    label,
  });
}

/** Messages waiting in a dead-letter queue, at their most in the period. */
function deadLetterDepth(queue: IQueue): Metric {
  return queue.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM, period: OBSERVABILITY_PERIOD });
}
