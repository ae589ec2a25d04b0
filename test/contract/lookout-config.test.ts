import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRuntimeConfig } from '../../lambdas/core/runtime-config.js';
import {
  alertEmailAddress,
  defineConfig,
  logRetentionDayValues,
  LookoutConfigError,
  parseLookoutConfig,
  runtimeConfigFrom,
} from '../../lambdas/contract/lookout-config.js';

function configError(input: unknown): string {
  try {
    parseLookoutConfig(input);
  } catch (error) {
    assert.ok(error instanceof LookoutConfigError, `expected LookoutConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the config to be rejected');
}

describe('lookout config', () => {
  it('an empty config deploys openai and anthropic against the real APIs with the documented defaults', () => {
    const config = parseLookoutConfig(defineConfig({}));
    assert.deepEqual(config.providers, {
      openai: { baseUrl: 'https://api.openai.com' },
      anthropic: { baseUrl: 'https://api.anthropic.com' },
    });
    assert.equal(config.retentionDays, 30);
    assert.equal(config.logRetentionDays, 30);
    assert.equal(config.stageName, 'prod');
    assert.deepEqual(config.targetUrlAllowlist, []);
  });

  it('caches on DynamoDB unless told otherwise: no VPC and no fixed cost', () => {
    assert.equal(parseLookoutConfig({}).cacheBackend, 'dynamodb');
  });

  it('gives the Valkey backend one NAT gateway and small usage limits unless told otherwise', () => {
    const config = parseLookoutConfig({ cacheBackend: 'valkey' });
    assert.equal(config.natGateways, 1);
    assert.deepEqual(config.valkeyLimits, { maxDataStorageGb: 1, maxEcpuPerSecond: 5000 });
  });

  it('keeps the default of a usage limit left out', () => {
    assert.deepEqual(parseLookoutConfig({ cacheBackend: 'valkey', valkeyLimits: { maxDataStorageGb: 5 } }).valkeyLimits, {
      maxDataStorageGb: 5,
      maxEcpuPerSecond: 5000,
    });
  });

  it('names the cache backends there are', () => {
    assert.match(configError({ cacheBackend: 'redis' }), /^ {2}cacheBackend: must be one of "dynamodb", "valkey", got "redis"$/m);
  });

  it('refuses the Valkey backend without a NAT gateway, since the gateway must still reach the providers', () => {
    assert.match(
      configError({ cacheBackend: 'valkey', natGateways: 0 }),
      /^ {2}natGateways: must be 1 or more with cacheBackend "valkey" \(the gateway then runs in private subnets and reaches the providers through a NAT gateway\), got 0$/m,
    );
  });

  it('accepts no NAT gateway with the DynamoDB backend, which has no VPC', () => {
    assert.equal(parseLookoutConfig({ natGateways: 0 }).natGateways, 0);
  });

  it('refuses more NAT gateways than the VPC has availability zones, or a fraction of one', () => {
    for (const natGateways of [3, 1.5]) {
      assert.match(
        configError({ cacheBackend: 'valkey', natGateways }),
        new RegExp(
          `^ {2}natGateways: must be a whole number of NAT gateways from 0 to 2 \\(one per availability zone of the VPC's two\\), got ${natGateways}$`,
          'm',
        ),
      );
    }
  });

  it("refuses usage limits outside ElastiCache Serverless's ranges, naming each", () => {
    const message = configError({ cacheBackend: 'valkey', valkeyLimits: { maxDataStorageGb: 0, maxEcpuPerSecond: 20_000_000 } });
    assert.match(
      message,
      /^ {2}valkeyLimits\.maxDataStorageGb: must be a whole number of GB from 1 to 5000 \(ElastiCache Serverless's range\), got 0$/m,
    );
    assert.match(
      message,
      /^ {2}valkeyLimits\.maxEcpuPerSecond: must be a whole number of ECPUs a second from 1000 to 15000000 \(ElastiCache Serverless's range\), got 20000000$/m,
    );
  });

  it('rejects a misspelt usage limit, listing the ones there are', () => {
    assert.match(
      configError({ valkeyLimits: { maxStorageGb: 2 } }),
      /^ {2}valkeyLimits\.maxStorageGb: is not a valkeyLimits field; the fields are maxDataStorageGb, maxEcpuPerSecond$/m,
    );
  });

  it('added OpenAI-compatible providers join the defaults, and a default can be re-pointed', () => {
    const config = parseLookoutConfig({
      providers: { groq: { baseUrl: 'https://api.groq.com/openai' }, openai: { baseUrl: 'https://proxy.example.com' } },
    });
    assert.deepEqual(Object.keys(config.providers).sort(), ['anthropic', 'groq', 'openai']);
    assert.equal(config.providers.openai?.baseUrl, 'https://proxy.example.com');
  });

  it('names the field of every mistake, what it must be and what it was, one line each', () => {
    const message = configError({
      providers: { local: { baseUrl: 'not a url' } },
      retentionDays: -1,
      logRetentionDays: 10,
      maxBodyBytes: 'big',
    });
    assert.deepEqual(message.split('\n'), [
      'lookout config is invalid:',
      '  providers.local.baseUrl: must be an http(s) URL such as https://api.groq.com/openai or http://127.0.0.1:1234, got "not a url"',
      '  maxBodyBytes: must be a whole number of bytes, 1 or more, got "big"',
      '  retentionDays: must be a whole number of days, 1 or more, got -1',
      `  logRetentionDays: must be one of the values CloudWatch Logs accepts: ${logRetentionDayValues.join(', ')}, got 10`,
    ]);
  });

  it('refuses a provider base URL without a scheme, which would send every request to "null"', () => {
    assert.match(
      configError({ providers: { mistral: { baseUrl: 'localhost:1234' } } }),
      /^ {2}providers\.mistral\.baseUrl: must be an http\(s\) URL .*, got "localhost:1234"$/m,
    );
  });

  it('drops a trailing /v1 from a provider base URL and keeps any other base path', () => {
    const config = parseLookoutConfig({
      providers: { groq: { baseUrl: 'https://api.groq.com/openai/v1' }, local: { baseUrl: 'http://127.0.0.1:1234/v1/' } },
    });
    assert.equal(config.providers.groq?.baseUrl, 'https://api.groq.com/openai');
    assert.equal(new URL(config.providers.local!.baseUrl).pathname, '/');
  });

  it('says what a provider name may be', () => {
    assert.match(
      configError({ providers: { OpenAI: { baseUrl: 'https://api.openai.com' } } }),
      /^ {2}providers\.OpenAI: a provider name must be lower-case letters, digits and '-', starting with a letter$/m,
    );
  });

  it('rejects a misspelt field instead of silently ignoring it, listing the fields there are', () => {
    assert.match(
      configError({ retentionDay: 7 }),
      /^ {2}retentionDay: is not a config field; the fields are providers, .*retentionDays, .*stageName, cacheBackend, natGateways, valkeyLimits, alertTopicSubscriptions, alertEmailFrom, publicUrl$/m,
    );
  });

  it('says so when the export is not an object', () => {
    assert.match(configError('prod'), /^ {2}must be an object: `export default defineConfig\(\{ \.\.\. \}\)`, got "prod"$/m);
  });

  it('rejects a provider named after a built-in route', () => {
    const message = configError({ providers: { gateway: { baseUrl: 'https://example.com' } } });
    assert.match(message, /^ {2}providers\.gateway: "gateway" is reserved for a built-in route/m);
  });

  it('rejects an upstream timeout the 15-minute gateway Lambda could never honour', () => {
    assert.match(
      configError({ upstreamTimeoutMs: 20 * 60 * 1000 }),
      /^ {2}upstreamTimeoutMs: must be less than 900000 \(the gateway Lambda's 15-minute limit\), got 1200000$/m,
    );
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    assert.match(
      configError({ logRetentionDays: 10 }),
      /^ {2}logRetentionDays: must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, .*, got 10$/m,
    );
  });

  it('rejects a runtime config too large for a Lambda environment variable', () => {
    const prices = Array.from({ length: 60 }, (_, i) => ({
      provider: 'openai',
      model: `model-${i}-with-a-long-name`,
      input: 1,
      output: 2,
    }));
    assert.match(configError({ prices }), /Lambda environment/);
  });

  it('gives the Lambdas a runtime config that their own loader accepts, without deployment-only fields', () => {
    const config = parseLookoutConfig({
      providers: { groq: { baseUrl: 'https://api.groq.com/openai' } },
      targetUrlAllowlist: ['https://llm.internal.example.com'],
      prices: [{ provider: 'groq', model: 'llama-3.3-70b', input: 0.59, output: 0.79 }],
      logRetentionDays: 14,
      stageName: 'live',
      cacheBackend: 'valkey',
      natGateways: 2,
    });
    const json = JSON.stringify(runtimeConfigFrom(config));
    assert.doesNotMatch(json, /logRetentionDays|stageName|cacheBackend|natGateways|valkeyLimits/);
    const runtime = parseRuntimeConfig({ LOOKOUT_RUNTIME_CONFIG: json });
    assert.equal(runtime.providers.groq?.baseUrl, 'https://api.groq.com/openai');
    assert.equal(runtime.providers.openai?.baseUrl, 'https://api.openai.com');
    assert.deepEqual(runtime.targetUrlAllowlist, ['https://llm.internal.example.com']);
    assert.equal(runtime.prices[0]?.model, 'llama-3.3-70b');
  });
});

const highErrorRate = { name: 'High error rate', metric: 'error_rate', threshold: 5, windowSeconds: 600 } as const;

describe('lookout config: alert delivery', () => {
  it('subscribes no one to the alerts topic, sends no e-mail and links to the API unless told otherwise', () => {
    const config = parseLookoutConfig({});
    assert.deepEqual(config.alertTopicSubscriptions, []);
    assert.equal(config.alertEmailFrom, undefined);
    assert.equal(config.publicUrl, undefined);
  });

  it('subscribes an e-mail address, an E.164 phone number and an https URL to the alerts topic', () => {
    const subscriptions = [
      { protocol: 'email', endpoint: 'oncall@example.com' },
      { protocol: 'sms', endpoint: '+14155550100' },
      { protocol: 'https', endpoint: 'https://pager.example.com/hooks/lookout' },
    ] as const;
    assert.deepEqual(parseLookoutConfig({ alertTopicSubscriptions: subscriptions }).alertTopicSubscriptions, subscriptions);
  });

  it("names a subscription's endpoint that its protocol cannot deliver to, and what it must be", () => {
    const message = configError({
      alertTopicSubscriptions: [
        { protocol: 'email', endpoint: 'oncall' },
        { protocol: 'sms', endpoint: '415-555-0100' },
        { protocol: 'https', endpoint: 'http://pager.example.com/hooks' },
      ],
    });
    assert.match(message, /^ {2}alertTopicSubscriptions\[0\]\.endpoint: must be an e-mail address with protocol "email", got "oncall"$/m);
    assert.match(
      message,
      /^ {2}alertTopicSubscriptions\[1\]\.endpoint: must be a phone number in E\.164 form, such as \+14155550100, with protocol "sms", got "415-555-0100"$/m,
    );
    assert.match(
      message,
      /^ {2}alertTopicSubscriptions\[2\]\.endpoint: must be an https URL with protocol "https", got "http:\/\/pager\.example\.com\/hooks"$/m,
    );
  });

  it('names the protocols there are, and the fields of a subscription', () => {
    const message = configError({
      alertTopicSubscriptions: [
        { protocol: 'slack', endpoint: 'https://hooks.slack.com/x' },
        { protocol: 'email', endpoint: 'oncall@example.com', filter: 'critical' },
      ],
    });
    assert.match(message, /^ {2}alertTopicSubscriptions\[0\]\.protocol: must be "email", "sms" or "https", got "slack"$/m);
    assert.match(message, /^ {2}alertTopicSubscriptions\[1\]\.filter: is not a subscription field; the fields are protocol, endpoint$/m);
  });

  it('refuses the same endpoint subscribed twice, naming the first', () => {
    assert.match(
      configError({
        alertTopicSubscriptions: [
          { protocol: 'email', endpoint: 'oncall@example.com' },
          { protocol: 'email', endpoint: 'oncall@example.com' },
        ],
      }),
      /^ {2}alertTopicSubscriptions\[1\]\.endpoint: must be unique: alertTopicSubscriptions\[0\] subscribes it already, got "oncall@example\.com"$/m,
    );
  });

  it('sends alert e-mail from an address, with or without a display name', () => {
    for (const from of ['alerts@example.com', 'Lookout <alerts@example.com>']) {
      assert.equal(parseLookoutConfig({ alertEmailFrom: from }).alertEmailFrom, from);
      assert.equal(alertEmailAddress(from), 'alerts@example.com');
    }
  });

  it('refuses a sender that is not an address: a bare domain gives SES no From', () => {
    for (const from of ['example.com', 'Lookout <example.com>']) {
      assert.match(
        configError({ alertEmailFrom: from }),
        /^ {2}alertEmailFrom: must be the e-mail address alert e-mails come from, such as alerts@example\.com or "Lookout <alerts@example\.com>", .*, got /m,
      );
    }
  });

  it('refuses a rule with an e-mail channel without alertEmailFrom, naming the rule', () => {
    assert.match(
      configError({ alerts: [{ ...highErrorRate, channels: { email: ['oncall@example.com'] } }] }),
      /^ {2}alerts\[0\]\.channels\.email: needs alertEmailFrom, the SES-verified address alert e-mails come from \(rule "High error rate"\), got \["oncall@example\.com"\]$/m,
    );
  });

  it('takes a rule with an e-mail channel once alertEmailFrom is set, and rules on other channels without it', () => {
    assert.equal(
      parseLookoutConfig({
        alertEmailFrom: 'alerts@example.com',
        alerts: [{ ...highErrorRate, channels: { email: ['oncall@example.com'] } }],
      }).alerts.length,
      1,
    );
    assert.equal(parseLookoutConfig({ alerts: [{ ...highErrorRate, channels: { slack: true, sns: true } }] }).alerts.length, 1);
  });

  it('takes an https public URL for the links in notifications, and refuses any other', () => {
    assert.equal(parseLookoutConfig({ publicUrl: 'https://lookout.example.com/' }).publicUrl, 'https://lookout.example.com/');
    for (const publicUrl of ['http://lookout.example.com/', 'lookout.example.com']) {
      assert.match(configError({ publicUrl }), /^ {2}publicUrl: must be an https URL such as https:\/\/lookout\.example\.com\/ .*, got /m);
    }
  });

  it('keeps them out of the runtime config: only the stack reads them', () => {
    const config = parseLookoutConfig({
      alertTopicSubscriptions: [{ protocol: 'email', endpoint: 'oncall@example.com' }],
      alertEmailFrom: 'alerts@example.com',
      publicUrl: 'https://lookout.example.com/',
    });
    assert.doesNotMatch(JSON.stringify(runtimeConfigFrom(config)), /alertTopicSubscriptions|alertEmailFrom|publicUrl/);
  });
});
