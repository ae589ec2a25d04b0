/**
 * The link from a notification to the requests behind it: the dashboard's requests page with the
 * query `GET /v1/requests` takes (`core/query/schemas/request-list-parameters.ts`), so the page
 * and the API show the same requests. It narrows to the rule's filter, the group the
 * notification is about, the window, and the failed requests for an error metric:
 *
 *   https://lookout.example.com/dashboard/requests?property.environment=production&userId=alice&status=error&from=2025-06-01T14%3A10%3A00.000Z&to=2025-06-01T14%3A20%3A00.000Z
 *
 * What `/v1/requests` cannot filter on is left out rather than sent (it refuses unknown
 * parameters): a `key` filter or group, a group of the requests without a value, and the
 * cardinality guard's `(other)` value, which stands for many values.
 */
import type { AlertFilter } from '../../contract/alert-rule.js';
import type { MetricName } from '../../contract/metric-names.js';

/** The dashboard's page of requests, under the deployment's public URL. */
export const DASHBOARD_REQUESTS_PATH = '/dashboard/requests';

// The value the rollups' cardinality guard folds late values into (core/rollups/rollup-dimensions.ts).
const FOLDED_VALUE = '(other)';

/** What the requests behind an alert are. */
export interface AlertRequestsScope {
  metric: MetricName;
  filter: AlertFilter;
  /** The group the notification is about, for a rule with `groupBy`. */
  group: { by: string; value: string | null } | null;
  /** The window, epoch milliseconds: from inclusive, to exclusive (as `/v1/requests` reads them). */
  fromMs: number;
  toMs: number;
}

/** The `status` filter for a metric's requests: `error` for the error metrics, `429` for the rate-limited. */
export function requestStatusFor(metric: MetricName): string | undefined {
  if (metric === 'errors' || metric === 'error_rate') return 'error';
  // Quota and RateLimit-Policy refusals answer 429 (a provider's own 429s show too: they are the same trouble).
  if (metric === 'rate_limited') return '429';
  return undefined;
}

/** The `/v1/requests` parameter a group (`user`, `model`, `provider`, `property:<name>`) filters on; undefined for `key`. */
export function requestParameterForDimension(by: string): string | undefined {
  if (by === 'user') return 'userId';
  if (by === 'model' || by === 'provider') return by;
  if (by.startsWith('property:')) return `property.${by.slice('property:'.length)}`;
  return undefined;
}

/** The `/v1/requests` query of the requests behind an alert: properties, user, model, provider, status, from, to. */
export function alertRequestsQuery(scope: AlertRequestsScope): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(scope.filter.properties ?? {})) query.set(`property.${name}`, value);
  if (scope.filter.userId !== undefined) query.set('userId', scope.filter.userId);
  if (scope.filter.model !== undefined) query.set('model', scope.filter.model);
  if (scope.filter.provider !== undefined) query.set('provider', scope.filter.provider);
  const groupParameter = scope.group === null ? undefined : requestParameterForDimension(scope.group.by);
  if (groupParameter !== undefined && scope.group?.value != null && scope.group.value !== FOLDED_VALUE) {
    query.set(groupParameter, scope.group.value);
  }
  const status = requestStatusFor(scope.metric);
  if (status !== undefined) query.set('status', status);
  query.set('from', new Date(scope.fromMs).toISOString());
  query.set('to', new Date(scope.toMs).toISOString());
  return query;
}

/** The dashboard link to the requests behind an alert: `<publicUrl>/dashboard/requests?<the /v1/requests query>`. */
export function alertRequestsUrl(publicUrl: string, scope: AlertRequestsScope): string {
  return `${publicUrl.replace(/\/+$/, '')}${DASHBOARD_REQUESTS_PATH}?${alertRequestsQuery(scope).toString()}`;
}
