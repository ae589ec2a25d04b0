import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  breaches,
  INITIAL_ALERT_STATE,
  stepAlert,
  type AlertObservation,
  type AlertState,
} from '../../../lambdas/core/alerts/alert-state.js';

const MINUTE = 60_000;
const rule: { comparison: 'gt'; threshold: number; minRequests: number; resolveAfterSeconds: number; renotifyAfterSeconds?: number } = {
  comparison: 'gt',
  threshold: 5,
  minRequests: 10,
  resolveAfterSeconds: 300,
};

/** Runs observations a minute apart and returns the notifications sent, in order, with their minute. */
function run(observations: AlertObservation[], timing = rule, start: AlertState = INITIAL_ALERT_STATE) {
  let state = start;
  const sent: string[] = [];
  observations.forEach((observation, minute) => {
    const step = stepAlert(state, observation, timing, minute * MINUTE);
    state = step.state;
    if (step.notify) sent.push(`${minute}:${step.notify}`);
  });
  return { state, sent };
}

const breach = { value: 7.5, requests: 40 };
const calm = { value: 1, requests: 40 };
const quiet = { value: null, requests: 0 };

describe('the alert state machine', () => {
  it('compares as the rule says; no value never breaches', () => {
    assert.equal(breaches(5.1, 'gt', 5), true);
    assert.equal(breaches(5, 'gt', 5), false);
    assert.equal(breaches(5, 'gte', 5), true);
    assert.equal(breaches(40, 'lt', 50), true);
    assert.equal(breaches(50, 'lte', 50), true);
    assert.equal(breaches(null, 'lt', 50), false);
  });

  it('fires once on a breach, and resolves only after resolveAfterSeconds without one', () => {
    const { sent, state } = run([calm, breach, breach, calm, breach, calm, calm, calm, calm, calm, calm]);
    assert.deepEqual(sent, ['1:triggered', '9:resolved']);
    assert.equal(state.status, 'resolved');
    assert.equal(state.breachStartedAtMs, 1 * MINUTE);
  });

  it('does not fire below minRequests, however high the value', () => {
    assert.deepEqual(
      run([
        { value: 90, requests: 9 },
        { value: 90, requests: 9 },
      ]).sent,
      [],
    );
  });

  it('resolves when traffic stops, a window below minRequests counting as no breach', () => {
    assert.deepEqual(run([breach, quiet, quiet, quiet, quiet, quiet, quiet]).sent, ['0:triggered', '5:resolved']);
  });

  it('fires again on a new breach after resolving', () => {
    const timing = { ...rule, resolveAfterSeconds: 0 };
    assert.deepEqual(run([breach, calm, breach], timing).sent, ['0:triggered', '1:resolved', '2:triggered']);
  });

  it('reminds every renotifyAfterSeconds while firing', () => {
    const timing = { ...rule, renotifyAfterSeconds: 120 };
    assert.deepEqual(run([breach, breach, breach, breach, breach], timing).sent, ['0:triggered', '2:reminder', '4:reminder']);
  });
});
