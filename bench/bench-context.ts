/** What every scenario needs: the two processes, the two targets, the keys, and the time scale. */
import type { BenchChild } from './child-ipc.js';
import type { MockReady } from './mock-process.js';
import type { StackReady } from './stack-process.js';
import type { ChatTarget } from './timed-request.js';

export interface BenchContext {
  stack: BenchChild<StackReady>;
  mock: BenchChild<MockReady>;
  direct: ChatTarget;
  gateway: ChatTarget;
  /** `BENCH_SCALE` (default 1): multiplies request counts and time limits, for a quick trial run. */
  scale: number;
}

/** A count or a duration scaled by `BENCH_SCALE`, never below `floor`. */
export function scaled(context: BenchContext, value: number, floor = 1): number {
  return Math.max(floor, Math.round(value * context.scale));
}
