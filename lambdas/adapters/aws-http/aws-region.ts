/** The region a signed request is for, as Lambda (or an exported shell) names it in the environment. */
export function regionFromEnv(env: Readonly<Record<string, string | undefined>>, client: string): string {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error(`AWS_REGION is not set: the ${client} needs the region it signs for (Lambda sets it)`);
  return region;
}

/** The public host of `service` in `region` (`dynamodb.eu-west-1.amazonaws.com`); the China partition has its own domain. */
export function awsServiceHost(service: string, region: string): string {
  return `${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}
