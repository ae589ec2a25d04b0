import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AlertRule } from '../../contract/alert-rule.js';
import type { QuotaDefinition } from '../../contract/quota-definition.js';
import type { AlertRuleStore, AlertStateStore } from '../../core/ports/alert-store.js';
import type { BodyReader } from '../../core/ports/body-reader.js';
import type { DashboardAssets } from '../../core/ports/dashboard-assets.js';
import type { GatewayKeyStore } from '../../core/ports/gateway-key-store.js';
import type { QuotaCounters } from '../../core/ports/quota-counters.js';
import type { QuotaStore } from '../../core/ports/quota-store.js';
import type { RequestLogReads } from '../../core/ports/request-log-reads.js';
import type { RollupReader } from '../../core/ports/rollup-store.js';
import type { RollupRetentionDays } from '../../core/rollups/rollup-resolution.js';
import type { AlertDelivery } from '../alerts/alert-evaluator.js';
import type { ReportBounds } from './log-reports.js';
import type { QueryLogger } from './query-logger.js';
import type { RequestPagerBounds } from './request-pager.js';
import type { QueryAuthenticator } from './require-admin-key.js';

/** The Hono app the query API's routes are registered on. */
export type QueryApp = OpenAPIHono;

/** What the query API reads and how much one call may read. */
export interface QueryRouterDependencies {
  authenticator: QueryAuthenticator;
  reads: RequestLogReads;
  /** The usage rollups: `/v1/metrics`, `/v1/users` and `/v1/cache/stats` read only these. */
  rollups: RollupReader;
  /** The properties the rollups keep series for (`indexedProperties`). */
  indexedProperties: readonly string[];
  /** How long each bucket size is kept (`rollupRetentionDays`): a window reads the finest still kept at its start. */
  rollupRetention: RollupRetentionDays;
  bodies: BodyReader;
  /** The quotas of `lookout.config.ts`, with their ids: shown, never changed here. */
  configQuotas: readonly QuotaDefinition[];
  /** The quotas made through the API. */
  quotaStore: QuotaStore;
  quotaCounters: Pick<QuotaCounters, 'read'>;
  /** The gateway keys, by whose names a `key` quota's counters are asked for. */
  keys: Pick<GatewayKeyStore, 'list'>;
  /** The alert rules of `lookout.config.ts`, with their ids: shown and tested, never changed here. */
  configAlerts: readonly AlertRule[];
  /** The alert rules made through the API. */
  alertRules: AlertRuleStore;
  /** Each rule's state and history, as the evaluator writes them; the test route appends its deliveries. */
  alertStates: AlertStateStore;
  /** Sends `POST /v1/alerts/{id}/test`'s notification to a rule's channels. */
  alertDelivery: AlertDelivery;
  /**
   * The deployment's public URL, which the links in a notification start with. A function, read
   * when a notification is made: an environment that sends none need not have it.
   */
  publicUrl(): string;
  retentionDays: number;
  now: () => number;
  logger: QueryLogger;
  pagerBounds: RequestPagerBounds;
  reportBounds: ReportBounds;
  /** The built dashboard `/dashboard` serves; absent, its routes answer 503 (not built). */
  dashboardAssets?: DashboardAssets;
}

/** What a route group's handlers use. */
export interface QueryRouteContext extends QueryRouterDependencies {
  requireAdminKey: MiddlewareHandler;
}
