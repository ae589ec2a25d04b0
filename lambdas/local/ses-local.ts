/**
 * `aws-ses-v2-local` (the npm package, the SES emulator of DESIGN.md) as a child process: where
 * `npm start` sends alert e-mails when no `LOOKOUT_SES_ENDPOINT` is given, and what the tests read
 * them back from. On a free loopback port, started under the stdin watchdog so it never outlives
 * the process that started it. It serves SES v1 and v2 SendEmail
 * and keeps what was sent in memory, read back with `GET /store`. Ready means it answers
 * `GET /health-check` (polled, never a fixed sleep; it takes a second or two to load).
 *
 * It checks only that a request carries an `AWS…` Authorization header, not the signature: point
 * a client at `endpoint` with any credentials (the adapters use `local` / `local`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from './free-port.js';
import { STDIN_WATCHDOG_SCRIPT } from './stdin-watchdog.js';

/** Longest wait for the started server to answer its health check. */
const READY_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 50;

/** An e-mail as `GET /store` lists it (the fields the emulator fills for a v2 Simple SendEmail). */
export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** When it was sent, in epoch seconds. */
  at: number;
}

export class SesLocal {
  private output = '';

  private constructor(
    readonly port: number,
    private readonly process: ChildProcess,
  ) {}

  /** The emulator on a free port, started and answering. */
  static async start(): Promise<SesLocal> {
    const port = await freePort();
    const cli = createRequire(import.meta.url).resolve('aws-ses-v2-local/dist/cli.js');
    // SMTP_TRANSPORT would make it forward every e-mail to a real SMTP server.
    const { SMTP_TRANSPORT: _, ...env } = process.env;
    const child = spawn(
      '/bin/sh',
      ['-c', STDIN_WATCHDOG_SCRIPT, 'aws-ses-v2-local', process.execPath, cli, '--host', '127.0.0.1', '--port', String(port)],
      { stdio: ['pipe', 'pipe', 'pipe'], env },
    );
    const server = new SesLocal(port, child);
    const remember = (data: Buffer) => {
      server.output = (server.output + data.toString()).slice(-4_000);
    };
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    try {
      await server.waitUntilReady();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** What an SES client's `endpoint` (or `LOOKOUT_SES_ENDPOINT`) is set to. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every e-mail sent since the start (or the last `clear()`), oldest first. */
  async emails(): Promise<StoredEmail[]> {
    const response = await fetch(`${this.endpoint}/store`);
    if (!response.ok) throw new Error(`aws-ses-v2-local answered GET /store with ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { emails: StoredEmail[] }).emails;
  }

  /** Forgets every e-mail sent so far. */
  async clear(): Promise<void> {
    const response = await fetch(`${this.endpoint}/clear-store`, { method: 'POST' });
    if (!response.ok) throw new Error(`aws-ses-v2-local answered POST /clear-store with ${response.status}`);
    await response.arrayBuffer();
  }

  /** Stops the emulator and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = once(this.process, 'exit');
    this.process.stdin?.end();
    await exited;
  }

  private async answersHealthCheck(): Promise<boolean> {
    try {
      const response = await fetch(`${this.endpoint}/health-check`);
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (this.process.exitCode !== null) throw new Error(`aws-ses-v2-local exited before it answered:\n${this.output}`);
      if (await this.answersHealthCheck()) return;
      if (Date.now() > deadline)
        throw new Error(`aws-ses-v2-local on port ${this.port} did not answer within ${READY_TIMEOUT_MS} ms:\n${this.output}`);
      await delay(POLL_INTERVAL_MS);
    }
  }
}
