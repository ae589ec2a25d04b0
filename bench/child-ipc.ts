/**
 * The bench runs the gateway and the mock provider in processes of their own, so that the
 * gateway's memory is measured without the client's or the mock's. This is the small
 * request/reply protocol over Node's IPC channel between the bench and those processes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** How an EMF line (CloudWatch's embedded metric format) begins, as Powertools writes it. */
const EMF_LINE_START = '{"_aws":';

type Operation = (args: any) => unknown;

interface CallMessage {
  callId: number;
  op: string;
  args: unknown;
}
interface ReplyMessage {
  callId: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}
interface ReadyMessage {
  ready: unknown;
}

/**
 * In a bench child: answers the bench's calls with `operations`, tells it `ready`, and runs
 * `onParentGone` when the bench goes away (so a crashed bench leaves no Java behind).
 */
export function serveBench(ready: unknown, operations: Record<string, Operation>, onParentGone: () => Promise<void>): void {
  process.on('message', (message: CallMessage) => {
    void (async () => {
      const reply: ReplyMessage = { callId: message.callId, ok: true };
      try {
        const operation = operations[message.op];
        if (!operation) throw new Error(`unknown operation ${message.op}`);
        reply.result = await operation(message.args);
      } catch (error) {
        reply.ok = false;
        reply.error = (error as Error)?.stack ?? String(error);
      }
      process.send?.(reply);
    })();
  });
  process.once('disconnect', () => {
    void onParentGone().finally(() => process.exit(0));
  });
  process.send?.({ ready } satisfies ReadyMessage);
}

/** A bench child seen from the bench: start it, call its operations, stop it. */
export class BenchChild<Ready> {
  private nextCallId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: Ready,
    /** The child's stdout and stderr lines (the gateway's structured logs among them). */
    readonly outputLines: readonly string[],
  ) {
    child.on('message', (message: ReplyMessage) => {
      const call = this.pending.get(message.callId);
      if (!call) return;
      this.pending.delete(message.callId);
      if (message.ok) call.resolve(message.result);
      else call.reject(new Error(message.error));
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Forks `script` (a path relative to this folder) and waits for its `ready`. A bench script
   * (.ts) runs under tsx with `--expose-gc`; with `plainNode` the script runs as it is, with only
   * `execArgv` (Portkey's build, with its preload).
   */
  static async start<Ready>(
    script: string,
    options: { env?: Record<string, string>; startTimeoutMs: number; execArgv?: string[]; args?: string[]; plainNode?: boolean },
  ): Promise<BenchChild<Ready>> {
    const { env = {}, startTimeoutMs, execArgv = [], args = [], plainNode = false } = options;
    const child = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
      execArgv: plainNode ? execArgv : ['--import', 'tsx', '--expose-gc', ...execArgv],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const lines: string[] = [];
    for (const stream of [child.stdout!, child.stderr!]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => {
        const parts = (partial + text).split('\n');
        partial = parts.pop()!;
        // The gateway's CloudWatch EMF line per request is not a log line, and would hold 1 KB per request here.
        lines.push(...parts.filter((line) => line !== '' && !line.startsWith(EMF_LINE_START)));
      });
    }
    const ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${script} was not ready within ${startTimeoutMs} ms:\n${lines.slice(-20).join('\n')}`)),
        startTimeoutMs,
      );
      child.on('message', (message: Partial<ReadyMessage>) => {
        if ('ready' in message) {
          clearTimeout(timer);
          resolve(message.ready as Ready);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code}) before it was ready:\n${lines.slice(-20).join('\n')}`));
      });
    }).catch((error) => {
      // A child that never became ready is not left running.
      child.kill('SIGKILL');
      throw error;
    });
    return new BenchChild<Ready>(child, ready, lines);
  }

  call<T>(op: string, args: unknown = {}): Promise<T> {
    const callId = this.nextCallId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(callId, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ callId, op, args } satisfies CallMessage);
    });
  }

  /** Asks the child to shut down cleanly (it stops its own children), killing it only if it hangs. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
