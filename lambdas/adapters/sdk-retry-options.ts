/** How the AWS SDK retries one client's calls. */
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
