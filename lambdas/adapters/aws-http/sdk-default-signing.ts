import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDbSigning } from '../dynamodb/dynamodb-json-client.js';

/**
 * The region and credentials the AWS SDK would use on this machine: its default chain, so
 * profiles, SSO sessions and `~/.aws/config` work as they do for the AWS CLI. For commands an
 * operator runs (`npm run logs:replay` against a deployment); a Lambda signs with what its
 * environment holds and never loads this, so the SDK stays out of the gateway's bundle.
 */
export async function sdkDefaultSigning(): Promise<DynamoDbSigning> {
  const sdk = new DynamoDBClient({});
  const region = await sdk.config.region();
  return {
    region,
    credentials: async () => {
      const { accessKeyId, secretAccessKey, sessionToken } = await sdk.config.credentials();
      return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
    },
  };
}
