/**
 * What `npm run demo` sets up on a fresh stack before its traffic, the way a team would: an app key
 * per service (as `npm run keys -- create` makes them), and through the query API with the dev
 * key the guide's three alerts (README, "Alerts"; Slack only, since the demo's Slack receiver
 * prints what it gets) and a quota for the free tier (README, "Quotas and rate limits").
 */
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import { GatewayKeyTable } from '../adapters/dynamodb/gateway-key-table.js';
import { generateGatewayKey, newGatewayKeyRecord } from '../core/auth/gateway-key.js';
import { LOCAL_TABLE_NAMES, type LocalStack } from '../local/local-stack.js';
import { FREE_TIER_QUOTA, type DemoKeyName } from './demo-scenario.js';

/** The guide's three alerts, as its README lists them, each notifying the default Slack webhook. */
export const GUIDE_ALERTS = [
  {
    name: 'Production error rate',
    metric: 'error_rate',
    threshold: 5,
    windowSeconds: 600,
    minRequests: 10,
    filter: { properties: { environment: 'production' } },
    severity: 'critical',
    channels: { slack: true },
  },
  {
    name: 'Daily cost',
    metric: 'cost',
    threshold: 100,
    windowSeconds: 86_400,
    forecast: true,
    filter: { properties: { environment: 'production' } },
    channels: { slack: true },
  },
  {
    name: 'Slow responses',
    metric: 'latency_p95',
    threshold: 10_000,
    windowSeconds: 1_800,
    minRequests: 20,
    filter: { properties: { environment: 'production' } },
    channels: { slack: true },
  },
] as const;

/** Makes an app key for each of the demo's services, straight in the keys table. */
export async function createDemoAppKeys(stack: LocalStack): Promise<Record<DemoKeyName, string>> {
  const keys = new GatewayKeyTable(createDocumentClient(stack.lambdaEnvironment), LOCAL_TABLE_NAMES.keys);
  const made = {} as Record<DemoKeyName, string>;
  for (const name of ['web-app', 'support-service'] as const) {
    const key = generateGatewayKey();
    await keys.create(newGatewayKeyRecord(key, name, 'app', Date.now()));
    made[name] = key;
  }
  return made;
}

/** Creates the guide's alerts and the free tier's quota through the query API. */
export async function createDemoAlertsAndQuota(url: string, devKey: string): Promise<void> {
  for (const alert of GUIDE_ALERTS) await postJson(url, devKey, '/v1/alerts', alert);
  await postJson(url, devKey, '/v1/quotas', FREE_TIER_QUOTA);
}

async function postJson(url: string, devKey: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Lookout-Auth': `Bearer ${devKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
}
