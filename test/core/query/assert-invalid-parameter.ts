import assert from 'node:assert/strict';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';

/** Asserts `run` throws a 400 invalid_parameter whose message starts with `parameter`. */
export function assertInvalidParameter(run: () => unknown, parameter: string, messagePart?: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof LookoutError, `expected a LookoutError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_parameter');
    assert.ok(error.message.startsWith(parameter), `"${error.message}" should start with "${parameter}"`);
    if (messagePart) assert.match(error.message, messagePart);
    return true;
  });
}
