import assert from 'node:assert/strict';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { fixedBody, relayUpstreamBody, type ByteTap } from '../../../lambdas/app/gateway/response-relay.js';

// A guard against hangs only: every test below finishes in milliseconds when the relay works.
const HANG_GUARD = { timeout: 10_000 };

const identityTap: ByteTap = { push: (chunk) => chunk, end: () => new Uint8Array(0) };

/** A clock that moves one millisecond each time it is read. */
function steppingClock(startMs = 1_000): () => number {
  let nowMs = startMs;
  return () => nowMs++;
}

/** Reads the next chunk the client would get, or null at the end. */
async function nextChunk(body: Readable): Promise<Buffer | null> {
  const chunk = body.read() as Buffer | null;
  if (chunk !== null || body.readableEnded) return chunk;
  await Promise.race([once(body, 'readable'), once(body, 'end')]);
  return body.read() as Buffer | null;
}

async function readAll(body: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

describe('relayUpstreamBody', () => {
  it('relays each chunk as it arrives, before the upstream has ended', HANG_GUARD, async () => {
    const upstream = new PassThrough();
    const relay = relayUpstreamBody(upstream, identityTap, () => {});

    upstream.write('data: {"delta":"Hel"}\n\n');
    assert.equal((await nextChunk(relay.body))?.toString(), 'data: {"delta":"Hel"}\n\n');
    assert.equal(upstream.writableEnded, false, 'the upstream is still open');

    upstream.write('data: {"delta":"lo"}\n\n');
    assert.equal((await nextChunk(relay.body))?.toString(), 'data: {"delta":"lo"}\n\n');

    upstream.end('data: [DONE]\n\n');
    assert.equal(await readAll(relay.body), 'data: [DONE]\n\n');
    assert.equal((await relay.outcome).kind, 'completed');
  });

  it('sends the client what the tap makes of the bytes, its final bytes included', HANG_GUARD, async () => {
    const upstream = new PassThrough();
    const seen: string[] = [];
    const tap: ByteTap = {
      push(chunk) {
        const text = Buffer.from(chunk).toString();
        seen.push(text);
        // Drop a usage-only chunk the gateway injected; pass the rest on upper-cased.
        return text.includes('"usage"') ? new Uint8Array(0) : Buffer.from(text.toUpperCase());
      },
      end: () => Buffer.from('[END]'),
    };
    const relay = relayUpstreamBody(upstream, tap, () => {});
    const client = readAll(relay.body);
    // One turn between writes so each arrives as its own chunk, as network reads do.
    upstream.write('one ');
    await nextTurn();
    upstream.write('{"usage":{}} ');
    await nextTurn();
    upstream.end('two');

    assert.equal(await client, 'ONE TWO[END]');
    assert.deepEqual(seen.join(''), 'one {"usage":{}} two', 'the tap saw every upstream byte');
    assert.equal((await relay.outcome).kind, 'completed');
  });

  it('reports completed with when the first byte went out and when the last did', HANG_GUARD, async () => {
    const upstream = new PassThrough();
    let nowMs = 5_000;
    const relay = relayUpstreamBody(
      upstream,
      identityTap,
      () => {},
      () => nowMs,
    );
    const client = readAll(relay.body);

    upstream.write('first');
    await nextTurn();
    nowMs = 5_250;
    upstream.end('last');
    await client;
    nowMs = 5_900;

    const outcome = await relay.outcome;
    assert.equal(outcome.kind, 'completed');
    assert.equal(outcome.firstByteAtMs, 5_000);
    assert.ok(outcome.endedAtMs >= 5_250, `endedAtMs ${outcome.endedAtMs}`);
  });

  it('counts the first byte from the first bytes the client gets, not the first the upstream sends', HANG_GUARD, async () => {
    const upstream = new PassThrough();
    let nowMs = 0;
    const tap: ByteTap = {
      push: (chunk) => (Buffer.from(chunk).toString() === 'hidden' ? new Uint8Array(0) : chunk),
      end: () => new Uint8Array(0),
    };
    const relay = relayUpstreamBody(
      upstream,
      tap,
      () => {},
      () => nowMs,
    );
    const client = readAll(relay.body);

    nowMs = 100;
    upstream.write('hidden');
    await nextTurn();
    nowMs = 200;
    upstream.end('shown');

    assert.equal(await client, 'shown');
    assert.equal((await relay.outcome).firstByteAtMs, 200);
  });

  it('completes with no first byte for an empty answer', HANG_GUARD, async () => {
    const upstream = new PassThrough();
    const relay = relayUpstreamBody(upstream, identityTap, () => {}, steppingClock());
    upstream.end();
    assert.equal(await readAll(relay.body), '');
    const outcome = await relay.outcome;
    assert.equal(outcome.kind, 'completed');
    assert.equal(outcome.firstByteAtMs, undefined);
  });

  it('does not call onClientGone when the client read everything', HANG_GUARD, async () => {
    const upstream = new PassThrough();
    let gone = 0;
    const relay = relayUpstreamBody(upstream, identityTap, () => gone++);
    upstream.end('all of it');
    await readAll(relay.body);
    await relay.outcome;
    await nextTurn();
    assert.equal(gone, 0);
  });

  it('reports cancelled, calls onClientGone and destroys the upstream when the client goes away mid-answer', HANG_GUARD, async () => {
    const upstream = new PassThrough();
    let gone = 0;
    const relay = relayUpstreamBody(upstream, identityTap, () => gone++, steppingClock());

    upstream.write('part one');
    assert.equal((await nextChunk(relay.body))?.toString(), 'part one');
    relay.body.destroy(); // the client hung up

    const outcome = await relay.outcome;
    assert.equal(outcome.kind, 'cancelled');
    assert.equal(typeof outcome.firstByteAtMs, 'number');
    assert.equal(gone, 1);
    assert.equal(upstream.destroyed, true, 'the upstream call is torn down');
  });

  it(
    'reports completed when the client goes away once it was sent the final event, as the OpenAI SDK does after [DONE]',
    HANG_GUARD,
    async () => {
      const upstream = new PassThrough();
      let finalSeen = false;
      const tap: ByteTap = {
        push: (chunk) => {
          finalSeen ||= Buffer.from(chunk).toString().includes('[DONE]');
          return chunk;
        },
        end: () => new Uint8Array(0),
        get sawFinalEvent() {
          return finalSeen;
        },
      };
      const relay = relayUpstreamBody(upstream, tap, () => {}, steppingClock());
      upstream.write('data: {"x":1}\n\ndata: [DONE]\n\n');
      assert.match((await nextChunk(relay.body))?.toString() ?? '', /\[DONE\]/);
      relay.body.destroy(); // the SDK stops reading at [DONE], before the upstream's end

      assert.equal((await relay.outcome).kind, 'completed');
    },
  );

  it('still reports cancelled when the client leaves before the final event was sent', HANG_GUARD, async () => {
    const upstream = new PassThrough();
    const tap: ByteTap = { ...identityTap, sawFinalEvent: false };
    const relay = relayUpstreamBody(upstream, tap, () => {}, steppingClock());
    upstream.write('data: {"x":1}\n\n');
    await nextChunk(relay.body);
    relay.body.destroy();
    assert.equal((await relay.outcome).kind, 'cancelled');
  });

  it('reports cancelled when the client goes away while the relay waits for it to read', HANG_GUARD, async () => {
    const upstream = new PassThrough();
    let gone = 0;
    const relay = relayUpstreamBody(upstream, identityTap, () => gone++);
    // More than the body buffers, and nobody reads: the relay is held up by backpressure.
    for (let i = 0; i < 8; i++) upstream.write(Buffer.alloc(16 * 1024, 0x61));
    await nextTurn();
    await nextTurn();
    relay.body.destroy();

    assert.equal((await relay.outcome).kind, 'cancelled');
    assert.equal(gone, 1);
    assert.equal(upstream.destroyed, true);
  });

  it('reports upstream_error with the error and ends the client body when the upstream breaks mid-answer', HANG_GUARD, async () => {
    const upstream = new PassThrough();
    let gone = 0;
    const relay = relayUpstreamBody(upstream, identityTap, () => gone++, steppingClock());
    const client = readAll(relay.body);

    upstream.write('partial answer');
    await nextTurn();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    upstream.destroy(reset);

    assert.equal(await client, 'partial answer', 'the client gets what arrived, then the end of the body');
    const outcome = await relay.outcome;
    assert.equal(outcome.kind, 'upstream_error');
    assert.equal(outcome.kind === 'upstream_error' && outcome.error, reset);
    assert.equal(typeof outcome.firstByteAtMs, 'number');
    assert.equal(gone, 0, 'the client did not go away');
  });

  it('relays a long answer to a slow client in order without piling up listeners', HANG_GUARD, async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const upstream = new PassThrough();
      const relay = relayUpstreamBody(upstream, identityTap, () => {});
      let maxCloseListeners = 0;
      const received: Buffer[] = [];
      // A client that reads one chunk, then stalls for a few turns: the relay meets backpressure often.
      relay.body.on('data', (chunk: Buffer) => {
        received.push(chunk);
        maxCloseListeners = Math.max(maxCloseListeners, relay.body.listenerCount('close'));
        relay.body.pause();
        void (async () => {
          for (let i = 0; i < 4; i++) await nextTurn();
          relay.body.resume();
        })();
      });
      const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(32 * 1024, 0x41 + (i % 26)));
      for (const chunk of chunks) {
        upstream.write(chunk);
        await nextTurn();
        await nextTurn();
      }
      upstream.end();

      assert.equal((await relay.outcome).kind, 'completed');
      assert.deepEqual(Buffer.concat(received), Buffer.concat(chunks));
      await nextTurn();
      assert.ok(maxCloseListeners <= 3, `close listeners grew to ${maxCloseListeners}`);
      assert.deepEqual(
        warnings.map((w) => w.message),
        [],
      );
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('fixedBody', () => {
  it('delivers the bytes and settles once the client has read them', HANG_GUARD, async () => {
    const { body, delivered } = fixedBody(Buffer.from('{"error":{"code":"rate_limited","message":"slow down"}}'));
    let settled = false;
    void delivered.then(() => {
      settled = true;
    });
    await nextTurn();
    assert.equal(settled, false, 'nothing was read yet');

    assert.equal(await readAll(body), '{"error":{"code":"rate_limited","message":"slow down"}}');
    await delivered;
  });

  it('settles when the client goes away without reading', HANG_GUARD, async () => {
    const { body, delivered } = fixedBody(Buffer.from('{"error":{}}'));
    body.destroy();
    await delivered;
  });

  it('delivers an empty body', HANG_GUARD, async () => {
    const { body, delivered } = fixedBody(Buffer.alloc(0));
    assert.equal(await readAll(body), '');
    await delivered;
  });
});
