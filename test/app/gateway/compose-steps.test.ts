import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeSteps, type Step } from '../../../lambdas/app/gateway/compose-steps.js';

interface Trace {
  events: string[];
  answer?: string;
}

const record =
  (name: string): Step<Trace> =>
  async (trace, next) => {
    trace.events.push(`${name} before`);
    await next();
    trace.events.push(`${name} after`);
  };

const answerWithError = (error: unknown, trace: Trace) => {
  trace.events.push(`onError ${(error as Error).message}`);
  trace.answer = 'error';
};

describe('composeSteps', () => {
  it('runs the steps in order, each wrapping the ones after it', async () => {
    const trace: Trace = { events: [] };
    await composeSteps([record('a'), record('b'), record('c')], answerWithError)(trace);
    assert.deepEqual(trace.events, ['a before', 'b before', 'c before', 'c after', 'b after', 'a after']);
  });

  it('lets a step answer without calling next, so the later steps never run (a cache hit)', async () => {
    const trace: Trace = { events: [] };
    const cacheHit: Step<Trace> = async (t) => {
      t.answer = 'cached';
    };
    await composeSteps([record('log'), cacheHit, record('forward')], answerWithError)(trace);
    assert.equal(trace.answer, 'cached');
    assert.deepEqual(trace.events, ['log before', 'log after']);
  });

  it('hands an error to onError where it was thrown, and the steps around it finish normally', async () => {
    const trace: Trace = { events: [] };
    const failing: Step<Trace> = async () => {
      throw new Error('upstream down');
    };
    await composeSteps([record('outer'), record('log'), failing, record('never')], answerWithError)(trace);
    assert.equal(trace.answer, 'error');
    assert.deepEqual(trace.events, ['outer before', 'log before', 'onError upstream down', 'log after', 'outer after']);
  });

  it('catches a synchronous throw of a step that is not async', async () => {
    const trace: Trace = { events: [] };
    const throwsAtOnce: Step<Trace> = () => {
      throw new Error('bad header');
    };
    await composeSteps([record('a'), throwsAtOnce], answerWithError)(trace);
    assert.deepEqual(trace.events, ['a before', 'onError bad header', 'a after']);
  });

  it('treats a second call of next as a bug, answered through onError', async () => {
    const trace: Trace = { events: [] };
    const twice: Step<Trace> = async (_t, next) => {
      await next();
      await next();
    };
    await composeSteps([twice, record('b')], answerWithError)(trace);
    assert.deepEqual(trace.events, ['b before', 'b after', 'onError a pipeline step called next() twice']);
  });

  it('keeps no state between runs: one composed pipeline serves every request', async () => {
    const run = composeSteps([record('a')], answerWithError);
    const first: Trace = { events: [] };
    const second: Trace = { events: [] };
    await Promise.all([run(first), run(second)]);
    assert.deepEqual(first.events, ['a before', 'a after']);
    assert.deepEqual(second.events, ['a before', 'a after']);
  });
});
