/**
 * The rollups end to end under `npm start`: the official SDK sends a mixed workload through the
 * local stack, DynamoDB Local's stream carries each logged request to the aggregator through the
 * local stream poller, and the rollups equal sums taken straight over the request log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/document-client.js';
import { RollupTable } from '../../lambdas/adapters/dynamodb/rollup-table.js';
import type { RollupBucket } from '../../lambdas/core/rollups/rollup-bucket.js';
import type { Dimension } from '../../lambdas/core/rollups/rollup-dimensions.js';
import { bucketStartMs } from '../../lambdas/core/rollups/rollup-resolution.js';
import { LOCAL_TABLE_NAMES } from '../../lambdas/local/local-stack.js';
import { sendJson } from '../../lambdas/demo/mock-provider.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

interface LoggedRequest {
  id: string;
  userId: string | null;
  model: string | null;
  status: number;
  outcome: string;
  costUsd: number | null;
  totalTokens: number | null;
  cacheHit: boolean;
  properties: Record<string, string>;
}

describe('the rollups under npm start', () => {
  let fx: StackFixture;
  let appKey: string;
  let adminKey: string;
  let rollups: RollupTable;
  const startedAtMs = Date.now();

  before(async () => {
    // A cache read past its bound is a miss by design; this test wants the hits it asks for on a loaded machine.
    fx = await startStackFixture({ indexedProperties: ['environment'], cacheTimeoutMs: 2_000 });
    appKey = await fx.createKey('app', 'rollup-app');
    adminKey = await fx.createKey('admin');
    rollups = new RollupTable(createDocumentClient(fx.stack.lambdaEnvironment), LOCAL_TABLE_NAMES.rollups, {
      minute: 2,
      hour: 90,
      day: 730,
    });
  });
  after(() => fx.close());

  function openai(headers: Record<string, string>): OpenAI {
    return new OpenAI({
      apiKey: 'sk-provider',
      baseURL: `${fx.url}/openai/v1`,
      defaultHeaders: { 'Helicone-Auth': `Bearer ${appKey}`, ...headers },
      maxRetries: 0,
    });
  }

  async function loggedRequests(): Promise<LoggedRequest[]> {
    const requests: LoggedRequest[] = [];
    let cursor: string | null = null;
    do {
      const response = await fetch(`${fx.url}/v1/requests?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: { 'Lookout-Auth': `Bearer ${adminKey}` },
      });
      const body = (await response.json()) as { requests: LoggedRequest[]; next: string | null };
      requests.push(...body.requests);
      cursor = body.next;
    } while (cursor);
    return requests;
  }

  async function sendWorkload(): Promise<void> {
    for (let i = 0; i < 24; i++) {
      const headers: Record<string, string> = { 'Helicone-User-Id': `user-${i % 3}` };
      if (i % 4 !== 3) headers['Helicone-Property-Environment'] = i % 2 ? 'production' : 'staging';
      if (i % 6 === 0) headers['Helicone-Cache-Enabled'] = 'true';
      const client = openai(headers);
      const model = i % 3 === 2 ? 'gpt-4o' : 'gpt-4o-mini';
      const messages = [{ role: 'user' as const, content: i % 6 === 0 ? 'a cacheable question' : `question ${i}` }];
      if (i % 5 === 1) {
        const stream = await client.chat.completions.create({ model, messages, stream: true });
        for await (const _chunk of stream);
      } else if (i % 8 === 4) {
        const controller = new AbortController();
        const gate = fx.mock.holdLastEvent();
        const stream = await client.chat.completions.create({ model, messages, stream: true }, { signal: controller.signal });
        for await (const chunk of stream) if (chunk.choices[0]?.delta.content) break;
        controller.abort();
        gate.release();
      } else {
        if (i % 7 === 5) fx.mock.scriptNext((_req, res) => sendJson(res, 500, { error: { message: 'mock outage', type: 'server_error' } }));
        await client.chat.completions.create({ model, messages }).catch((error: unknown) => {
          if (!(error instanceof OpenAI.APIError && error.status === 500)) throw error;
        });
      }
    }
    // Without a user id: all traffic counts it, no user does.
    await openai({}).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'anonymous' }] });
  }

  /** The requests' own sums, taken from the log's JSON with nothing of the rollups' code. */
  function sums(requests: readonly LoggedRequest[]) {
    const ok = (r: LoggedRequest) => r.status >= 200 && r.status < 400 && r.outcome === 'completed';
    return {
      requests: requests.length,
      errors: requests.filter((r) => !ok(r)).length,
      cancelled: requests.filter((r) => r.outcome === 'cancelled').length,
      status5xx: requests.filter((r) => r.status >= 500).length,
      cacheHits: requests.filter((r) => r.cacheHit).length,
      costNanoUsd: requests.reduce((sum, r) => sum + Math.round((r.costUsd ?? 0) * 1e9), 0),
      totalTokens: requests.reduce((sum, r) => sum + (r.totalTokens ?? 0), 0),
    };
  }

  function countsOf(bucket: RollupBucket | null | undefined) {
    const c = bucket?.counts;
    return {
      requests: c?.requests ?? 0,
      errors: c?.errors ?? 0,
      cancelled: c?.cancelled ?? 0,
      status5xx: c?.status5xx ?? 0,
      cacheHits: c?.cacheHits ?? 0,
      costNanoUsd: c?.costNanoUsd ?? 0,
      totalTokens: c?.totalTokens ?? 0,
    };
  }

  test('equal sums over the logged requests, overall, per user, per model and per indexed property within a user', async () => {
    await sendWorkload();
    await fx.stack.idle();
    await fx.stack.rollupsCaughtUp();
    const logged = await loggedRequests();
    assert.equal(logged.length, 25);
    assert.ok(logged.some((r) => r.outcome === 'cancelled') && logged.some((r) => r.cacheHit) && logged.some((r) => r.status === 500));

    const day = { resolution: 'day' as const, startMs: bucketStartMs(startedAtMs, 'day') };
    if (bucketStartMs(Date.now(), 'day') !== day.startMs) return; // The run crossed midnight UTC: the day totals are split.
    const [all] = await rollups.readBuckets([{ time: day, series: { dimensions: [], values: [] } }]);
    assert.deepEqual(countsOf(all), sums(logged));

    const byUser = await rollups.readGroup(day, ['user'], new Map());
    for (const user of ['user-0', 'user-1', 'user-2', null]) {
      const group = byUser.find((g) => g.series.values[0] === user);
      assert.deepEqual(countsOf(group?.bucket), sums(logged.filter((r) => r.userId === user)), `user ${user}`);
    }
    const byModel = await rollups.readGroup(day, ['model'], new Map());
    assert.deepEqual(byModel.map((g) => g.series.values[0]).sort(), ['gpt-4o', 'gpt-4o-mini']);
    for (const group of byModel) assert.deepEqual(countsOf(group.bucket), sums(logged.filter((r) => r.model === group.series.values[0])));

    const filter = new Map<Dimension, string | null>([['property:environment', 'production']]);
    const productionByUser = await rollups.readGroup(day, ['property:environment', 'user'], filter);
    for (const group of productionByUser) {
      const user = group.series.values[1];
      assert.deepEqual(
        countsOf(group.bucket),
        sums(logged.filter((r) => r.userId === user && r.properties.environment === 'production')),
        `production requests of ${user}`,
      );
    }
    assert.equal(
      productionByUser.reduce((sum, g) => sum + g.bucket.counts.requests, 0),
      logged.filter((r) => r.properties.environment === 'production').length,
    );
  });
});
