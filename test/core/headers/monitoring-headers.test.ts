import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLookoutHeader, parseMonitoringHeaders, resolveUserId } from '../../../lambdas/core/headers/monitoring-headers.js';
import { assertInvalidHeader, headerMap, PREFIXES } from './assert-invalid-header.js';

const parse = (headers: Record<string, string>) => parseMonitoringHeaders(headerMap(headers));

describe('parseMonitoringHeaders with no Lookout headers', () => {
  it('returns empty defaults and ignores unrelated headers', () => {
    const parsed = parse({
      'Content-Type': 'application/json',
      Authorization: 'Bearer sk-provider-key',
      'X-Request-Id': 'not-a-uuid',
      'User-Agent': 'OpenAI/JS 5.0',
      'Cache-Control': 'max-age=abc',
      'Property-Env': 'prod',
    });
    assert.deepEqual(parsed, {
      gatewayKey: null,
      userId: null,
      properties: {},
      sessionId: null,
      sessionPath: null,
      sessionName: null,
      requestId: null,
      omitRequest: false,
      omitResponse: false,
      promptId: null,
      targetUrl: null,
      cache: null,
      rateLimitPolicy: null,
      retry: null,
      fallbacks: null,
    });
  });

  it('ignores Helicone headers Lookout does not implement instead of rejecting them', () => {
    const parsed = parse({ 'Helicone-Posthog-Key': 'phc_x', 'Helicone-Model-Override': 'gpt-4o', 'Lookout-Unknown': '?' });
    assert.equal(parsed.gatewayKey, null);
    assert.deepEqual(parsed.properties, {});
  });
});

for (const prefix of PREFIXES) {
  describe(`${prefix}-* headers`, () => {
    it('parses every simple header', () => {
      const parsed = parse({
        [`${prefix}-Auth`]: 'Bearer lk_live_abc123',
        [`${prefix}-User-Id`]: 'alice@example.com',
        [`${prefix}-Session-Id`]: 'conv_42',
        [`${prefix}-Session-Path`]: '/plan/outline/chapter 1',
        [`${prefix}-Session-Name`]: 'Course Plan',
        [`${prefix}-Request-Id`]: '123E4567-E89B-12D3-A456-426614174000',
        [`${prefix}-Omit-Request`]: 'TRUE',
        [`${prefix}-Omit-Response`]: 'false',
        [`${prefix}-Prompt-Id`]: 'this is the first prompt',
        [`${prefix}-Target-URL`]: 'https://api.openai.com/v1',
      });
      assert.equal(parsed.gatewayKey, 'lk_live_abc123');
      assert.equal(parsed.userId, 'alice@example.com');
      assert.equal(parsed.sessionId, 'conv_42');
      assert.equal(parsed.sessionPath, '/plan/outline/chapter 1');
      assert.equal(parsed.sessionName, 'Course Plan');
      assert.equal(parsed.requestId, '123e4567-e89b-12d3-a456-426614174000');
      assert.equal(parsed.omitRequest, true);
      assert.equal(parsed.omitResponse, false);
      assert.equal(parsed.promptId, 'this is the first prompt');
      assert.equal(parsed.targetUrl?.href, 'https://api.openai.com/v1');
    });

    it('trims surrounding whitespace and treats a blank value as not sent', () => {
      const parsed = parse({ [`${prefix}-User-Id`]: '  bob  ', [`${prefix}-Auth`]: '   ', [`${prefix}-Omit-Request`]: '' });
      assert.equal(parsed.userId, 'bob');
      assert.equal(parsed.gatewayKey, null);
      assert.equal(parsed.omitRequest, false);
    });

    describe('Auth', () => {
      it('accepts any case of the Bearer scheme', () => {
        assert.equal(parse({ [`${prefix}-Auth`]: 'bearer  key-1' }).gatewayKey, 'key-1');
      });
      for (const bad of ['lk_live_abc123', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'Bearer ключ']) {
        it(`rejects ${JSON.stringify(bad)} without echoing the key`, () => {
          assertInvalidHeader(() => parse({ [`${prefix}-Auth`]: bad }), `${prefix}-Auth`, /Bearer <gateway key>/);
          try {
            parse({ [`${prefix}-Auth`]: bad });
          } catch (error) {
            assert.ok(!(error as Error).message.includes('abc123'));
          }
        });
      }
      it('rejects an absurdly long key', () => {
        assertInvalidHeader(() => parse({ [`${prefix}-Auth`]: `Bearer ${'k'.repeat(513)}` }), `${prefix}-Auth`);
      });
    });

    describe('User-Id', () => {
      it('accepts 256 characters and rejects 257', () => {
        assert.equal(parse({ [`${prefix}-User-Id`]: 'u'.repeat(256) }).userId?.length, 256);
        assertInvalidHeader(() => parse({ [`${prefix}-User-Id`]: 'u'.repeat(257) }), `${prefix}-User-Id`, /256/);
      });
      it('rejects control characters', () => {
        assertInvalidHeader(() => parse({ [`${prefix}-User-Id`]: 'a\u0000b' }), `${prefix}-User-Id`, /control/);
      });
    });

    describe('Session headers', () => {
      for (const bad of ['a/b', '/', '/a/', '/a//b', 'a', '//a']) {
        it(`rejects the path ${JSON.stringify(bad)}`, () => {
          assertInvalidHeader(() => parse({ [`${prefix}-Session-Path`]: bad }), `${prefix}-Session-Path`, /must be a path like \/a\/b\/c/);
        });
      }
      it('bounds the path, id and name', () => {
        assertInvalidHeader(() => parse({ [`${prefix}-Session-Path`]: `/${'a'.repeat(512)}` }), `${prefix}-Session-Path`);
        assertInvalidHeader(() => parse({ [`${prefix}-Session-Id`]: 's'.repeat(257) }), `${prefix}-Session-Id`);
        assertInvalidHeader(() => parse({ [`${prefix}-Session-Name`]: 'n'.repeat(257) }), `${prefix}-Session-Name`);
      });
      it('accepts a one-level path', () => {
        assert.equal(parse({ [`${prefix}-Session-Path`]: '/abstract' }).sessionPath, '/abstract');
      });
    });

    describe('Request-Id', () => {
      it('accepts any UUID version', () => {
        for (const id of [
          '0190b3c2-7d1e-7cc0-8a4b-9e2f1c3d4e5f', // v7
          'f47ac10b-58cc-4372-a567-0e02b2c3d479', // v4
          'a0eebc99-9c0b-11d1-b805-00c04fd430c8', // v1
        ]) {
          assert.equal(parse({ [`${prefix}-Request-Id`]: id }).requestId, id);
        }
      });
      for (const bad of [
        'req_123',
        'f47ac10b58cc4372a5670e02b2c3d479',
        '{f47ac10b-58cc-4372-a567-0e02b2c3d479}',
        'f47ac10b-58cc-4372-a567-0e02b2c3d47g',
      ]) {
        it(`rejects ${bad}`, () => {
          assertInvalidHeader(() => parse({ [`${prefix}-Request-Id`]: bad }), `${prefix}-Request-Id`, /UUID/);
        });
      }
    });

    describe('Omit-Request / Omit-Response', () => {
      for (const name of ['Omit-Request', 'Omit-Response'] as const) {
        for (const bad of ['yes', '1', 'on', 'true,true']) {
          it(`rejects ${name}: ${bad}`, () => {
            assertInvalidHeader(() => parse({ [`${prefix}-${name}`]: bad }), `${prefix}-${name}`, /true or false/);
          });
        }
      }
    });

    describe('Prompt-Id', () => {
      it('rejects characters outside the safe set and overly long ids', () => {
        assertInvalidHeader(() => parse({ [`${prefix}-Prompt-Id`]: 'story<script>' }), `${prefix}-Prompt-Id`);
        assertInvalidHeader(() => parse({ [`${prefix}-Prompt-Id`]: '-leading-dash' }), `${prefix}-Prompt-Id`);
        assertInvalidHeader(() => parse({ [`${prefix}-Prompt-Id`]: 'p'.repeat(129) }), `${prefix}-Prompt-Id`);
        assert.equal(parse({ [`${prefix}-Prompt-Id`]: 'prompt_story.v2:draft-1' }).promptId, 'prompt_story.v2:draft-1');
      });
    });

    describe('Target-URL', () => {
      it('keeps the path and query of an http URL', () => {
        const url = parse({ [`${prefix}-Target-URL`]: 'http://localhost:8080/v1?x=1' }).targetUrl;
        assert.ok(url instanceof URL);
        assert.equal(url.origin, 'http://localhost:8080');
        assert.equal(url.search, '?x=1');
      });
      for (const [bad, reason] of [
        ['/v1/chat/completions', /absolute http\(s\) URL/],
        ['api.openai.com', /absolute http\(s\) URL/],
        ['ftp://files.example.com', /absolute http\(s\) URL/],
        ['file:///etc/passwd', /absolute http\(s\) URL/],
        ['https://user:secret@api.example.com', /credentials/],
        ['https://user@api.example.com', /credentials/],
      ] as const) {
        it(`rejects ${bad}`, () => {
          assertInvalidHeader(() => parse({ [`${prefix}-Target-URL`]: bad }), `${prefix}-Target-URL`, reason);
        });
      }
      it('rejects a URL longer than 2048 characters', () => {
        assertInvalidHeader(
          () => parse({ [`${prefix}-Target-URL`]: `https://api.example.com/${'a'.repeat(2048)}` }),
          `${prefix}-Target-URL`,
        );
      });
    });
  });
}

describe('Lookout and Helicone headers sent together', () => {
  it('uses the Lookout value when they differ', () => {
    const parsed = parse({
      'Lookout-User-Id': 'lookout-user',
      'Helicone-User-Id': 'helicone-user',
      'Lookout-Auth': 'Bearer lookout-key',
      'Helicone-Auth': 'Bearer helicone-key',
      'Lookout-Omit-Response': 'false',
      'Helicone-Omit-Response': 'true',
    });
    assert.equal(parsed.userId, 'lookout-user');
    assert.equal(parsed.gatewayKey, 'lookout-key');
    assert.equal(parsed.omitResponse, false);
  });

  it('ignores a malformed Helicone value when the Lookout one is present', () => {
    const parsed = parse({ 'Lookout-Request-Id': 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'Helicone-Request-Id': 'junk' });
    assert.equal(parsed.requestId, 'f47ac10b-58cc-4372-a567-0e02b2c3d479');
  });

  it('names the Lookout header when its value is the malformed one', () => {
    assertInvalidHeader(() => parse({ 'Lookout-Session-Path': 'nope', 'Helicone-Session-Path': '/fine' }), 'Lookout-Session-Path');
  });

  it('falls back to the Helicone value when the Lookout one is blank', () => {
    assert.equal(parse({ 'Lookout-User-Id': '', 'Helicone-User-Id': 'h' }).userId, 'h');
  });
});

describe('resolveUserId', () => {
  it('prefers the User-Id header over the body', () => {
    assert.equal(resolveUserId({ userId: 'header-user' }, { user: 'body-user' }), 'header-user');
  });
  it("falls back to the OpenAI body's user field", () => {
    assert.equal(resolveUserId({ userId: null }, { model: 'gpt-4o', user: 'body-user' }), 'body-user');
  });
  it("falls back to Anthropic's metadata.user_id", () => {
    assert.equal(resolveUserId({ userId: null }, { metadata: { user_id: 'anthropic-user' } }), 'anthropic-user');
  });
  it('ignores a non-string, blank, over-long or control-character body user', () => {
    for (const user of [42, { id: 'x' }, ['a'], null, '', '   ', 'u'.repeat(257), 'a\nb']) {
      assert.equal(resolveUserId({ userId: null }, { user }), null, JSON.stringify(user));
    }
  });
  it('returns null for bodies that are not objects', () => {
    for (const body of [undefined, null, 'user', 3, ['user']]) {
      assert.equal(resolveUserId({ userId: null }, body), null);
    }
  });
  it('takes the user from parsed headers', () => {
    const headers = parseMonitoringHeaders(headerMap({ 'Helicone-User-Id': 'h-user' }));
    assert.equal(resolveUserId(headers, { user: 'body-user' }), 'h-user');
  });
});

describe('isLookoutHeader', () => {
  it('is true for lookout-* and helicone-* in any case', () => {
    for (const name of ['lookout-auth', 'Lookout-Property-Env', 'HELICONE-AUTH', 'helicone-fallbacks', 'lookout-x']) {
      assert.equal(isLookoutHeader(name), true, name);
    }
  });
  it('is false for everything a provider should still receive', () => {
    for (const name of ['authorization', 'content-type', 'cache-control', 'x-lookout-auth', 'lookout', 'helicone', 'openai-organization']) {
      assert.equal(isLookoutHeader(name), false, name);
    }
  });
});
