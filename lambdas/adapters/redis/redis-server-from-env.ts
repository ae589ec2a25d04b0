import { EnvironmentVariable } from '../../contract/environment-variables.js';

/**
 * The Redis / Valkey server an environment names, which the response cache and the quota
 * counters share: `LOOKOUT_REDIS_URL`, in cluster mode when `LOOKOUT_REDIS_CLUSTER` is `true`
 * (as for ElastiCache Serverless); undefined without a URL. No iovalkey here: a gateway on
 * DynamoDB reads its environment without loading it.
 */
export function redisServerFromEnv(env: Readonly<Record<string, string | undefined>>): { url: string; cluster: boolean } | undefined {
  const url = env[EnvironmentVariable.redisUrl];
  if (!url) return undefined;
  return { url, cluster: redisClusterFromEnv(env) };
}

function redisClusterFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env[EnvironmentVariable.redisCluster];
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(`${EnvironmentVariable.redisCluster} must be true or false, not ${JSON.stringify(value)}`);
}
