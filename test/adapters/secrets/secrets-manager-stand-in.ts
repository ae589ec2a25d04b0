/**
 * A loopback stand-in for Secrets Manager's GetSecretValue (no Secrets Manager runs here, and no
 * emulator is installed): it checks what Secrets Manager checks of the SDK's real request (a JSON
 * 1.1 POST to `/` with `X-Amz-Target: secretsmanager.GetSecretValue`, a `SecretId`, and a SigV4
 * signature for `secretsmanager`, recomputed with the test's credentials) and answers as it does:
 * the secret's `ARN`, `Name`, `SecretString` (or `SecretBinary`), or a JSON error with `__type`
 * (`ResourceNotFoundException` for a secret it does not hold, by name or ARN).
 */
import type { ServerResponse } from 'node:http';
import type { AwsCredentials } from '../../../lambdas/adapters/aws-http/aws-credentials.js';
import { type ReceivedRequest, signatureIsValid, startRecordingServer } from '../aws-http/signature-checking-server.js';

export const STAND_IN_CREDENTIALS: AwsCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

/** A secret the stand-in holds: text, binary (base64 on the wire), or none yet (a secret made without a value). */
export type StoredSecret = { string: string } | { binary: Buffer } | { noValue: true };

export async function startSecretsManagerStandIn() {
  const secrets = new Map<string, StoredSecret>();
  const arnOf = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
  const server = await startRecordingServer((request, response) => void answer(request, response));

  async function answer(request: ReceivedRequest, response: ServerResponse): Promise<void> {
    const fail = (status: number, type: string, message: string): void => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: type, message }));
    };
    if (request.method !== 'POST' || request.path !== '/') return fail(400, 'InvalidRequestException', `${request.method} ${request.path}`);
    if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue')
      return fail(400, 'UnknownOperationException', `target ${request.headers['x-amz-target']}`);
    if (request.headers['content-type'] !== 'application/x-amz-json-1.1') return fail(400, 'InvalidRequestException', 'content type');
    if (!(await signatureIsValid(request, STAND_IN_CREDENTIALS)))
      return fail(403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
    const { SecretId } = JSON.parse(request.body.toString()) as { SecretId?: unknown };
    const name = [...secrets.keys()].find((candidate) => SecretId === candidate || SecretId === arnOf(candidate));
    const secret = name === undefined ? undefined : secrets.get(name);
    if (name === undefined || !secret) return fail(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    if ('noValue' in secret)
      return fail(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(
      JSON.stringify({
        ARN: arnOf(name),
        Name: name,
        VersionId: '00000000-0000-4000-8000-000000000001',
        ...('string' in secret ? { SecretString: secret.string } : { SecretBinary: secret.binary.toString('base64') }),
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_767_225_600,
      }),
    );
  }

  return {
    endpoint: server.endpoint,
    region: REGION,
    /** Every request received, answered or refused. */
    received: server.received,
    /** Creates or replaces a secret (as PutSecretValue would: reads after it get the new value). */
    put(name: string, secret: StoredSecret): void {
      secrets.set(name, secret);
    },
    arnOf,
  };
}
