/**
 * The secret reader with the real SDK client, against a loopback stand-in for Secrets Manager
 * (`secrets-manager-stand-in.ts`: no Secrets Manager runs here) that checks the SDK's
 * GetSecretValue request as the service does, signature included. What it shows: a value by
 * name or ARN, read once and kept for a while, read again after that, and a failure that is
 * not kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  SECRET_CACHE_MS,
  SecretReadError,
  SecretsManagerSecretReader,
} from '../../../lambdas/adapters/secrets/secrets-manager-secret-reader.js';
import { stopRecordingServers } from '../aws-http/signature-checking-server.js';
import { STAND_IN_CREDENTIALS, startSecretsManagerStandIn } from './secrets-manager-stand-in.js';

const SLACK_URL = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

describe('SecretsManagerSecretReader against a loopback GetSecretValue stand-in', () => {
  let standIn: Awaited<ReturnType<typeof startSecretsManagerStandIn>>;
  let client: SecretsManagerClient;
  let nowMs: number;
  const reader = () => new SecretsManagerSecretReader(client, { now: () => nowMs });

  before(async () => {
    standIn = await startSecretsManagerStandIn();
    client = new SecretsManagerClient({
      endpoint: standIn.endpoint,
      region: standIn.region,
      credentials: STAND_IN_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  after(async () => {
    client.destroy();
    await stopRecordingServers();
  });

  it('reads a secret’s text by name and by ARN, with GetSecretValue', async () => {
    standIn.put('lookout/slack-webhook', { string: SLACK_URL });
    nowMs = 0;
    const secrets = reader();
    const before = standIn.received.length;

    assert.equal(await secrets.read('lookout/slack-webhook'), SLACK_URL);
    assert.equal(await secrets.read(standIn.arnOf('lookout/slack-webhook')), SLACK_URL);

    const requests = standIn.received.slice(before);
    assert.equal(requests.length, 2);
    assert.deepEqual(
      requests.map((request) => JSON.parse(request.body.toString())),
      [{ SecretId: 'lookout/slack-webhook' }, { SecretId: standIn.arnOf('lookout/slack-webhook') }],
    );
    assert.equal(requests[0]!.headers['x-amz-target'], 'secretsmanager.GetSecretValue');
  });

  it('reads a secret once while its value is fresh, and again once it is older than the cache’s life', async () => {
    standIn.put('lookout/signing-key', { string: 'key-1' });
    nowMs = 1_000_000;
    const secrets = reader();
    const before = standIn.received.length;

    assert.equal(await secrets.read('lookout/signing-key'), 'key-1');
    standIn.put('lookout/signing-key', { string: 'key-2' });
    nowMs += SECRET_CACHE_MS - 1;
    assert.equal(await secrets.read('lookout/signing-key'), 'key-1', 'still the value read');
    assert.equal(standIn.received.length - before, 1);

    nowMs += 1;
    assert.equal(await secrets.read('lookout/signing-key'), 'key-2', 'a rotated secret is seen once the cached value is old');
    assert.equal(standIn.received.length - before, 2);
  });

  it('makes one call for concurrent reads of one secret', async () => {
    standIn.put('lookout/concurrent', { string: 'v' });
    nowMs = 0;
    const secrets = reader();
    const before = standIn.received.length;

    assert.deepEqual(
      await Promise.all([secrets.read('lookout/concurrent'), secrets.read('lookout/concurrent'), secrets.read('lookout/concurrent')]),
      ['v', 'v', 'v'],
    );
    assert.equal(standIn.received.length - before, 1);
  });

  it('rejects with Secrets Manager’s error for a secret it does not hold, and does not keep the failure', async () => {
    nowMs = 0;
    const secrets = reader();

    await assert.rejects(secrets.read('lookout/later'), (error: Error) => {
      assert.ok(error instanceof SecretReadError);
      assert.equal(error.secretName, 'lookout/later');
      assert.equal((error.cause as Error).name, 'ResourceNotFoundException');
      assert.match(error.message, /^Secret lookout\/later could not be read: ResourceNotFoundException: /);
      return true;
    });
    standIn.put('lookout/later', { string: 'now here' });
    assert.equal(await secrets.read('lookout/later'), 'now here');
  });

  it('says what to do about a secret that has no value yet (the stack makes the Slack one empty)', async () => {
    standIn.put('lookout/slack-empty', { noValue: true });
    nowMs = 0;

    await assert.rejects(
      reader().read('lookout/slack-empty'),
      /^SecretReadError: Secret lookout\/slack-empty could not be read: .*it has no value yet: aws secretsmanager put-secret-value/,
    );
  });

  it('refuses a binary secret, naming it', async () => {
    standIn.put('lookout/binary', { binary: Buffer.from([1, 2, 3]) });
    nowMs = 0;

    await assert.rejects(reader().read('lookout/binary'), /Secret lookout\/binary holds no text/);
  });
});
