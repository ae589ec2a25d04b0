import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headersNotActedOn } from '../../../lambdas/core/headers/headers-not-acted-on.js';

test('names the Helicone features Lookout accepts but does not act on yet', () => {
  assert.deepEqual(
    headersNotActedOn({
      'helicone-retry-enabled': 'true',
      'helicone-fallbacks': '[]',
      'helicone-model-override': 'gpt-4o',
      'helicone-posthog-key': 'phc_x',
      'lookout-unknown-feature': 'a',
    }),
    ['helicone-fallbacks', 'helicone-model-override', 'helicone-posthog-key', 'helicone-retry-enabled', 'lookout-unknown-feature'],
  );
});

test('leaves out the headers Lookout acts on, other headers, and blank values', () => {
  assert.deepEqual(
    headersNotActedOn({
      'helicone-auth': 'Bearer k',
      'lookout-auth': 'Bearer k',
      'helicone-user-id': 'u',
      'lookout-property-feature': 'chat',
      'helicone-property-app': 'mobile',
      'helicone-session-id': 's',
      'helicone-session-path': '/a',
      'helicone-session-name': 'n',
      'helicone-request-id': 'id',
      'helicone-omit-request': 'true',
      'helicone-omit-response': 'true',
      'helicone-prompt-id': 'p',
      'helicone-target-url': 'https://x',
      'helicone-cache-enabled': 'true',
      'lookout-cache-read': 'true',
      'helicone-cache-save': 'true',
      'helicone-cache-seed': 's',
      'helicone-cache-bucket-max-size': '3',
      'helicone-cache-ignore-keys': 'user',
      'helicone-ratelimit-policy': '10;w=60',
      'cache-control': 'max-age=60',
      authorization: 'Bearer sk',
      'helicone-retry-enabled': '  ',
    }),
    [],
  );
});
