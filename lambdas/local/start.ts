import { EnvironmentVariable } from '../contract/environment-variables.js';
import { runtimeConfigFrom } from '../contract/lookout-config.js';
import { loadLookoutConfig } from '../contract/lookout-config-file.js';
import { providerSdkBasePath } from '../contract/provider-sdk-paths.js';
import { parseRuntimeConfig } from '../core/runtime-config.js';
import { deadLetterNotice } from './dead-letter-notice.js';
import { localDataDir } from './local-data-dir.js';
import { startLocalStack, type LocalStack } from './local-stack.js';

/** `npm start`: the whole Lookout stack on this machine, until Ctrl-C or SIGTERM. */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const maxPendingLogWrites = positiveWholeNumber('LOOKOUT_MAX_PENDING_LOG_WRITES');
  const dataDir = localDataDir();
  const redisUrl = process.env[EnvironmentVariable.redisUrl] || undefined;
  // The LOOKOUT_<NAME>_BASE_URL overrides of this environment, applied (and checked) now, before
  // Java starts, so a typo fails at once and the Lambdas get the upstreams in their config.
  const config = parseRuntimeConfig({
    ...process.env,
    [EnvironmentVariable.runtimeConfig]: JSON.stringify(runtimeConfigFrom(await loadLookoutConfig())),
  });
  const stack = await startLocalStack({
    port,
    dataDir,
    config,
    devKey: process.env.LOOKOUT_DEV_KEY || undefined,
    maxPendingLogWrites,
    redisUrl,
    alerting: {
      intervalSeconds: positiveWholeNumber(EnvironmentVariable.alertIntervalSeconds),
      sesEndpoint: process.env[EnvironmentVariable.sesEndpoint] || undefined,
      snsEndpoint: process.env[EnvironmentVariable.snsEndpoint] || undefined,
      slackWebhookUrl: process.env[EnvironmentVariable.slackWebhookUrl] || undefined,
      emailFrom: process.env[EnvironmentVariable.alertEmailFrom] || undefined,
      webhookSigningKey: process.env[EnvironmentVariable.webhookSigningSecret] || undefined,
    },
    publicUrl: process.env[EnvironmentVariable.publicUrl] || undefined,
    log: (message) => console.error(message),
  });

  // Notices go out in the same write as the banner, so whoever sees the banner sees them too.
  const notices = [...stack.notices, await deadLetterNotice(process.env)].filter((notice) => notice !== undefined);
  console.log(`Lookout is running at ${stack.url}  (data in ${dataDir})

  OpenAI SDK     baseURL: ${stack.url}${providerSdkBasePath('openai')}
  Anthropic SDK  baseURL: ${stack.url}${providerSdkBasePath('anthropic')}
  Other APIs     baseURL: ${stack.url}/gateway  with header Lookout-Target-URL: <allowlisted origin>
  Query API:              ${stack.url}/v1/requests, /v1/metrics, /v1/alerts
  Dashboard:              ${stack.url}/dashboard  (sign in with the dev key below)
  Alert e-mails:          ${stack.emailStoreUrl ?? `sent through ${process.env[EnvironmentVariable.sesEndpoint]}`}
  Alerts to SNS:          ${stack.snsRecordedOnly ? "recorded in each rule's history (no SNS here; LOOKOUT_SNS_ENDPOINT sends them)" : `published at ${process.env[EnvironmentVariable.snsEndpoint]}`}
  Response cache:         ${redisUrl ? `Redis at ${redactedUrl(redisUrl)}` : 'DynamoDB Local (set LOOKOUT_REDIS_URL for Redis)'}

${upstreamLines(stack.providers)}

  Dev key (app and admin): ${stack.devKey}
  Send it as the header    Lookout-Auth: Bearer ${stack.devKey}
${notices.length > 0 ? `\n${notices.join('\n')}\n` : ''}`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Lookout...`);
    try {
      await stack.stop();
      const leftOver = await deadLetterNotice(process.env, true);
      if (leftOver) console.log(leftOver);
      process.exit(0);
    } catch (error) {
      console.error(`Lookout did not stop cleanly: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** An optional whole-number setting from the environment; a bad value stops the start with one line. */
function positiveWholeNumber(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of 1 or more, got "${text}"`);
  return value;
}

/** Where each provider route really goes, so an unset or mistyped LOOKOUT_<PROVIDER>_BASE_URL shows. */
function upstreamLines(providers: LocalStack['providers']): string {
  const width = Math.max(...Object.keys(providers).map((name) => name.length));
  return Object.entries(providers)
    .map(([name, { baseUrl }], index) => `  ${index === 0 ? 'Upstreams:' : ''.padEnd(10)}     ${name.padEnd(width)} -> ${baseUrl}`)
    .join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/** A URL without its password, for the banner. */
function redactedUrl(value: string): string {
  if (!URL.canParse(value)) return value;
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.href;
}
