import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { sdkDefaultSigning } from '../../../lambdas/adapters/aws-http/sdk-default-signing.js';

// An operator's machine with a named profile and no credentials in the environment: what
// `npm run logs:replay -- --queue-url ...` must sign with (the Lambdas read the environment instead).
const VARIABLES = [
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
];
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lookout-aws-profile-'));
  writeFileSync(join(dir, 'config'), '[profile ops]\nregion = eu-north-1\n');
  writeFileSync(
    join(dir, 'credentials'),
    '[ops]\naws_access_key_id = AKIAOPSEXAMPLE\naws_secret_access_key = ops-secret\naws_session_token = ops-token\n',
  );
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, {
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_PROFILE: 'ops',
  });
});

after(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

it('signs with the region and credentials of the AWS profile, as the AWS CLI would', async () => {
  const signing = await sdkDefaultSigning();
  assert.equal(signing.region, 'eu-north-1');
  assert.deepEqual(await signing.credentials(), {
    accessKeyId: 'AKIAOPSEXAMPLE',
    secretAccessKey: 'ops-secret',
    sessionToken: 'ops-token',
  });
});
