/**
 * The words of an alert notification, shared by every channel (Slack, e-mail, SNS, the webhook's
 * receivers read the JSON): what broke (the metric, its value against the threshold, in units),
 * for whom (the group, the top contributors), since when, and over which requests (the filter).
 * Each renderer escapes these strings for its own medium; nothing here is escaped.
 *
 * A title reads, for the guide's error-rate alert:
 *
 *   [critical] High error rate triggered: error rate 7.1% is above 5% over 10 minutes (240 requests), environment = production
 */
import type { AlertComparison, AlertFilter } from '../../contract/alert-rule.js';
import type { MetricName } from '../../contract/metric-names.js';
import type { AlertContributor, AlertNotification, AlertNotificationKind } from './alert-notification.js';

/** How each metric is named in a sentence. */
export const METRIC_LABELS: Readonly<Record<MetricName, string>> = {
  requests: 'requests',
  errors: 'errors',
  error_rate: 'error rate',
  cost: 'cost',
  tokens: 'tokens',
  prompt_tokens: 'prompt tokens',
  completion_tokens: 'completion tokens',
  latency_p50: 'p50 latency',
  latency_p90: 'p90 latency',
  latency_p95: 'p95 latency',
  latency_p99: 'p99 latency',
  latency_avg: 'average latency',
  ttft_p50: 'p50 time to first byte',
  ttft_p95: 'p95 time to first byte',
  cache_hit_rate: 'cache hit rate',
  saved_usd: 'saved by the cache',
  unpriced_share: 'unpriced share',
  rate_limited: 'rate-limited requests',
};

const COMPARISON_WORDS: Readonly<Record<AlertComparison, string>> = {
  gt: 'above',
  gte: 'at or above',
  lt: 'below',
  lte: 'at or below',
};

const KIND_WORDS: Readonly<Record<AlertNotificationKind, string>> = {
  triggered: 'triggered',
  resolved: 'resolved',
  reminder: 'still firing',
  test: 'test',
};

// How many more decimals may be shown so a value and its threshold never print the same ("5% is above 5%").
const MAX_EXTRA_DIGITS = 4;

/** Most contributors listed per dimension. */
export const MAX_CONTRIBUTORS_SHOWN = 5;

function decimal(value: number, minimumFractionDigits: number, maximumFractionDigits: number): string {
  return new Intl.NumberFormat('en-US', { minimumFractionDigits, maximumFractionDigits }).format(value);
}

/** A metric value in its unit: `5.3%`, `$104.20`, `10,250 ms`, `12,000` (counts); `extraDigits` shows more decimals. */
export function formatMetricValue(value: number, unit: string, extraDigits = 0): string {
  const magnitude = Math.abs(value);
  switch (unit) {
    case 'percent':
      return `${decimal(value, 0, (magnitude >= 1 || value === 0 ? 1 : 2) + extraDigits)}%`;
    case 'usd': {
      const sign = value < 0 ? '-' : '';
      // Cents, except for amounts under a cent, which would all print as $0.00.
      const amount =
        magnitude >= 0.01 || value === 0
          ? decimal(magnitude, 2, 2 + extraDigits)
          : new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 + extraDigits }).format(magnitude);
      return `${sign}$${amount}`;
    }
    case 'ms':
      return `${decimal(value, 0, extraDigits)} ms`;
    case 'requests':
    case 'tokens':
      return decimal(value, 0, (Number.isInteger(value) ? 0 : 2) + extraDigits);
    default:
      return `${decimal(value, 0, 2 + extraDigits)} ${unit}`;
  }
}

/** A value and its threshold in the unit, with as many decimals as it takes for them to differ when they do. */
export function valueAgainstThreshold(value: number | null, threshold: number, unit: string): { value: string | null; threshold: string } {
  let extra = 0;
  while (
    value !== null &&
    value !== threshold &&
    extra < MAX_EXTRA_DIGITS &&
    formatMetricValue(value, unit, extra) === formatMetricValue(threshold, unit, extra)
  ) {
    extra += 1;
  }
  return { value: value === null ? null : formatMetricValue(value, unit, extra), threshold: formatMetricValue(threshold, unit, extra) };
}

/** The comparison in words: `above`, `at or above`, `below`, `at or below`. */
export function comparisonWords(comparison: AlertComparison): string {
  return COMPARISON_WORDS[comparison];
}

/** What a notification is, in words: `triggered`, `resolved`, `still firing` (a reminder) or `test`. */
export function kindWords(kind: AlertNotificationKind): string {
  return KIND_WORDS[kind];
}

const plural = (count: number, one: string, many = `${one}s`): string => `${decimal(count, 0, 0)} ${count === 1 ? one : many}`;

const WINDOW_UNITS = [
  { seconds: 86_400, name: 'day' },
  { seconds: 3_600, name: 'hour' },
  { seconds: 60, name: 'minute' },
  { seconds: 1, name: 'second' },
] as const;

function largestWholeUnit(seconds: number): { count: number; name: string } {
  const unit = WINDOW_UNITS.find((candidate) => seconds % candidate.seconds === 0) ?? WINDOW_UNITS[3];
  return { count: seconds / unit.seconds, name: unit.name };
}

/** A window in words, in its largest whole unit: `10 minutes`, `1 hour`, `1 day`, `30 days`, `90 minutes`. */
export function windowWords(windowSeconds: number): string {
  const { count, name } = largestWholeUnit(windowSeconds);
  return plural(count, name);
}

/** Where a forecast projects to: `the end of the day`, `the end of the hour`, `the end of the 30-day window`. */
export function forecastHorizonWords(windowSeconds: number): string {
  const { count, name } = largestWholeUnit(windowSeconds);
  return count === 1 ? `the end of the ${name}` : `the end of the ${count}-${name} window`;
}

/** A request count in words: `1 request`, `1,240 requests`. */
export function requestsWords(requests: number): string {
  return plural(requests, 'request');
}

const FILTER_FIELDS = [
  ['userId', 'user'],
  ['model', 'model'],
  ['provider', 'provider'],
  ['key', 'gateway key'],
] as const;

/** A filter's conditions as label and value, properties first (by name as given), then user, model, provider, key. */
export function filterEntries(filter: AlertFilter): [label: string, value: string][] {
  const entries: [string, string][] = Object.entries(filter.properties ?? {});
  for (const [field, label] of FILTER_FIELDS) {
    const value = filter[field];
    if (value !== undefined) entries.push([label, value]);
  }
  return entries;
}

/** A filter in words: `environment = production, model = gpt-4o`; `all requests` for none. */
export function filterWords(filter: AlertFilter): string {
  const entries = filterEntries(filter);
  return entries.length === 0 ? 'all requests' : entries.map(([label, value]) => `${label} = ${value}`).join(', ');
}

/** A dimension (`user`, `model`, `provider`, `key`, `property:<name>`) as a label: `user`, `gateway key`, `environment`. */
export function dimensionLabel(by: string): string {
  if (by.startsWith('property:')) return by.slice('property:'.length);
  return by === 'key' ? 'gateway key' : by;
}

const DIMENSION_PLURALS: Readonly<Record<string, string>> = {
  user: 'users',
  model: 'models',
  provider: 'providers',
  key: 'gateway keys',
};

/** A dimension's value as shown, with `(no user)` for the requests without one. */
export function dimensionValueWords(by: string, value: string | null): string {
  return value ?? `(no ${dimensionLabel(by)})`;
}

/** The group a notification is about: `user alice`, `environment = staging`, `requests without a user`. */
export function groupWords(group: { by: string; value: string | null }): string {
  const label = dimensionLabel(group.by);
  const isProperty = group.by.startsWith('property:');
  if (group.value === null) return isProperty ? `requests without ${label}` : `requests without a ${label}`;
  return isProperty ? `${label} = ${group.value}` : `${label} ${group.value}`;
}

/** An ISO instant as people read it in an alert: `2025-06-01 14:02 UTC` (the text as given when it is not a date). */
export function instantWords(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A duration in words, to the minute: `less than a minute`, `18 minutes`, `2 hours 5 minutes`, `3 days 4 hours`. */
export function durationWords(durationMs: number): string {
  const minutes = Math.floor(Math.max(0, durationMs) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(minutes % 60, 'minute')}`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? plural(days, 'day') : `${plural(days, 'day')} ${plural(hours % 24, 'hour')}`;
}

/**
 * When the breach started: `2025-06-01 14:02 UTC (18 minutes ago)` while it lasts, `2025-06-01
 * 14:02 UTC to 2025-06-01 14:40 UTC (38 minutes)` once resolved; null for a test.
 */
export function breachWords(notification: Pick<AlertNotification, 'kind' | 'breachStartedAt' | 'evaluatedAt'>): string | null {
  const { kind, breachStartedAt, evaluatedAt } = notification;
  if (breachStartedAt === null || kind === 'test') return null;
  const duration = durationWords(Date.parse(evaluatedAt) - Date.parse(breachStartedAt));
  if (kind === 'resolved') return `${instantWords(breachStartedAt)} to ${instantWords(evaluatedAt)} (${duration})`;
  return `${instantWords(breachStartedAt)} (${duration === 'less than a minute' ? 'just now' : `${duration} ago`})`;
}

/**
 * The condition in words, with the requests it was measured over: `error rate 7.1% is above 5%
 * over 10 minutes (240 requests)`; once resolved `... is no longer above ...`; for a forecast
 * `cost is projected to $120.00 by the end of the day, above $100.00 (1,204 requests so far)`;
 * for a test the value and when the rule alerts. `withRequests: false` leaves the requests out.
 */
export function conditionWords(notification: AlertNotification, { withRequests = true } = {}): string {
  const { kind, metric, unit, comparison, forecast, windowSeconds } = notification;
  const label = METRIC_LABELS[metric] ?? metric;
  const shown = valueAgainstThreshold(notification.value, notification.threshold, unit);
  const against = `${comparisonWords(comparison)} ${shown.threshold}`;
  const requests = requestsWords(notification.requests);
  const sofar = withRequests ? ` (${requests} so far)` : '';
  if (forecast) {
    const horizon = forecastHorizonWords(windowSeconds);
    const projection =
      shown.value === null ? `${label} has no projection for ${horizon}` : `${label} is projected to ${shown.value} by ${horizon}`;
    if (kind === 'resolved') return `${projection}, no longer ${against}${sofar}`;
    if (kind === 'test') return `${projection}${sofar}; the rule alerts ${against}`;
    return `${projection}, ${against}${sofar}`;
  }
  const measured = shown.value === null ? label : `${label} ${shown.value}`;
  const window = withRequests ? `${windowWords(windowSeconds)} (${requests})` : windowWords(windowSeconds);
  if (kind === 'resolved') return `${measured} is no longer ${against} over ${window}`;
  if (kind === 'test') return `${measured} over ${window}; the rule alerts ${against}`;
  return `${measured} is ${against} over ${window}`;
}

/** The rule and what happened, for headings: `High error rate triggered`, `Spend resolved for user alice`. */
export function alertHeadline(notification: AlertNotification): string {
  const group = notification.group === null ? '' : ` for ${groupWords(notification.group)}`;
  return `${notification.ruleName} ${kindWords(notification.kind)}${group}`;
}

/** What the alert says, after the headline: the condition, then the filter (`..., environment = production`). */
export function alertSummary(notification: AlertNotification): string {
  const filter = filterEntries(notification.filter).length === 0 ? '' : `, ${filterWords(notification.filter)}`;
  return `${conditionWords(notification)}${filter}`;
}

/**
 * The one-line title (the e-mail's subject, Slack's fallback): `[critical] High error rate
 * triggered: error rate 7.1% is above 5% over 10 minutes (240 requests), environment =
 * production`, with `for user alice` after the kind for a grouped rule.
 */
export function alertTitle(notification: AlertNotification): string {
  return `[${notification.severity}] ${alertHeadline(notification)}: ${alertSummary(notification)}`;
}

/** The title without the requests and the filter, for short subjects: `[critical] High error rate triggered: error rate 7.1% is above 5% over 10 minutes`. */
export function alertShortTitle(notification: AlertNotification): string {
  return `[${notification.severity}] ${alertHeadline(notification)}: ${conditionWords(notification, { withRequests: false })}`;
}

/** One labelled fact of a notification, in the order every channel lists them. */
export interface AlertDetail {
  label: string;
  text: string;
}

/** The facts every channel shows: status, severity, value, threshold, window, requests, filter, group, since, evaluated. */
export function alertDetails(notification: AlertNotification): AlertDetail[] {
  const { unit, forecast, windowSeconds } = notification;
  const shown = valueAgainstThreshold(notification.value, notification.threshold, unit);
  const status = kindWords(notification.kind);
  const details: AlertDetail[] = [
    { label: 'Status', text: `${status.charAt(0).toUpperCase()}${status.slice(1)}` },
    { label: 'Severity', text: notification.severity },
    {
      label: 'Value',
      text:
        shown.value === null
          ? 'no value (no requests)'
          : `${METRIC_LABELS[notification.metric] ?? notification.metric} ${shown.value}${forecast ? `, projected to ${forecastHorizonWords(windowSeconds)}` : ''}`,
    },
    { label: 'Threshold', text: `${comparisonWords(notification.comparison)} ${shown.threshold}` },
    { label: 'Window', text: windowWords(windowSeconds) },
    { label: 'Requests', text: decimal(notification.requests, 0, 0) },
    { label: 'Filter', text: filterWords(notification.filter) },
  ];
  if (notification.group !== null) details.push({ label: 'Group', text: groupWords(notification.group) });
  const since = breachWords(notification);
  if (since !== null) details.push({ label: 'Since', text: since });
  details.push({ label: 'Evaluated', text: instantWords(notification.evaluatedAt) });
  return details;
}

/** One contributor as shown: its value (`(no user)` for none), its metric in the unit, its requests. */
export interface ContributorRow {
  value: string;
  metric: string;
  requests: string;
}

/** The top contributors of one dimension, with a heading such as `Top users by error rate`. */
export interface ContributorSection {
  by: string;
  heading: string;
  rows: ContributorRow[];
}

function contributorRow(by: string, contributor: AlertContributor, unit: string): ContributorRow {
  return {
    value: dimensionValueWords(by, contributor.value),
    metric: contributor.metricValue === null ? 'no value' : formatMetricValue(contributor.metricValue, unit),
    requests: requestsWords(contributor.requests),
  };
}

/** The contributors by dimension (user, model, each property), at most five each, empty dimensions left out. */
export function contributorSections(notification: AlertNotification): ContributorSection[] {
  const metric = METRIC_LABELS[notification.metric] ?? notification.metric;
  return notification.contributors
    .filter((dimension) => dimension.top.length > 0)
    .map(({ by, top }) => ({
      by,
      heading: `Top ${DIMENSION_PLURALS[by] ?? `values of ${dimensionLabel(by)}`} by ${metric}`,
      rows: top.slice(0, MAX_CONTRIBUTORS_SHOWN).map((contributor) => contributorRow(by, contributor, notification.unit)),
    }));
}

/** A contributor on one line: `alice: 12.5% (80 requests)`. */
export function contributorLine(row: ContributorRow): string {
  return `${row.value}: ${row.metric} (${row.requests})`;
}

/** What a test notification says about itself. */
export const TEST_NOTICE = 'This is a test notification: it shows what this rule sends; nothing is firing because of it.';

/** The label of the link to the requests behind an alert. */
export const REQUESTS_LINK_LABEL = 'View the requests';

/** The plain-text body: the title, the rule, the facts, the contributors and the link to the requests. */
export function alertPlainText(notification: AlertNotification): string {
  const lines = [alertTitle(notification), ''];
  if (notification.kind === 'test') lines.push(TEST_NOTICE, '');
  lines.push(`Rule: ${notification.ruleName} (${notification.ruleId})`);
  for (const detail of alertDetails(notification)) lines.push(`${detail.label}: ${detail.text}`);
  for (const section of contributorSections(notification)) {
    lines.push('', `${section.heading}:`, ...section.rows.map((row) => `- ${contributorLine(row)}`));
  }
  lines.push('', `${REQUESTS_LINK_LABEL}: ${notification.requestsUrl}`);
  return `${lines.join('\n')}\n`;
}

/** The text on one line: control characters and line or paragraph separators become spaces, runs of spaces one. */
export function singleLine(text: string): string {
  return text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** The text cut to at most `maxLength` UTF-16 units, ending in `…` when cut, never splitting a character. */
export function cutText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let cut = '';
  for (const character of text) {
    if (cut.length + character.length > maxLength - 1) break;
    cut += character;
  }
  return `${cut.trimEnd()}…`;
}
