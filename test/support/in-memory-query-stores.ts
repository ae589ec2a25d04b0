/**
 * In-memory stand-ins for what the query API reads: the request log (a second implementation of
 * the `RequestLogReads` port, over an array), the rollups of its records, gateway keys, and the
 * bodies bucket. No DynamoDB.
 */
import { GatewayKeyAuthenticator } from '../../lambdas/app/gateway-key-authenticator.js';
import { QueryService, type QueryServiceDeps } from '../../lambdas/app/query/query-service.js';
import { hashGatewayKey, newGatewayKeyRecord, type GatewayKeyRecord } from '../../lambdas/core/auth/gateway-key.js';
import type { HttpRequest } from '../../lambdas/core/http/http-request.js';
import type { BodyReader } from '../../lambdas/core/ports/body-reader.js';
import type { GatewayKeyStore } from '../../lambdas/core/ports/gateway-key-store.js';
import type { RequestListPage, RequestListRead, RequestLogReads } from '../../lambdas/core/ports/request-log-reads.js';
import type { RollupReader, SeriesBucket } from '../../lambdas/core/ports/rollup-store.js';
import { isOkRequest } from '../../lambdas/core/query/request-outcome-class.js';
import type { RequestFilters } from '../../lambdas/core/query/request-list-query.js';
import type { RequestLogRecord } from '../../lambdas/core/request-log/request-log-record.js';
import type { RollupBucket } from '../../lambdas/core/rollups/rollup-bucket.js';
import type { BucketAddress } from '../../lambdas/core/rollups/rollup-chunks.js';
import { dimensionValues, rollupDimensions, type Dimension } from '../../lambdas/core/rollups/rollup-dimensions.js';
import type { BucketTime, RollupRetentionDays } from '../../lambdas/core/rollups/rollup-resolution.js';
import type { RollupSample } from '../../lambdas/core/rollups/rollup-sample.js';
import { InMemoryAlerts, RecordingAlertDelivery } from './in-memory-alerts.js';
import { FixedCounterReads, InMemoryQuotaStore } from './in-memory-quota-store.js';
import { InMemoryRollups } from './in-memory-rollups.js';

export const ADMIN_KEY = 'lk_test_admin_key';
export const QUERY_APP_KEY = 'lk_test_app_key';

/** The request log as an array; reads ignore their budget and read everything. */
export class InMemoryRequestLogReads implements RequestLogReads {
  constructor(readonly records: RequestLogRecord[] = []) {}

  async findById(id: string): Promise<RequestLogRecord | null> {
    return this.records.find((record) => record.id === id) ?? null;
  }

  async listRequests(read: RequestListRead): Promise<RequestListPage> {
    const { window, from } = read;
    const matching = this.newestFirst().filter(
      (record) =>
        record.createdAtMs >= window.fromMs &&
        record.createdAtMs < window.toMs &&
        matches(record, read.filters) &&
        (from === null ||
          record.createdAtMs < from.createdAtMs ||
          (from.afterId !== null && record.createdAtMs === from.createdAtMs && record.id > from.afterId)),
    );
    const records = matching.slice(0, read.limit);
    const last = records.at(-1);
    return { records, next: matching.length > read.limit && last ? { createdAtMs: last.createdAtMs, afterId: last.id } : null };
  }

  async readSessionRequests(sessionId: string, limit: number): Promise<RequestLogRecord[]> {
    return this.newestFirst()
      .reverse()
      .filter((record) => record.sessionId === sessionId)
      .slice(0, limit);
  }

  private newestFirst(): RequestLogRecord[] {
    return [...this.records].sort((a, b) => b.createdAtMs - a.createdAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

function matches(record: RequestLogRecord, filters: RequestFilters): boolean {
  const { status } = filters;
  return (
    (filters.userId === undefined || record.userId === filters.userId) &&
    (filters.sessionId === undefined || record.sessionId === filters.sessionId) &&
    (filters.model === undefined || record.model === filters.model) &&
    (filters.provider === undefined || record.provider === filters.provider) &&
    (status === undefined ||
      (status === 'ok' ? isOkRequest(record) : status === 'error' ? !isOkRequest(record) : record.status === status)) &&
    (filters.cacheHit === undefined || record.cacheHit === filters.cacheHit) &&
    Object.entries(filters.properties).every(([name, value]) => record.properties[name] === value)
  );
}

/**
 * The rollups of some requests as the aggregator would have them (every value its own series:
 * no cardinality guard), rebuilt at each read, so they follow the records as a test adds to them.
 */
export class RollupsOfRecords implements RollupReader {
  constructor(
    private readonly records: readonly RollupSample[],
    private readonly indexedProperties: readonly string[] = [],
  ) {}

  readBuckets(addresses: readonly BucketAddress[]): Promise<(RollupBucket | null)[]> {
    return this.rollups().readBuckets(addresses);
  }

  readGroup(time: BucketTime, dimensions: readonly Dimension[], fixed: ReadonlyMap<Dimension, string | null>): Promise<SeriesBucket[]> {
    return this.rollups().readGroup(time, dimensions, fixed);
  }

  /** The records counted into a fresh `InMemoryRollups`. */
  rollups(): InMemoryRollups {
    const rollups = new InMemoryRollups();
    const dimensions = rollupDimensions(this.indexedProperties);
    for (const record of this.records) rollups.addRequest(record, dimensionValues(record, dimensions));
    return rollups;
  }
}

/** The rollups' default retention (`rollupRetentionDays`). */
export const DEFAULT_ROLLUP_RETENTION: RollupRetentionDays = { minute: 2, hour: 90, day: 730 };

/** An admin key and an app key. */
class InMemoryGatewayKeyStore implements GatewayKeyStore {
  private readonly keys = new Map<string, GatewayKeyRecord>([
    [hashGatewayKey(ADMIN_KEY), newGatewayKeyRecord(ADMIN_KEY, 'test-admin', 'admin', 0)],
    [hashGatewayKey(QUERY_APP_KEY), newGatewayKeyRecord(QUERY_APP_KEY, 'test-app', 'app', 0)],
  ]);

  async findByHash(keyHash: string) {
    return this.keys.get(keyHash);
  }

  async create(): Promise<void> {
    throw new Error('the query API does not create keys');
  }

  async list() {
    return [...this.keys.values()];
  }

  async revoke(): Promise<boolean> {
    throw new Error('the query API does not revoke keys');
  }
}

/** A bucket with no objects. */
const noBodies: BodyReader = {
  get: async () => {
    throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
  },
  signedGetUrl: async (key) => `https://bodies.test/${key}`,
};

/**
 * The query API over `reads` and the rollups of its records (unless `overrides` gives others),
 * with `ADMIN_KEY` and `QUERY_APP_KEY`, no bodies, no quotas and no alert rules (test notifications
 * recorded, every channel delivered); errors it logs are kept in `logged`.
 */
export function inMemoryQueryService(reads: RequestLogReads = new InMemoryRequestLogReads(), overrides: Partial<QueryServiceDeps> = {}) {
  const logged: { message: string; extra: Record<string, unknown> }[] = [];
  const keys = new InMemoryGatewayKeyStore();
  const alerts = new InMemoryAlerts();
  const service = new QueryService({
    authenticator: new GatewayKeyAuthenticator(keys, 0),
    reads,
    bodies: noBodies,
    configQuotas: [],
    quotaStore: new InMemoryQuotaStore(),
    quotaCounters: new FixedCounterReads(),
    keys,
    configAlerts: [],
    alertRules: alerts,
    alertStates: alerts,
    alertDelivery: new RecordingAlertDelivery(),
    publicUrl: () => 'https://lookout.test',
    rollups: new RollupsOfRecords(reads instanceof InMemoryRequestLogReads ? reads.records : [], overrides.indexedProperties),
    indexedProperties: [],
    rollupRetention: DEFAULT_ROLLUP_RETENTION,
    retentionDays: 30,
    now: Date.now,
    logger: { error: (message, extra) => logged.push({ message, extra }), warn: () => undefined },
    ...overrides,
  });
  return { service, logged };
}

/** A query API request as the handler hands it over, with the admin key unless `headers` says otherwise. */
export function queryRequest(
  method: string,
  pathAndQuery: string,
  headers: Record<string, string> = { 'lookout-auth': `Bearer ${ADMIN_KEY}` },
): HttpRequest {
  const [path = '', rawQuery = ''] = pathAndQuery.split('?');
  return { method, path, rawQuery, headers, body: Buffer.alloc(0), sourceIp: undefined };
}
