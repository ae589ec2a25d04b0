import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestListFingerprint, type RequestListQuery } from '../../../../lambdas/core/query/request-list-query.js';
import { requestListParameters, requestListQuery } from '../../../../lambdas/core/query/schemas/request-list-parameters.js';
import { assertInvalidParameter } from '../assert-invalid-parameter.js';
import { parseQuery } from './parse-query.js';

/** `GET /v1/requests?<rawQuery>` as the pager gets it. */
function parseRequestListQuery(rawQuery: string): RequestListQuery {
  return requestListQuery(parseQuery(requestListParameters, rawQuery));
}

describe('parseRequestListQuery', () => {
  it('reads every filter', () => {
    const query = parseRequestListQuery(
      'userId=u1&sessionId=s1&model=gpt-4o&provider=openai&status=error&cacheHit=true&property.Env=prod&property.team=ml' +
        '&from=2025-01-01&to=1735776000000&limit=10&cursor=abc',
    );
    assert.deepEqual(query, {
      filters: {
        userId: 'u1',
        sessionId: 's1',
        model: 'gpt-4o',
        provider: 'openai',
        status: 'error',
        cacheHit: true,
        properties: { env: 'prod', team: 'ml' },
      },
      explicitWindow: { fromMs: Date.UTC(2025, 0, 1), toMs: 1735776000000 },
      limit: 10,
      cursor: 'abc',
    });
  });

  it('defaults to 50 requests and no filters', () => {
    const query = parseRequestListQuery('');
    assert.equal(query.limit, 50);
    assert.deepEqual(query.filters, { properties: {} });
  });

  it('reads status ok and numeric codes, cacheHit false', () => {
    assert.equal(parseRequestListQuery('status=ok').filters.status, 'ok');
    assert.equal(parseRequestListQuery('status=429').filters.status, 429);
    assert.equal(parseRequestListQuery('cacheHit=false').filters.cacheHit, false);
  });

  it('names the parameter that is wrong', () => {
    assertInvalidParameter(() => parseRequestListQuery('status=failed'), 'status');
    assertInvalidParameter(() => parseRequestListQuery('status=600'), 'status');
    assertInvalidParameter(() => parseRequestListQuery('cacheHit=yes'), 'cacheHit');
    assertInvalidParameter(() => parseRequestListQuery('limit=0'), 'limit');
    assertInvalidParameter(() => parseRequestListQuery('from=tuesday'), 'from');
    assertInvalidParameter(() => parseRequestListQuery('to=2025-01-01T00:00'), 'to');
    assertInvalidParameter(() => parseRequestListQuery('model=a&model=b'), 'model');
    assertInvalidParameter(() => parseRequestListQuery('userId='), 'userId');
    assertInvalidParameter(() => parseRequestListQuery('property.=x'), 'property.');
    assertInvalidParameter(() => parseRequestListQuery('property.bad%20name=x'), 'property.bad name');
    assertInvalidParameter(() => parseRequestListQuery('property.env=a&property.ENV=b'), 'property.ENV', /second time/);
  });

  it('refuses unknown parameters by name, so a typo never returns unfiltered data', () => {
    assertInvalidParameter(() => parseRequestListQuery('userid=u1'), 'userid', /not a parameter/);
    assertInvalidParameter(() => parseRequestListQuery('page=2'), 'page');
  });
});

describe('requestListFingerprint', () => {
  const fingerprint = (raw: string) => requestListFingerprint(parseRequestListQuery(raw));

  it('ignores limit, cursor and the order of properties', () => {
    assert.equal(fingerprint('model=m&property.a=1&property.b=2&limit=5'), fingerprint('property.b=2&model=m&property.a=1&cursor=x'));
  });

  it('changes with any filter or explicit time', () => {
    const base = fingerprint('model=m');
    for (const other of [
      'model=n',
      'model=m&userId=u',
      'model=m&status=ok',
      'model=m&property.a=1',
      'model=m&from=2025-01-01',
      'model=m&to=2025-01-01',
    ]) {
      assert.notEqual(fingerprint(other), base, other);
    }
  });
});
