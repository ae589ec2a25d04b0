/** The keys a request is signed with; `sessionToken` is set for temporary credentials (Lambda's are). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where the signer gets its credentials, asked once per request. */
export type AwsCredentialsSource = () => Promise<AwsCredentials>;

/**
 * The credentials Lambda puts in the function's environment (the execution role's). Read at each
 * call, which costs three property reads: Lambda does not rotate them within a sandbox, and
 * reading them fresh means nothing here can go stale if it ever did. Outside Lambda (a CLI on a
 * laptop) they are only there when exported, e.g. with `aws configure export-credentials --format env`.
 */
export function environmentCredentials(env: Readonly<Record<string, string | undefined>>): AwsCredentialsSource {
  return async () => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new Error(
        'no AWS credentials in the environment: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), ' +
          'as Lambda does, e.g. with `eval "$(aws configure export-credentials --format env)"`',
      );
    }
    const sessionToken = env.AWS_SESSION_TOKEN;
    return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
  };
}

/** Fixed credentials, for the local emulators, which accept any. */
export function fixedCredentials(credentials: AwsCredentials): AwsCredentialsSource {
  return async () => credentials;
}
