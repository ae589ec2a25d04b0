import assert from 'node:assert/strict';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';

/** Asserts `run` throws the 400 `invalid_header` error whose message starts with `headerName`. */
export function assertInvalidHeader(run: () => unknown, headerName: string, messagePart?: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof LookoutError, `expected a LookoutError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_header');
    assert.ok(error.message.startsWith(headerName), `expected the message to start with ${headerName}: ${error.message}`);
    if (messagePart) assert.match(error.message, messagePart);
    return true;
  });
}

/** Lower-cases header names as the handler does, so tests can write them as clients do. */
export function headerMap(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

export const PREFIXES = ['Lookout', 'Helicone'] as const;
