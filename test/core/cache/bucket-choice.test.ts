import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseFromBucket } from '../../../lambdas/core/cache/bucket-choice.js';
import type { CachedAnswer } from '../../../lambdas/core/ports/response-cache.js';

const answer = (text: string): CachedAnswer => ({
  status: 200,
  headers: {},
  body: Buffer.from(text),
  stream: false,
  original: { requestId: text, createdAtMs: 0, latencyMs: 10, ttftMs: null, model: null, usage: null },
});
const both = { read: true, save: true };

describe('chooseFromBucket', () => {
  it('misses on an empty bucket and fills slot 0', () => {
    assert.deepEqual(chooseFromBucket([null], both, Math.random), { hit: false, saveSlot: 0 });
  });

  it('hits a full bucket of one', () => {
    const a = answer('a');
    assert.deepEqual(chooseFromBucket([a], both, Math.random), { hit: true, slot: 0, answer: a });
  });

  it('keeps missing while a bucket of three fills, then picks a slot at random', () => {
    const [a, b, c] = [answer('a'), answer('b'), answer('c')];
    assert.deepEqual(
      chooseFromBucket([a, null, null], both, () => 0),
      { hit: false, saveSlot: 1 },
    );
    assert.deepEqual(
      chooseFromBucket([a, b, null], both, () => 0),
      { hit: false, saveSlot: 2 },
    );
    assert.deepEqual(
      chooseFromBucket([a, b, c], both, () => 0.99),
      { hit: true, slot: 2, answer: c },
    );
    assert.deepEqual(
      chooseFromBucket([a, b, c], both, () => 0.4),
      { hit: true, slot: 1, answer: b },
    );
  });

  it('read-only takes what the bucket holds and stores nothing', () => {
    const a = answer('a');
    assert.deepEqual(
      chooseFromBucket([null, a, null], { read: true, save: false }, () => 0),
      { hit: true, slot: 1, answer: a },
    );
    assert.deepEqual(
      chooseFromBucket([null, null], { read: true, save: false }, () => 0),
      { hit: false, saveSlot: null },
    );
  });

  it('save-only never hits: it fills the first empty slot, or refreshes a random one of a full bucket', () => {
    const a = answer('a');
    assert.deepEqual(
      chooseFromBucket([a, null], { read: false, save: true }, () => 0),
      { hit: false, saveSlot: 1 },
    );
    assert.deepEqual(
      chooseFromBucket([a, a], { read: false, save: true }, () => 0.6),
      { hit: false, saveSlot: 1 },
    );
  });
});
