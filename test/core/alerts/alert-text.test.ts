import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alertPlainText,
  alertTitle,
  breachWords,
  comparisonWords,
  contributorSections,
  cutText,
  durationWords,
  filterWords,
  formatMetricValue,
  kindWords,
  singleLine,
  valueAgainstThreshold,
  windowWords,
} from '../../../lambdas/core/alerts/alert-text.js';
import { costNotification, errorRateNotification, latencyNotification } from './guide-notifications.js';

describe('the titles of the guide alerts', () => {
  it('says what broke, by how much, over which window and requests, and where', () => {
    assert.equal(
      alertTitle(errorRateNotification()),
      '[critical] Production Error Rate triggered: error rate 7.1% is above 5% over 10 minutes (240 requests), environment = production',
    );
    assert.equal(
      alertTitle(costNotification()),
      '[warning] Production Cost Spike triggered: cost $104.20 is above $100.00 over 1 day (12,408 requests), environment = production',
    );
    assert.equal(
      alertTitle(latencyNotification()),
      '[warning] High Latency triggered: p95 latency 10,250 ms is above 10,000 ms over 30 minutes (512 requests), environment = production',
    );
  });

  it('says resolved, still firing and test, and names the group', () => {
    assert.equal(
      alertTitle(errorRateNotification({ kind: 'resolved', value: 2.1, group: { by: 'user', value: 'alice' } })),
      '[critical] Production Error Rate resolved for user alice: error rate 2.1% is no longer above 5% over 10 minutes (240 requests), environment = production',
    );
    assert.match(
      alertTitle(latencyNotification({ kind: 'reminder' })),
      /^\[warning\] High Latency still firing: p95 latency 10,250 ms is above/,
    );
    assert.match(
      alertTitle(errorRateNotification({ kind: 'test' })),
      /^\[critical\] Production Error Rate test: error rate 7\.1% over 10 minutes/,
    );
    assert.match(
      alertTitle(costNotification({ group: { by: 'property:team', value: 'search' } })),
      /Production Cost Spike triggered for team = search: /,
    );
    assert.match(alertTitle(costNotification({ group: { by: 'user', value: null } })), /triggered for requests without a user: /);
  });

  it('words a forecast as the spend projected to the end of the window', () => {
    assert.equal(
      alertTitle(costNotification({ forecast: true, value: 120 })),
      '[warning] Production Cost Spike triggered: cost is projected to $120.00 by the end of the day, above $100.00 (12,408 requests so far), environment = production',
    );
    assert.match(
      alertTitle(costNotification({ forecast: true, value: 80, kind: 'resolved' })),
      /projected to \$80\.00 by the end of the day, no longer above \$100\.00/,
    );
  });

  it('leaves the filter out when the rule watches all requests', () => {
    assert.match(alertTitle(latencyNotification({ filter: {} })), /\(512 requests\)$/);
  });
});

describe('the wording of values, comparisons, windows and filters', () => {
  it('gives each unit its form', () => {
    assert.equal(formatMetricValue(5.3, 'percent'), '5.3%');
    assert.equal(formatMetricValue(0.042, 'percent'), '0.04%');
    assert.equal(formatMetricValue(104.2, 'usd'), '$104.20');
    assert.equal(formatMetricValue(1234.5, 'usd'), '$1,234.50');
    assert.equal(formatMetricValue(0.0042, 'usd'), '$0.0042');
    assert.equal(formatMetricValue(10_250.4, 'ms'), '10,250 ms');
    assert.equal(formatMetricValue(1_234_567, 'tokens'), '1,234,567');
    assert.equal(formatMetricValue(12_408, 'requests'), '12,408');
  });

  it('shows more decimals when a value and its threshold would read the same', () => {
    assert.deepEqual(valueAgainstThreshold(5.04, 5, 'percent'), { value: '5.04%', threshold: '5%' });
    assert.deepEqual(valueAgainstThreshold(100.004, 100, 'usd'), { value: '$100.004', threshold: '$100.00' });
    assert.deepEqual(valueAgainstThreshold(5, 5, 'percent'), { value: '5%', threshold: '5%' });
    assert.deepEqual(valueAgainstThreshold(null, 5, 'percent'), { value: null, threshold: '5%' });
  });

  it('words comparisons, kinds and windows', () => {
    assert.deepEqual((['gt', 'gte', 'lt', 'lte'] as const).map(comparisonWords), ['above', 'at or above', 'below', 'at or below']);
    assert.deepEqual((['triggered', 'resolved', 'reminder', 'test'] as const).map(kindWords), [
      'triggered',
      'resolved',
      'still firing',
      'test',
    ]);
    assert.deepEqual([600, 3_600, 86_400, 2_592_000, 5_400, 60, 90].map(windowWords), [
      '10 minutes',
      '1 hour',
      '1 day',
      '30 days',
      '90 minutes',
      '1 minute',
      '90 seconds',
    ]);
  });

  it('lists a filter as name = value, properties first', () => {
    assert.equal(filterWords({ model: 'gpt-4o', properties: { environment: 'production' } }), 'environment = production, model = gpt-4o');
    assert.equal(filterWords({ userId: 'alice', key: 'backend' }), 'user = alice, gateway key = backend');
    assert.equal(filterWords({}), 'all requests');
  });

  it('says since when the breach lasts', () => {
    assert.equal(breachWords(errorRateNotification()), '2025-06-01 14:02 UTC (18 minutes ago)');
    assert.equal(breachWords(errorRateNotification({ kind: 'resolved' })), '2025-06-01 14:02 UTC to 2025-06-01 14:20 UTC (18 minutes)');
    assert.equal(breachWords(errorRateNotification({ kind: 'test' })), null);
    assert.equal(durationWords(30_000), 'less than a minute');
    assert.equal(durationWords(125 * 60_000), '2 hours 5 minutes');
    assert.equal(durationWords(76 * 3_600_000), '3 days 4 hours');
  });
});

describe('the contributors', () => {
  it('lists the top five of each dimension with a heading, skipping empty ones', () => {
    const many = Array.from({ length: 8 }, (_, index) => ({ value: `user-${index}`, metricValue: 20 - index, requests: 10 }));
    const sections = contributorSections(
      errorRateNotification({
        contributors: [
          { by: 'user', top: many },
          { by: 'property:tier', top: [] },
        ],
      }),
    );
    assert.equal(sections.length, 1);
    assert.equal(sections[0]?.heading, 'Top users by error rate');
    assert.deepEqual(
      sections[0]?.rows.map((row) => row.value),
      ['user-0', 'user-1', 'user-2', 'user-3', 'user-4'],
    );
  });

  it('names property dimensions and the requests without a value', () => {
    const headings = contributorSections(errorRateNotification()).map((section) => section.heading);
    assert.deepEqual(headings, ['Top users by error rate', 'Top models by error rate', 'Top values of feature by error rate']);
    assert.deepEqual(contributorSections(errorRateNotification())[0]?.rows[2], {
      value: '(no user)',
      metric: '3%',
      requests: '20 requests',
    });
  });
});

describe('alertPlainText', () => {
  it('answers what broke, for whom, since when, and links to the requests', () => {
    const text = alertPlainText(errorRateNotification());
    assert.ok(text.startsWith(`${alertTitle(errorRateNotification())}\n\n`));
    for (const line of [
      'Rule: Production Error Rate (config:Production Error Rate)',
      'Value: error rate 7.1%',
      'Threshold: above 5%',
      'Window: 10 minutes',
      'Requests: 240',
      'Filter: environment = production',
      'Since: 2025-06-01 14:02 UTC (18 minutes ago)',
      'Top users by error rate:',
      '- alice: 12.5% (80 requests)',
      '- (no user): 3% (20 requests)',
      'Top models by error rate:',
      '- gpt-4o: 8.2% (170 requests)',
      'Top values of feature by error rate:',
      'View the requests: https://lookout.example.com/dashboard/requests?property.environment=production&status=error',
    ]) {
      assert.ok(text.split('\n').includes(line), `missing line "${line}" in:\n${text}`);
    }
  });

  it('says a test is a test', () => {
    assert.match(alertPlainText(costNotification({ kind: 'test' })), /This is a test notification/);
  });
});

describe('singleLine and cutText', () => {
  it('puts text on one line without control characters', () => {
    assert.equal(singleLine('a\r\nb\tc\u0000d\u2028e  f'), 'a b c d e f');
  });

  it('cuts with an ellipsis and never splits a character', () => {
    assert.equal(cutText('abcdef', 6), 'abcdef');
    assert.equal(cutText('abcdefg', 6), 'abcde…');
    const cut = cutText('ab😀😀😀', 5);
    assert.equal(cut, 'ab😀…');
    assert.ok(cut.length <= 5);
  });
});
