import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utcDay } from '../../../lambdas/core/request-log/request-log-record.js';
import { CREATED_AT_MS } from '../../support/request-log-records.js';

describe('utcDay', () => {
  it('is the UTC calendar day of an instant', () => {
    assert.equal(utcDay(CREATED_AT_MS), '2025-03-14');
    assert.equal(utcDay(CREATED_AT_MS + 1), '2025-03-15');
    assert.equal(utcDay(0), '1970-01-01');
  });
});
