import type { RuntimeConfig } from '../../../contract/runtime-config-schema.js';
import { readAliasedHeader } from '../../../core/headers/header-names.js';
import { resolveUserId } from '../../../core/headers/monitoring-headers.js';
import { LookoutError } from '../../../core/lookout-error.js';
import { QuotaCounterContentionError, type QuotaCounters, type Reservation } from '../../../core/ports/quota-counters.js';
import { applicableLimits, type LimitCheck } from '../../../core/quota/applicable-limits.js';
import { quotaAnswer, type CheckOutcome } from '../../../core/quota/quota-headers.js';
import { actualAmount, unpricedModelError, worstCaseAmount } from '../../../core/quota/reservation-amounts.js';
import type { BurstFailureLog } from '../burst-failure-log.js';
import { required, type GatewayContext, type GatewayStep } from '../gateway-context.js';
import type { QuotaDefinitionsSource } from '../quota-definitions-source.js';
import { withinTimeLimit } from '../time-limit.js';

export interface QuotaStepDependencies {
  counters: QuotaCounters;
  definitions: Pick<QuotaDefinitionsSource, 'current'>;
  config: Pick<
    RuntimeConfig,
    'prices' | 'quotaStoreFailure' | 'quotaTimeoutMs' | 'quotaDefaultMaxOutputTokens' | 'quotaAllowUnpricedModels'
  >;
  failures: BurstFailureLog;
  now(): number;
}

/** A settle happens after the last byte; this bound only keeps a hung store from holding the invocation open. */
const SETTLE_TIME_LIMIT_MS = 5_000;

/**
 * Quotas and `RateLimit-Policy`: before the upstream call, the worst case of every limit that
 * applies is reserved (all of them, or none: a refused one releases the others) and a request
 * that does not fit gets the 429 of the limit that refused it, without reaching the provider.
 * Once the answer is over (completed, cancelled or failed) each reservation is settled to what
 * the log records: one request, its tokens, its cost. The counters' guarantee (counted never
 * above the limit) then holds for what was really spent. It comes after the cache, so a hit is
 * never counted. When the counters cannot be reached in `quotaTimeoutMs`, `quotaStoreFailure`
 * decides: `open` goes ahead unchecked (logged once per burst), `closed` answers 503. A store
 * that was reached but too contended to reserve refuses with a 429 `quota_contended`.
 */
export function enforceQuotas(deps: QuotaStepDependencies): GatewayStep {
  return async (context, next) => {
    const checks = applicableLimits({
      quotas: await deps.definitions.current(context.id),
      policy: policyOf(context),
      keyHash: required(context.keyHash, 'keyHash'),
      keyName: required(context.keyName, 'keyName'),
      userId: resolveUserId(required(context.monitoring, 'monitoring'), context.json),
      properties: required(context.monitoring, 'monitoring').properties,
    });
    if (checks.length === 0) return next();
    const planned = plannedAmounts(context, checks, deps.config);
    if (planned.length === 0) return next();

    let results: PromiseSettledResult<CheckOutcome>[];
    try {
      results = await withinTimeLimit(
        Promise.allSettled(
          planned.map(async ({ check, amount }) => ({
            check,
            amount,
            result: await deps.counters.reserve(check.window, amount, deps.now()),
          })),
        ),
        deps.config.quotaTimeoutMs,
        'the quota reservation',
      );
    } catch (error) {
      // Reservations that answer after the bound stay counted at their worst case until their
      // part of the window passes: over-counting, never under.
      return storeFailed(context, next, deps, error, []);
    }
    const outcomes = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const reservations = outcomes.flatMap((outcome) =>
      outcome.result.granted ? [{ outcome, reservation: outcome.result.reservation }] : [],
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) {
      if (failed.reason instanceof QuotaCounterContentionError) {
        context.waitUntil(
          settleAll(
            deps,
            context,
            reservations.map(({ reservation }) => ({ reservation, actual: 0 })),
          ),
        );
        const check = planned[results.indexOf(failed)]?.check;
        context.rateLimitedBy = check?.label ?? 'quota';
        throw new LookoutError(429, 'quota_contended', `${failed.reason.message}; retry in a second`, { 'retry-after': '1' });
      }
      return storeFailed(context, next, deps, failed.reason, reservations);
    }
    const answer = quotaAnswer(outcomes, deps.now());
    if (!answer.granted) {
      context.waitUntil(
        settleAll(
          deps,
          context,
          reservations.map(({ reservation }) => ({ reservation, actual: 0 })),
        ),
      );
      context.rateLimitedBy = answer.refusedBy.label;
      throw answer.error;
    }
    await next();
    if (context.response) Object.assign(context.response.headers, answer.headers);
    settleAfterAnswer(deps, context, reservations);
  };
}

type Granted = { outcome: CheckOutcome; reservation: Reservation };

/**
 * The counters could not be reached in time. Fail-open: the request goes on, counted by the
 * reservations that were made (settled as usual); fail-closed: those are released and it is a 503.
 */
async function storeFailed(
  context: GatewayContext,
  next: () => Promise<void>,
  deps: QuotaStepDependencies,
  error: unknown,
  reservations: readonly Granted[],
): Promise<void> {
  deps.failures.record('reserve', error, context.id);
  if (deps.config.quotaStoreFailure === 'open') {
    await next();
    settleAfterAnswer(deps, context, reservations);
    return;
  }
  context.waitUntil(
    settleAll(
      deps,
      context,
      reservations.map(({ reservation }) => ({ reservation, actual: 0 })),
    ),
  );
  context.rateLimitedBy = 'quota store unavailable';
  throw new LookoutError(
    503,
    'quota_store_unavailable',
    'The quota store cannot be reached and quotaStoreFailure is "closed": the request was not sent.',
  );
}

/** Settles each reservation to what the log records, once the answer is over. */
function settleAfterAnswer(deps: QuotaStepDependencies, context: GatewayContext, reservations: readonly Granted[]): void {
  if (reservations.length === 0) return;
  context.waitUntil(
    context.loggedRecord.then((record) =>
      settleAll(
        deps,
        context,
        // A record that could not be built leaves each reservation at its worst case: over-counting, never under.
        reservations.map(({ outcome, reservation }) => ({
          reservation,
          actual: record ? actualAmount(outcome.check.unit, record) : reservation.amount,
        })),
      ),
    ),
  );
}

function policyOf(context: GatewayContext) {
  const policy = required(context.monitoring, 'monitoring').rateLimitPolicy;
  const header = readAliasedHeader(context.request.headers, 'RateLimit-Policy');
  return policy && header ? { policy, headerName: header.name } : null;
}

/**
 * Each check with its worst case. An unpriced model under a usd check is refused with
 * `quota_unpriced_model`, unless the config lets it through: then that check is skipped and the
 * request is counted by the other checks (its log says `unpriced`).
 */
function plannedAmounts(context: GatewayContext, checks: readonly LimitCheck[], config: QuotaStepDependencies['config']) {
  const request = { provider: required(context.route, 'route').provider, bodyBytes: context.request.body.length, json: context.json };
  const planned: { check: LimitCheck; amount: number }[] = [];
  for (const check of checks) {
    const amount = worstCaseAmount(check.unit, request, config);
    if (typeof amount === 'number') {
      planned.push({ check, amount });
      continue;
    }
    if (config.quotaAllowUnpricedModels) continue;
    context.rateLimitedBy = check.label;
    throw unpricedModelError(check, amount);
  }
  return planned;
}

async function settleAll(
  deps: QuotaStepDependencies,
  context: GatewayContext,
  settles: readonly { reservation: Reservation; actual: number }[],
): Promise<void> {
  try {
    await withinTimeLimit(
      Promise.all(settles.map(({ reservation, actual }) => deps.counters.settle(reservation, actual, deps.now()))),
      SETTLE_TIME_LIMIT_MS,
      'the quota settle',
    );
  } catch (error) {
    // The reservation stays counted at its worst case until its sub-window leaves the window.
    deps.failures.record('settle', error, context.id);
  }
}
