import type { GatewayLogger } from './gateway-logger.js';

/** While a dependency keeps failing, one line per this long, not one per request. */
const REPORT_EVERY_MS = 60_000;

/**
 * Logs the failures of a dependency the request path can do without (the response cache, the
 * quota counters when they fail open) once per burst: the first failure at once, then at most
 * one line a minute while they go on, each counting the failures since the line before. An
 * outage under load would otherwise write a line per request. Each request's log also says what
 * happened to it (`cacheStatus: 'unavailable'`), so the failures are counted per request there.
 */
export class BurstFailureLog {
  private lastReportAtMs: number | undefined;
  private unreported = 0;

  constructor(
    private readonly logger: GatewayLogger,
    private readonly now: () => number,
    /** What the log line says, e.g. "response cache failed; requests go ahead uncached". */
    private readonly message: string,
  ) {}

  record(operation: string, error: unknown, requestId: string): void {
    this.unreported += 1;
    const now = this.now();
    if (this.lastReportAtMs !== undefined && now - this.lastReportAtMs < REPORT_EVERY_MS) return;
    this.logger.warn(this.message, {
      operation,
      requestId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      failuresSinceLastReport: this.unreported,
    });
    this.lastReportAtMs = now;
    this.unreported = 0;
  }
}
