/** How a client retries its calls: an AWS SDK client, or the lean DynamoDB client (`dynamodb/dynamodb-json-client.ts`). */
export interface SdkRetryOptions {
  /**
   * Attempts per call, the first included; the SDK's default (3) when absent. A client whose
   * caller retries with its own backoff (the request log's writes) makes 1, so that the two
   * layers do not multiply into attempts nobody decided on.
   */
  maxAttempts?: number;
}

/** For clients of writes the request-log recorder retries itself. */
export const SINGLE_ATTEMPT: SdkRetryOptions = { maxAttempts: 1 };

/**
 * For calls on the request path that nothing else retries (the gateway's key lookups): the SDK's
 * default of three attempts, a short jittered pause between them.
 */
export const QUICK_RETRIES: SdkRetryOptions = { maxAttempts: 3 };
