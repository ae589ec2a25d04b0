import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { EvaluationSummary } from '../app/alerts/alert-evaluator.js';
import { EnvironmentVariable } from '../contract/environment-variables.js';
import { createAlertEvaluatorHandler } from '../handlers/alert-evaluator.js';
import { SesLocal } from './ses-local.js';

export interface LocalAlertingOptions {
  dataDir: string;
  /** `LOOKOUT_ALERT_INTERVAL_SECONDS`: how often the evaluator runs. @default 60 */
  intervalSeconds?: number;
  /** `LOOKOUT_SES_ENDPOINT`: an SES server to send through; without it, aws-ses-v2-local is started. */
  sesEndpoint?: string;
  /** `LOOKOUT_SNS_ENDPOINT`: an SNS endpoint to publish to; without it, what would be published is recorded in the rule's history. */
  snsEndpoint?: string;
  /** `LOOKOUT_SLACK_WEBHOOK_URL`: the default Slack webhook. */
  slackWebhookUrl?: string;
  /** `LOOKOUT_ALERT_EMAIL_FROM`. @default DEFAULT_LOCAL_EMAIL_FROM */
  emailFrom?: string;
  /** `LOOKOUT_WEBHOOK_SIGNING_SECRET`: the key rule webhooks are signed with; generated once and kept in the data dir when absent. */
  webhookSigningKey?: string;
  log?(message: string): void;
}

export const DEFAULT_ALERT_INTERVAL_SECONDS = 60;
export const DEFAULT_LOCAL_EMAIL_FROM = 'lookout-alerts@localhost';
/** A topic ARN for the local SNS endpoint; SNS itself is never run here. */
const LOCAL_TOPIC_ARN = 'arn:aws:sns:local:000000000000:lookout-alerts';

export interface LocalAlerting {
  /** Variables the evaluator and the query API get on top of the stack's. */
  environment: Record<string, string>;
  /** Where the e-mails can be read, when this stack started the SES emulator. */
  emailStoreUrl: string | null;
  /** Whether SNS messages are only recorded (no `LOOKOUT_SNS_ENDPOINT`). */
  snsRecordedOnly: boolean;
  /** Starts the schedule, with the stack's environment (its public URL known). */
  startSchedule(environment: Readonly<Record<string, string>>): void;
  /** One evaluation now, as the schedule runs it (tests call it instead of waiting a minute). */
  evaluateNow(): Promise<EvaluationSummary>;
  stop(): Promise<void>;
}

/**
 * The alerts under `npm start`: the channels' local endpoints, and a timer in place of the
 * EventBridge schedule. Runs never overlap here; in AWS they may, which the evaluator allows for.
 */
export async function startLocalAlerting(options: LocalAlertingOptions): Promise<LocalAlerting> {
  const ses = options.sesEndpoint ? null : await SesLocal.start();
  const environment: Record<string, string> = {
    [EnvironmentVariable.sesEndpoint]: options.sesEndpoint ?? ses!.endpoint,
    [EnvironmentVariable.alertEmailFrom]: options.emailFrom ?? DEFAULT_LOCAL_EMAIL_FROM,
    [EnvironmentVariable.webhookSigningSecret]: options.webhookSigningKey ?? persistentSigningKey(options.dataDir),
    ...(options.snsEndpoint
      ? { [EnvironmentVariable.snsEndpoint]: options.snsEndpoint, [EnvironmentVariable.alertTopicArn]: LOCAL_TOPIC_ARN }
      : {}),
    ...(options.slackWebhookUrl ? { [EnvironmentVariable.slackWebhookUrl]: options.slackWebhookUrl } : {}),
  };
  let handler: ReturnType<typeof createAlertEvaluatorHandler> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<EvaluationSummary> | undefined;
  const evaluateNow = (): Promise<EvaluationSummary> => {
    if (!handler) throw new Error('the alert schedule has not started');
    // A run still going when the next is due is waited for, not doubled.
    running ??= handler().finally(() => {
      running = undefined;
    });
    return running;
  };
  return {
    environment,
    emailStoreUrl: ses ? `${ses.endpoint}/store` : null,
    snsRecordedOnly: !options.snsEndpoint,
    startSchedule(stackEnvironment) {
      handler = createAlertEvaluatorHandler(stackEnvironment);
      const intervalMs = (options.intervalSeconds ?? DEFAULT_ALERT_INTERVAL_SECONDS) * 1000;
      timer = setInterval(() => {
        evaluateNow().catch((error: unknown) => options.log?.(`alert evaluation failed: ${(error as Error)?.stack ?? error}`));
      }, intervalMs);
      timer.unref();
    },
    evaluateNow,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
      handler?.close();
      await ses?.stop();
    },
  };
}

/** The webhook signing key of this data dir: generated once, so receivers keep verifying across restarts. */
function persistentSigningKey(dataDir: string): string {
  const file = join(dataDir, 'webhook-signing-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
