/**
 * Secrets (a Slack webhook's URL, the webhook signing key) from Secrets Manager's GetSecretValue,
 * by name or ARN, through the SDK: the alert evaluator and the query API are off the request path.
 *
 * Each value is kept in memory for `SECRET_CACHE_MS`: an evaluator run reads the same secrets for
 * every rule, and a warm Lambda runs again a minute later, so without it every notification
 * would cost a call (and Secrets Manager bills by the call); a short life still lets a rotated
 * secret take effect within minutes without a deploy. Concurrent reads of one secret share one
 * call. A failed read is not kept, so the next one asks again.
 *
 * The client makes one attempt per call (`SINGLE_ATTEMPT`, in `alert-channels-from-env.ts`): the
 * evaluator retries a failed channel, this read included, with its own backoff. A secret that
 * holds binary data (SecretBinary) is refused: every secret Lookout reads is text. Errors name
 * the secret (a name or ARN is not itself secret), never its value.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretReader } from '../../core/ports/alert-channels.js';

/** How long a value read is used before it is read again. */
export const SECRET_CACHE_MS = 5 * 60_000;

export class SecretsManagerSecretReader implements SecretReader {
  private readonly cache = new Map<string, { value: Promise<string>; readAtMs: number }>();
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: SecretsManagerClient,
    { cacheMs = SECRET_CACHE_MS, now = Date.now }: { cacheMs?: number; now?: () => number } = {},
  ) {
    this.cacheMs = cacheMs;
    this.now = now;
  }

  read(name: string): Promise<string> {
    const nowMs = this.now();
    const cached = this.cache.get(name);
    if (cached && nowMs - cached.readAtMs < this.cacheMs) return cached.value;
    const value = this.fetch(name);
    const entry = { value, readAtMs: nowMs };
    this.cache.set(name, entry);
    value.catch(() => {
      if (this.cache.get(name) === entry) this.cache.delete(name);
    });
    return value;
  }

  private async fetch(name: string): Promise<string> {
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await this.client.send(new GetSecretValueCommand({ SecretId: name })));
    } catch (error) {
      throw new SecretReadError(name, error);
    }
    if (secretString === undefined) throw new Error(`Secret ${name} holds no text (SecretString): Lookout's secrets are text`);
    return secretString;
  }
}

/**
 * A failed GetSecretValue, naming the secret (Secrets Manager's own message does not); the SDK's
 * error is the cause. A secret made without a value (the stack's Slack webhook secret, until
 * someone puts the URL) has no AWSCURRENT version, and the message says what to do.
 */
export class SecretReadError extends Error {
  override readonly name = 'SecretReadError';

  constructor(
    readonly secretName: string,
    cause: unknown,
  ) {
    const { name, message } = cause instanceof Error ? cause : { name: 'Error', message: String(cause) };
    const noValueYet = name === 'ResourceNotFoundException' && /staging label/i.test(message);
    super(
      `Secret ${secretName} could not be read: ${name}: ${message}` +
        (noValueYet ? ' (it has no value yet: aws secretsmanager put-secret-value --secret-id <it> --secret-string ...)' : ''),
      { cause },
    );
  }
}
