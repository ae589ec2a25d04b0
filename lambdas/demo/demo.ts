/**
 * `npm run demo`: Lookout with nothing to set up and no provider key. A mock provider on loopback,
 * the whole local stack aimed at it, the guide's alerts with their Slack messages printed here, and
 * a few minutes of realistic traffic through the official SDKs; then it keeps serving until Ctrl-C
 * or SIGTERM. Never used by `npm start`.
 *
 *   npm run demo                    5 minutes of traffic on http://127.0.0.1:8787
 *   npm run demo -- --minutes 2     (or LOOKOUT_DEMO_MINUTES=2)
 *   PORT=9000 LOOKOUT_DEMO_DIR=/tmp/lookout-demo npm run demo
 */
import { DEFAULT_DEMO_DIR, DEFAULT_DEMO_PORT, runDemo } from './run-demo.js';

const DEFAULT_MINUTES = 5;

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? DEFAULT_DEMO_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const demo = await runDemo({
    port,
    dataDir: process.env.LOOKOUT_DEMO_DIR || DEFAULT_DEMO_DIR,
    minutes: demoMinutes(process.argv.slice(2), process.env.LOOKOUT_DEMO_MINUTES),
    print: (text) => console.log(text),
    log: (message) => console.error(message),
  });
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the demo...`);
    try {
      await demo.stop();
      process.exit(0);
    } catch (error) {
      console.error(`The demo did not stop cleanly: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** `--minutes N` (or `--minutes=N`), else LOOKOUT_DEMO_MINUTES, else 5; any positive number. */
function demoMinutes(args: readonly string[], fromEnv: string | undefined): number {
  const index = args.findIndex((arg) => arg === '--minutes' || arg.startsWith('--minutes='));
  const text = index < 0 ? fromEnv : args[index]!.includes('=') ? args[index]!.split('=')[1] : args[index + 1];
  if (text === undefined || text === '') return DEFAULT_MINUTES;
  const minutes = Number(text);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`--minutes must be a number of minutes above 0, got "${text}"`);
  return minutes;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
