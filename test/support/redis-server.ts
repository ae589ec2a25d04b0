/**
 * Debian's `redis-server` as a child process for the tests of the Redis backend: on a free
 * loopback port, with no persistence (`--save '' --appendonly no`), in its own directory. Ready
 * means it answers PING (polled, never a fixed sleep). `stop()` and `restart()` keep the port, so
 * a client made before the stop can reconnect to the server started after it.
 *
 * `cluster: true` starts it in cluster mode as a one-node cluster that owns every hash slot, the
 * way ElastiCache Serverless presents itself: a multi-key command whose keys fall in different
 * slots fails there with CROSSSLOT, as it would in AWS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../../lambdas/local/free-port.js';
import { STDIN_WATCHDOG_SCRIPT } from '../../lambdas/local/stdin-watchdog.js';

/** Longest wait for a started server to answer PING (and, in cluster mode, to report the cluster ok). */
const READY_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 20;

export class RedisServer {
  private process: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly port: number,
    private readonly directory: string,
    private readonly cluster: boolean,
  ) {}

  /** A server on a free port, started and answering. */
  static async start({ cluster = false }: { cluster?: boolean } = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'lookout-redis-')), cluster);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server on its port again (after `stop()`), and waits until it answers. */
  async restart(): Promise<void> {
    if (this.process) throw new Error(`redis-server on port ${this.port} is already running`);
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.directory, '--save', '', '--appendonly', 'no'];
    // A lone node announces no address of its own in CLUSTER SLOTS (its host is ""), and the
    // client then finds no node to send to: it must name the address it is reached at.
    if (this.cluster) args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-announce-ip', '127.0.0.1');
    const child = spawn('/bin/sh', ['-c', STDIN_WATCHDOG_SCRIPT, 'redis-server', 'redis-server', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.process = child;
    this.output = '';
    const remember = (data: Buffer) => {
      this.output = (this.output + data.toString()).slice(-4_000);
    };
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    child.once('exit', () => {
      if (this.process === child) this.process = undefined;
    });
    await this.waitUntil(async () => (await this.command('PING')).startsWith('+PONG'), 'answers PING');
    if (this.cluster) {
      // A restarted cluster node keeps its slots in nodes.conf; only a new one takes them all.
      if (!(await this.clusterIsOk())) await this.command('CLUSTER ADDSLOTSRANGE 0 16383');
      await this.waitUntil(() => this.clusterIsOk(), 'reports cluster_state:ok');
    }
  }

  /** Stops the server and waits for it to exit; its port stays this server's for `restart()`. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    const exited = once(child, 'exit');
    child.stdin?.end();
    await exited;
  }

  /** Stops the server and removes its directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async clusterIsOk(): Promise<boolean> {
    return (await this.command('CLUSTER INFO')).includes('cluster_state:ok');
  }

  private async waitUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (!this.process) throw new Error(`redis-server on port ${this.port} exited before it ${what}:\n${this.output}`);
      if (await condition().catch(() => false)) return;
      if (Date.now() > deadline)
        throw new Error(`redis-server on port ${this.port} never ${what} within ${READY_TIMEOUT_MS} ms:\n${this.output}`);
      await delay(POLL_INTERVAL_MS);
    }
  }

  /** The raw reply to one inline command: sent with QUIT after it, so the server closes the connection once it has answered. */
  private command(inline: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
      socket.write(`${inline}\r\nQUIT\r\n`);
    });
  }
}
