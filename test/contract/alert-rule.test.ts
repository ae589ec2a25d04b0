import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertRuleInputSchema, alertRuleProperties, indexedPropertiesOf } from '../../lambdas/contract/alert-rule.js';

const valid = { name: 'High error rate', metric: 'error_rate', threshold: 5, windowSeconds: 600, channels: { slack: true } };

/** Each issue as `path: message`. */
function problems(input: unknown): string[] {
  const parsed = alertRuleInputSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('the alert rule schema', () => {
  it('takes a rule with the defaults filled in', () => {
    const rule = alertRuleInputSchema.parse(valid);
    assert.deepEqual(
      {
        comparison: rule.comparison,
        minRequests: rule.minRequests,
        severity: rule.severity,
        resolveAfterSeconds: rule.resolveAfterSeconds,
        enabled: rule.enabled,
        forecast: rule.forecast,
        filter: rule.filter,
      },
      { comparison: 'gt', minRequests: 1, severity: 'warning', resolveAfterSeconds: 300, enabled: true, forecast: false, filter: {} },
    );
  });

  it('names each bad field', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: '' }, /^name: must be 1 to 128 characters/],
      [{ metric: 'errors_rate' }, /^metric: must be one of requests, errors, error_rate/],
      [{ comparison: 'above' }, /^comparison: must be "gt", "gte", "lt" or "lte"/],
      [{ threshold: 'five' }, /^threshold: must be a number/],
      [{ windowSeconds: 30 }, /^windowSeconds: must be whole seconds from 60 to 2592000/],
      [{ windowSeconds: 31 * 86_400 }, /^windowSeconds: must be whole seconds from 60/],
      [{ minRequests: 0 }, /^minRequests: must be a whole number of requests, 1 or more/],
      [{ groupBy: 'feature' }, /^groupBy: must be "user", "model", "provider" or "property:<name>"/],
      [{ severity: 'high' }, /^severity: must be "critical", "warning" or "info"/],
      [{ channels: {} }, /^channels: must name at least one channel/],
      [{ channels: { email: ['not-an-address'] } }, /^channels\.email\.0: must be an e-mail address/],
      [{ channels: { webhook: 'http://example.com/hook' } }, /^channels\.webhook: must be an https URL/],
      [{ channels: { pager: true } }, /^channels: is not a field of channels; the fields are sns, email, slack, webhook/],
      [{ filter: { env: 'production' } }, /^filter: is not a field of filter; the fields are properties, userId, model, provider, key/],
      [{ filter: { properties: { Environment: 'production' } } }, /^filter\.properties\.Environment: must be a lower-case property name/],
      [{ resolveAfterSeconds: -1 }, /^resolveAfterSeconds: must be whole seconds, 0 or more/],
      [{ renotifyAfterSeconds: 10 }, /^renotifyAfterSeconds: must be whole seconds, 60 or more/],
      [{ forecast: true }, /^forecast: applies to the cost metric only/],
      [{ windowSecond: 600 }, /^: is not an alert rule field; the fields are name, metric, comparison/],
    ];
    for (const [change, expected] of cases) {
      const found = problems({ ...valid, ...change });
      assert.ok(
        found.some((problem) => expected.test(problem)),
        `${JSON.stringify(change)}: ${found.join(' | ')}`,
      );
    }
  });

  it('refuses a filter and a split of more than two dimensions together', () => {
    const found = problems({ ...valid, filter: { properties: { environment: 'production' }, model: 'gpt-4o' }, groupBy: 'user' });
    assert.match(found.join('\n'), /^filter: names 3 dimensions with groupBy; the rollups keep series of at most two/m);
    assert.deepEqual(problems({ ...valid, filter: { properties: { environment: 'production' } }, groupBy: 'user' }), []);
  });

  it('makes the properties a rule names indexed', () => {
    const rule = alertRuleInputSchema.parse({
      ...valid,
      filter: { properties: { environment: 'production' } },
      groupBy: 'property:feature',
    });
    assert.deepEqual(alertRuleProperties(rule), ['environment', 'feature']);
    assert.deepEqual(indexedPropertiesOf({ indexedProperties: ['tier', 'feature'], alerts: [rule] }), ['tier', 'feature', 'environment']);
  });
});
