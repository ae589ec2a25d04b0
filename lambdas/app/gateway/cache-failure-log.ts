import type { GatewayLogger } from './gateway-logger.js';

/** While the cache keeps failing, one line per this long, not one per request. */
const REPORT_EVERY_MS = 60_000;

/**
 * Logs cache failures once per burst: the first failure at once, then at most one line a minute
 * while they go on, each counting the failures since the line before. A cache outage under load
 * would otherwise write a line per request, costing more than the cache saves. Each request also
 * carries `cacheStatus: 'unavailable'` in its log, so the failures are counted per request there.
 */
export class CacheFailureLog {
  private lastReportAtMs: number | undefined;
  private unreported = 0;

  constructor(
    private readonly logger: GatewayLogger,
    private readonly now: () => number,
  ) {}

  record(operation: 'read' | 'write', error: unknown, requestId: string): void {
    this.unreported += 1;
    const now = this.now();
    if (this.lastReportAtMs !== undefined && now - this.lastReportAtMs < REPORT_EVERY_MS) return;
    this.logger.warn('response cache failed; requests go ahead uncached', {
      operation,
      requestId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      failuresSinceLastReport: this.unreported,
    });
    this.lastReportAtMs = now;
    this.unreported = 0;
  }
}
