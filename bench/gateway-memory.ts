/**
 * Scenario 3: the gateway process's memory. (a) After full collections, before and after rounds
 * of many streamed requests: what it still holds per request once their logs are written. (b)
 * While large streamed answers go through: the peak over the memory it had before, against the
 * size of the answer and `maxBodyBytes` (the most of an answer it keeps for the log).
 */
import { randomUUID } from 'node:crypto';
import { scaled, type BenchContext } from './bench-context.js';
import { runClosedLoop } from './closed-loop-load.js';
import type { BenchStreamMode } from './mock-process.js';
import { loggedRequest, waitUntilLogged, waitUntilUserLogged } from './request-log-probe.js';
import type { MemoryPeaks, MemorySnapshot } from './stack-process.js';
import { chatRequest, timedChatRequest } from './timed-request.js';

export interface MemoryCheckpoint {
  label: string;
  /** Requests sent since the previous checkpoint. */
  requests: number;
  failures: number;
  throughputRps: number;
  /** From the round's last byte until its last requests were logged (the log backlog). */
  logSettleMs: number;
  memory: MemorySnapshot;
}

export interface SteadyStateMemory {
  concurrency: number;
  checkpoints: MemoryCheckpoint[];
}

/** Streamed requests (the mock's zero-gap stream) in rounds, memory after each once logs are written. */
export async function measureSteadyStateMemory(
  context: BenchContext,
  plan: { warmupRequests: number; roundRequests: number; rounds: number; concurrency: number },
): Promise<SteadyStateMemory> {
  const chat = chatRequest(context.stack.ready.appKey, true, 'memory');
  const checkpoints: MemoryCheckpoint[] = [];
  const round = async (label: string, requests: number) => {
    const load = await runClosedLoop(() => timedChatRequest(context.gateway, chat), {
      concurrency: plan.concurrency,
      maxRequests: requests,
      maxMs: scaled(context, 45_000, 2_000),
    });
    const lastIds = [...load.responses]
      .sort((a, b) => a.lastByteAt - b.lastByteAt)
      .slice(-16)
      .map((r) => r.lookoutId!);
    const logSettleMs = await waitUntilLogged(context, lastIds, 60_000);
    // The mock keeps every request it got; that is the mock process, but keep it small anyway.
    await context.mock.call('forgetRequests');
    await new Promise((r) => setTimeout(r, 500));
    checkpoints.push({
      label,
      requests: load.responses.length + load.failures,
      failures: load.failures,
      throughputRps: load.responses.length / (load.elapsedMs / 1000),
      logSettleMs,
      memory: await context.stack.call<MemorySnapshot>('memoryAfterGc'),
    });
  };
  await round('after warm-up', scaled(context, plan.warmupRequests, 20));
  for (let i = 1; i <= plan.rounds; i++) await round(`after round ${i}`, scaled(context, plan.roundRequests, 50));
  return { concurrency: plan.concurrency, checkpoints };
}

export interface LargeResponseMemory {
  /** Bytes of SSE the mock was asked to stream (each answer a little more). */
  responseBytes: number;
  directMs: number[];
  gatewayMs: number[];
  /** After full collections, before the gateway requests. */
  before: MemorySnapshot;
  /** Sampled every 5 ms while `gatewayMs` were measured: includes garbage not yet collected. */
  peaks: MemoryPeaks;
  /** A separate request, sampled every 10 ms right after a full collection: live memory only. */
  livePeaks: MemoryPeaks;
  /** After full collections once every answer was logged. */
  after: MemorySnapshot;
  /** Size of the response body the log item holds (decompressed), of the first request. */
  storedResponseBytes: number | null;
  logSettleMs: number;
}

/**
 * Large streamed answers, one at a time: timed direct then through the gateway while sampling
 * its memory, then one more through the gateway sampling live memory (forced collections slow
 * the gateway, so that request is not timed).
 */
export async function measureLargeResponse(
  context: BenchContext,
  responseBytes: number,
  timedRequests: number,
): Promise<LargeResponseMemory> {
  await context.mock.call('streamMode', { kind: 'large', bytes: responseBytes } satisfies BenchStreamMode);
  const userId = `bench-large-${responseBytes}-${randomUUID()}`;
  const chat = chatRequest(context.stack.ready.appKey, true, 'large-response');
  chat.headers['lookout-user-id'] = userId;
  const sequentially = async (target: typeof context.direct, requests: number) => {
    const times: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < requests; i++) {
      const response = await timedChatRequest(target, chat);
      if (!response.complete || response.bytes < responseBytes)
        throw new Error(`${target.name} large answer incomplete: ${response.status}, ${response.bytes} bytes`);
      times.push(response.totalMs);
      if (response.lookoutId) ids.push(response.lookoutId);
    }
    return { times, ids };
  };
  const direct = await sequentially(context.direct, timedRequests);

  const before = await context.stack.call<MemorySnapshot>('memoryAfterGc');
  await context.stack.call('startPeakSampling', { intervalMs: 5, collectFirst: false });
  const gateway = await sequentially(context.gateway, timedRequests);
  const logSettleMs = await waitUntilUserLogged(context, userId, timedRequests, 60_000);
  const peaks = await context.stack.call<MemoryPeaks>('stopPeakSampling');

  await context.stack.call<MemorySnapshot>('memoryAfterGc');
  await context.stack.call('startPeakSampling', { intervalMs: 10, collectFirst: true });
  await sequentially(context.gateway, 1);
  await waitUntilUserLogged(context, userId, timedRequests + 1, 60_000);
  const livePeaks = await context.stack.call<MemoryPeaks>('stopPeakSampling');

  await context.mock.call('forgetRequests');
  const after = await context.stack.call<MemorySnapshot>('memoryAfterGc');
  const stored = await loggedRequest(context, gateway.ids[0]!);
  const storedBody = stored?.responseBody;
  return {
    responseBytes,
    directMs: direct.times,
    gatewayMs: gateway.times,
    before,
    peaks,
    livePeaks,
    after,
    storedResponseBytes:
      typeof storedBody === 'string' ? Buffer.byteLength(storedBody) : storedBody ? Buffer.byteLength(JSON.stringify(storedBody)) : null,
    logSettleMs,
  };
}
