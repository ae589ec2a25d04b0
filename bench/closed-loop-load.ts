/**
 * A closed-loop load: `concurrency` workers each send a request, wait for its last byte, and
 * send the next, until `maxRequests` are done or `maxMs` has passed, whichever comes first.
 */
import { performance } from 'node:perf_hooks';
import type { TimedResponse } from './timed-request.js';

export interface LoadLimits {
  concurrency: number;
  maxRequests: number;
  maxMs: number;
}

export interface LoadResult {
  responses: TimedResponse[];
  /** Requests that threw or came back incomplete (not 200, cut short). */
  failures: number;
  firstFailure: string | undefined;
  elapsedMs: number;
}

export async function runClosedLoop(send: () => Promise<TimedResponse>, limits: LoadLimits): Promise<LoadResult> {
  const responses: TimedResponse[] = [];
  let started = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const begin = performance.now();
  const deadline = begin + limits.maxMs;
  const worker = async () => {
    while (started < limits.maxRequests && performance.now() < deadline) {
      started++;
      try {
        const response = await send();
        if (response.complete) responses.push(response);
        else {
          failures++;
          firstFailure ??= `status ${response.status}, ${response.bytes} bytes`;
        }
      } catch (error) {
        failures++;
        firstFailure ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, worker));
  return { responses, failures, firstFailure, elapsedMs: performance.now() - begin };
}

/** Several loads in turn, as one: their responses together, their times added. */
export function mergeLoads(loads: readonly LoadResult[]): LoadResult {
  return {
    responses: loads.flatMap((l) => l.responses),
    failures: loads.reduce((sum, l) => sum + l.failures, 0),
    firstFailure: loads.find((l) => l.firstFailure)?.firstFailure,
    elapsedMs: loads.reduce((sum, l) => sum + l.elapsedMs, 0),
  };
}
