import { loadLookoutConfig, runtimeConfigFrom } from '../../lib/config.js';
import { localDataDir } from './local-data-dir.js';
import { startLocalStack } from './local-stack.js';

/** `npm start`: the whole Lookout stack on this machine, until Ctrl-C or SIGTERM. */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const dataDir = localDataDir();
  const config = runtimeConfigFrom(await loadLookoutConfig());
  const stack = await startLocalStack({
    port,
    dataDir,
    config,
    devKey: process.env.LOOKOUT_DEV_KEY || undefined,
    log: (message) => console.error(message),
  });

  console.log(`Lookout is running at ${stack.url}  (data in ${dataDir})

  OpenAI SDK     baseURL: ${stack.url}/openai/v1
  Anthropic SDK  baseURL: ${stack.url}/anthropic
  Other APIs     baseURL: ${stack.url}/gateway  with header Lookout-Target-URL: <allowlisted origin>
  Query API:              ${stack.url}/v1/requests

  Dev key (app and admin): ${stack.devKey}
  Send it as the header    Lookout-Auth: Bearer ${stack.devKey}
`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Lookout...`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
