/**
 * `npm run demo` without its command line: the mock provider and the Slack printer on loopback,
 * the local stack (what `npm start` runs) aimed at the mock, the demo's keys, alerts and quota,
 * and the traffic. Everything the traffic reaches is the real gateway, query API, rollups and
 * alert evaluator; the mock provider is the only stand-in, and the banner says so.
 */
import { existsSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeConfigInput } from '../contract/runtime-config-schema.js';
import { providerSdkBasePath } from '../contract/provider-sdk-paths.js';
import { lockDataDir } from '../local/data-dir-lock.js';
import { isPortFree } from '../local/free-port.js';
import { startLocalStack, type LocalStack } from '../local/local-stack.js';
import { createDemoAlertsAndQuota, createDemoAppKeys, GUIDE_ALERTS } from './demo-setup.js';
import { DEMO_USERS, FREE_TIER_QUOTA, UNPRICED_MODEL } from './demo-scenario.js';
import { startDemoTraffic, type DemoTraffic, type DemoTrafficReport } from './demo-traffic.js';
import { MockProvider } from './mock-provider.js';
import { printableSlackMessage } from './slack-printer.js';
import { SlackReceiver } from './slack-receiver.js';

export interface DemoOptions {
  /** `PORT`: the port asked for; 0 takes a free one, and a taken one is swapped for a free one. */
  port: number;
  /** `LOOKOUT_DEMO_DIR`: wiped at each start, so every run begins from nothing. */
  dataDir: string;
  /** How long the traffic runs; the stack keeps serving after it until stopped. */
  minutes: number;
  /** @default DEMO_REQUESTS_PER_SECOND */
  requestsPerSecond?: number;
  /** @default DEMO_ALERT_INTERVAL_SECONDS */
  alertIntervalSeconds?: number;
  /** What the user reads: the banner, a line a minute, each Slack notification. */
  print(text: string): void;
  /** The stack's own diagnostics. */
  log(message: string): void;
}

export interface RunningDemo {
  url: string;
  devKey: string;
  /** Settles when the traffic has run its minutes. */
  trafficFinished: Promise<DemoTrafficReport>;
  stop(): Promise<void>;
}

/** Steady and low: the local rollups aggregator keeps up with only a few requests a second. */
export const DEMO_REQUESTS_PER_SECOND = 2.5;
/** The evaluator runs this often (a minute in AWS), so an alert fires within the first minute. */
export const DEMO_ALERT_INTERVAL_SECONDS = 10;
export const DEFAULT_DEMO_DIR = '.lookout/demo';
export const DEFAULT_DEMO_PORT = 8787;

/** A file that marks a folder as the demo's, so the wipe at start never takes anyone else's data. */
const DEMO_DIR_MARKER = '.lookout-demo';

export async function runDemo(options: DemoOptions): Promise<RunningDemo> {
  const port = await portToUse(options);
  freshDataDir(options.dataDir);
  const mock = await MockProvider.start();
  const slack = await SlackReceiver.start({ onReceived: (webhook) => options.print(printableSlackMessage(webhook.body, webhook.json)) });
  let stack: LocalStack | undefined;
  let traffic: DemoTraffic | undefined;
  const stop = async () => {
    await traffic?.stop();
    await stack?.stop();
    await Promise.all([mock.close(), slack.stop()]);
  };
  try {
    options.print('Starting Lookout (DynamoDB Local, the S3 server, the gateway, the query API, the rollups and the alert evaluator)...');
    stack = await startLocalStack({
      port,
      dataDir: options.dataDir,
      config: demoConfig(mock.url),
      alerting: { intervalSeconds: options.alertIntervalSeconds ?? DEMO_ALERT_INTERVAL_SECONDS, slackWebhookUrl: slack.url() },
      log: options.log,
    });
    const keys = await createDemoAppKeys(stack);
    await createDemoAlertsAndQuota(stack.url, stack.devKey);
    const requestsPerSecond = options.requestsPerSecond ?? DEMO_REQUESTS_PER_SECOND;
    options.print(demoBanner(stack, mock.url, options, requestsPerSecond, port !== options.port ? options.port : null));
    traffic = startDemoTraffic({
      url: stack.url,
      keys,
      durationMs: options.minutes * 60_000,
      requestsPerSecond,
      onReport: (report) => options.print(trafficLine(report)),
    });
    const url = stack.url;
    const trafficFinished = traffic.finished.then((total) => {
      options.print(
        `\nThe demo's traffic is over: ${trafficSummary(total)}.\nLookout keeps running at ${url}: browse the dashboard, query the API; Ctrl-C stops it.`,
      );
      return total;
    });
    return { url, devKey: stack.devKey, trafficFinished, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The runtime config of the demo's stack: the providers at the mock, the guide's two properties indexed. */
function demoConfig(mockUrl: string): RuntimeConfigInput {
  return {
    providers: { openai: { baseUrl: mockUrl }, anthropic: { baseUrl: mockUrl } },
    indexedProperties: ['environment', 'feature'],
    // DynamoDB Local runs at low priority beside the stack and can take longer than the defaults
    // (50 ms, 500 ms), and the demo should show cache hits and enforce its quota.
    cacheTimeoutMs: 1_000,
    quotaTimeoutMs: 2_000,
  };
}

async function portToUse(options: DemoOptions): Promise<number> {
  if (options.port === 0 || (await isPortFree(options.port))) return options.port;
  return 0;
}

/**
 * Empties the demo's folder for a new run, unless another demo runs on it (its lock is live) or it
 * holds something that is not a demo's (no marker), which is never deleted.
 */
function freshDataDir(dataDir: string): void {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    if (!existsSync(join(dataDir, DEMO_DIR_MARKER))) {
      throw new Error(`${dataDir} is not empty and is not a demo's folder; set LOOKOUT_DEMO_DIR to a new or empty folder`);
    }
    lockDataDir(dataDir, null).release();
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, DEMO_DIR_MARKER), 'npm run demo empties this folder at each start.\n');
}

function demoBanner(stack: LocalStack, mockUrl: string, options: DemoOptions, requestsPerSecond: number, portTaken: number | null): string {
  const freeUsers = DEMO_USERS.filter((user) => user.tier === 'free').map((user) => user.id);
  return `
Lookout demo is running at ${stack.url}  (data in ${options.dataDir}, emptied at each start)
${portTaken !== null ? `  Port ${portTaken} is in use, so the demo took ${new URL(stack.url).port} (set PORT to choose one).\n` : ''}
  mock provider: no real model is called. OpenAI and Anthropic are a stand-in at ${mockUrl};
  the gateway, the query API, the rollups and the alerts are the real ones.

  Dashboard:               ${stack.url}/dashboard#key=${stack.devKey}
  Dev key (app and admin): ${stack.devKey}
  OpenAI SDK     baseURL:  ${stack.url}${providerSdkBasePath('openai')}
  Anthropic SDK  baseURL:  ${stack.url}${providerSdkBasePath('anthropic')}
  Query API:               ${stack.url}/v1/requests, /v1/metrics, /v1/alerts   (header Lookout-Auth: Bearer <dev key>)

  Alerts:  ${GUIDE_ALERTS.map((alert) => `"${alert.name}"`).join(', ')}, evaluated every ${options.alertIntervalSeconds ?? DEMO_ALERT_INTERVAL_SECONDS} s;
           their Slack messages are printed here.
  Quota:   ${FREE_TIER_QUOTA.name}: ${FREE_TIER_QUOTA.limit} requests a minute per free-tier user (${freeUsers.join(', ')}).
  Traffic: ${minutesWords(options.minutes)} at about ${requestsPerSecond} requests a second, through the official openai and
           @anthropic-ai/sdk clients: ${DEMO_USERS.length} users on the free, pro and enterprise tiers; features chat (streamed),
           support-bot (sessions; its provider is overloaded in production: 529s), summarize (response cache),
           search (embeddings) and autocomplete (${UNPRICED_MODEL}, an unpriced model).
  Within a minute the dashboard shows the traffic and "Production error rate" fires. Ctrl-C stops everything.
`;
}

function minutesWords(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** One line of what the traffic's calls saw over the last period. */
export function trafficLine(report: DemoTrafficReport): string {
  const elapsed = Math.round(report.elapsedMs / 1000);
  const clock = `${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, '0')}`;
  return `[traffic ${clock}] ${trafficSummary(report)}`;
}

function trafficSummary(report: DemoTrafficReport): string {
  const parts = [
    `${report.answered} answered (${report.cacheHits} from the cache)`,
    counted(report.providerErrors, 'provider error'),
    `${report.rateLimited} rate-limited (429)`,
  ];
  if (report.otherFailures > 0) parts.push(`${counted(report.otherFailures, 'other failure')} (first: ${report.firstFailure})`);
  const median = report.medianLatencyMs === null ? '' : `; median latency ${Math.round(report.medianLatencyMs)} ms`;
  return `${counted(report.requests, 'request')}: ${parts.join(', ')}${median}`;
}

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
