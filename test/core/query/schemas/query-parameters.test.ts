import { describe, it } from 'node:test';
import { explicitWindowOf } from '../../../../lambdas/core/query/schemas/query-parameters.js';
import { userUsageParameters } from '../../../../lambdas/core/query/schemas/user-usage-parameters.js';
import type { ExplicitWindow } from '../../../../lambdas/core/query/time-window.js';
import { assertInvalidParameter } from '../assert-invalid-parameter.js';
import { parseQuery } from './parse-query.js';

/** The explicit window of a query with `from` and `to`. */
function parseExplicitWindow(params: URLSearchParams): ExplicitWindow {
  return explicitWindowOf(parseQuery(userUsageParameters, params.toString()));
}

describe('time windows', () => {
  it('refuses from after to', () => {
    assertInvalidParameter(() => parseExplicitWindow(new URLSearchParams('from=2025-06-02&to=2025-06-01')), 'from', /after to/);
  });
});

describe('parameter names', () => {
  it('are refused by name when an endpoint does not know them, before a bad value is', () => {
    assertInvalidParameter(() => parseQuery(userUsageParameters, 'from=tuesday&limit=5'), 'limit', /not a parameter of this endpoint/);
  });
});
