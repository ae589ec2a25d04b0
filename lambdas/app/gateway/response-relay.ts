import { PassThrough, type Readable } from 'node:stream';

/** Transforms upstream bytes on their way to the client (usage accounting, usage-chunk removal). */
export interface ByteTap {
  push(chunk: Uint8Array): Uint8Array;
  end(): Uint8Array;
  /** The answer's own end (a stream's final event) has passed through: see `relayUpstreamBody`. */
  readonly sawFinalEvent?: boolean;
}

export type RelayOutcome =
  | { kind: 'completed'; firstByteAtMs: number | undefined; endedAtMs: number }
  | { kind: 'cancelled'; firstByteAtMs: number | undefined; endedAtMs: number }
  | { kind: 'upstream_error'; error: Error; firstByteAtMs: number | undefined; endedAtMs: number };

export interface Relay {
  /** What the handler returns as the response body. */
  body: Readable;
  /** Settles once the client has the last byte, went away, or the upstream failed mid-body. */
  outcome: Promise<RelayOutcome>;
}

/**
 * Relays an upstream body to the client chunk by chunk as it arrives (no buffering), through
 * `tap`. When the client goes away, `onClientGone` runs so the caller can abort the upstream.
 * A client that goes away once it has been sent the stream's final event (the tap's
 * `sawFinalEvent` when its bytes were written) got the whole answer: that is `completed`, not
 * `cancelled`, since SDKs (OpenAI's) stop reading there, before the body's own end.
 */
export function relayUpstreamBody(upstream: Readable, tap: ByteTap, onClientGone: () => void, now: () => number = Date.now): Relay {
  const body = new PassThrough();
  let clientGone = false;
  body.once('close', () => {
    if (!body.readableEnded) {
      clientGone = true;
      onClientGone();
      upstream.destroy();
    }
  });

  const outcome = (async (): Promise<RelayOutcome> => {
    let firstByteAtMs: number | undefined;
    let finalEventSent = false;
    const send = async (bytes: Uint8Array): Promise<void> => {
      if (bytes.length === 0 || clientGone) return;
      firstByteAtMs ??= now();
      const room = body.write(bytes);
      finalEventSent ||= tap.sawFinalEvent === true;
      if (!room) await drainedOrClosed(body);
    };
    const ended = (): RelayOutcome =>
      clientGone && !finalEventSent
        ? { kind: 'cancelled', firstByteAtMs, endedAtMs: now() }
        : { kind: 'completed', firstByteAtMs, endedAtMs: now() };
    try {
      for await (const chunk of upstream) {
        await send(tap.push(chunk as Uint8Array));
        if (clientGone) break;
      }
      if (!clientGone) await send(tap.end());
    } catch (error) {
      if (!clientGone) {
        body.end();
        return { kind: 'upstream_error', error: error as Error, firstByteAtMs, endedAtMs: now() };
      }
    }
    if (clientGone) return ended();
    body.end();
    await delivered(body);
    return ended();
  })();
  return { body, outcome };
}

/** A fixed body (Lookout's own JSON answers) with a promise that settles once it was read out. */
export function fixedBody(bytes: Buffer): { body: Readable; delivered: Promise<void> } {
  const body = new PassThrough();
  body.end(bytes);
  return { body, delivered: delivered(body) };
}

/**
 * Waits until the client has room again or is gone. Both listeners go when either fires: a
 * `Promise.race` of two `once()`s would leave a `close` (and `error`) listener behind at every
 * backpressure wait, thousands on a long answer to a slow client.
 */
function drainedOrClosed(body: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const settle = () => {
      body.off('drain', settle);
      body.off('close', settle);
      resolve();
    };
    body.on('drain', settle);
    body.on('close', settle);
  });
}

function delivered(body: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (body.readableEnded || body.destroyed) return resolve();
    body.once('end', resolve);
    body.once('close', resolve);
  });
}
