/** A time range `[fromMs, toMs)` in epoch milliseconds. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/** The `from` / `to` a caller gave, each undefined when absent. */
export interface ExplicitWindow {
  fromMs: number | undefined;
  toMs: number | undefined;
}

export const DAY_MS = 86_400_000;

/**
 * The window a query reads: `to` defaults to now; `from` defaults to, and is never earlier than,
 * the start of the retention. Older items have passed their TTL: DynamoDB may take days to
 * delete them, and until then they would show up as if still kept.
 */
export function resolveTimeWindow(explicit: ExplicitWindow, nowMs: number, retentionDays: number): TimeWindow {
  const retentionStartMs = nowMs - retentionDays * DAY_MS;
  return {
    fromMs: Math.max(explicit.fromMs ?? retentionStartMs, retentionStartMs),
    toMs: explicit.toMs ?? nowMs,
  };
}
