/**
 * The demo's traffic plan: the mix the issue asks for is really in it (users on every tier,
 * sessions with paths, both properties, streams on both SDKs, embeddings, cache hits, an unpriced
 * model), and in its first minute it is enough for what the demo promises: the production error
 * rate over the guide's 5% from one feature only, and a free-tier user over the free quota.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findModelPrice } from '../../lambdas/core/pricing/compute-cost.js';
import {
  DEMO_USERS,
  demoCallHeaders,
  DemoScenario,
  FREE_TIER_QUOTA,
  OVERLOADED_STATUS,
  UNPRICED_MODEL,
  type DemoCall,
} from '../../lambdas/demo/demo-scenario.js';
import { MOCK_HEADERS } from '../../lambdas/demo/mock-provider.js';
import { DEMO_REQUESTS_PER_SECOND } from '../../lambdas/demo/run-demo.js';

const calls = (count: number, seed?: number): DemoCall[] => {
  const scenario = new DemoScenario(seed);
  return Array.from({ length: count }, () => scenario.next());
};
/** The calls of the demo's first minute at its rate. */
const firstMinute = calls(60 * DEMO_REQUESTS_PER_SECOND);

describe('the demo scenario', () => {
  test('is the same for the same seed, and another seed gives other traffic', () => {
    assert.deepEqual(calls(200, 7), calls(200, 7));
    assert.notDeepEqual(calls(200, 7), calls(200, 8));
  });

  test('mixes every feature, user and tier, both environments, and streams on both SDKs', () => {
    const features = new Set(firstMinute.map((call) => call.feature));
    assert.deepEqual([...features].sort(), ['autocomplete', 'chat', 'search', 'summarize', 'support-bot']);
    assert.deepEqual(new Set(firstMinute.map((call) => call.user.id)), new Set(DEMO_USERS.map((user) => user.id)));
    assert.deepEqual(new Set(firstMinute.map((call) => call.user.tier)), new Set(['free', 'pro', 'enterprise']));
    assert.deepEqual(new Set(firstMinute.map((call) => call.environment)), new Set(['production', 'staging']));
    assert.ok(firstMinute.some((call) => call.api === 'openai-chat' && call.stream));
    assert.ok(firstMinute.some((call) => call.api === 'anthropic-messages' && call.stream));
    assert.ok(firstMinute.some((call) => call.api === 'anthropic-messages' && !call.stream));
    assert.ok(firstMinute.some((call) => call.api === 'openai-embeddings'));
  });

  test('sends the monitoring headers, sessions with a tree of paths, and the cache on repeated requests', () => {
    for (const call of firstMinute) {
      const headers = demoCallHeaders(call);
      assert.equal(headers['Lookout-User-Id'], call.user.id);
      assert.equal(headers['Lookout-Property-Environment'], call.environment);
      assert.equal(headers['Lookout-Property-Feature'], call.feature);
      assert.equal(headers['Lookout-Property-Tier'], call.user.tier);
      assert.equal(headers['Lookout-Session-Id'], call.session?.id);
      assert.equal(headers['Lookout-Session-Path'], call.session?.path);
      assert.equal(headers['Lookout-Cache-Enabled'], call.cache ? 'true' : undefined);
    }
    const ticketPaths = new Map<string, string[]>();
    for (const call of firstMinute.filter((c) => c.feature === 'support-bot')) {
      ticketPaths.set(call.session!.id, [...(ticketPaths.get(call.session!.id) ?? []), call.session!.path]);
    }
    assert.ok(
      [...ticketPaths.values()].some((paths) => paths.join(' ') === '/triage /triage/search-kb /draft-reply /draft-reply/review'),
      'a whole ticket, its steps in order',
    );
    const cached = firstMinute.filter((call) => call.cache);
    assert.ok(cached.length > new Set(cached.map((call) => call.input)).size * 2, 'cached requests repeat, so most are hits');
  });

  test('uses one model the price table does not know', () => {
    assert.equal(findModelPrice('openai', UNPRICED_MODEL, []), null);
    assert.ok(firstMinute.some((call) => call.model === UNPRICED_MODEL));
    const priced = firstMinute.filter((call) => call.model !== UNPRICED_MODEL);
    for (const call of priced)
      assert.notEqual(findModelPrice(call.api.startsWith('openai') ? 'openai' : 'anthropic', call.model, []), null, call.model);
  });

  test('in its first minute, fails only support-bot calls in production, over the error-rate alert threshold', () => {
    const failing = firstMinute.filter((call) => call.mock.status !== null);
    assert.ok(failing.length > 0);
    for (const call of failing) {
      assert.equal(call.feature, 'support-bot');
      assert.equal(call.environment, 'production');
      assert.equal(call.mock.status, OVERLOADED_STATUS);
      assert.equal(demoCallHeaders(call)[MOCK_HEADERS.status], String(OVERLOADED_STATUS));
    }
    const production = firstMinute.filter((call) => call.environment === 'production');
    // The guide's rule: over 5% with at least 10 requests; well over, so it fires on the first evaluations.
    assert.ok(failing.length / production.length > 0.08, `${failing.length} of ${production.length}`);
    // ... within the first 15 seconds' calls already.
    const early = firstMinute.slice(0, 15 * DEMO_REQUESTS_PER_SECOND);
    assert.ok(early.filter((call) => call.mock.status !== null).length >= 2);
  });

  test('has a free-tier user who goes over the free quota each minute', () => {
    const freeUsers = DEMO_USERS.filter((user) => user.tier === FREE_TIER_QUOTA.match.properties.tier);
    const heaviest = Math.max(...freeUsers.map((user) => firstMinute.filter((call) => call.user.id === user.id).length));
    assert.ok(heaviest > FREE_TIER_QUOTA.limit, `${heaviest} requests`);
  });
});
