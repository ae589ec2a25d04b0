/**
 * A loopback stand-in for Slack's incoming webhooks (and for any webhook receiver: a rule's
 * signed webhook too), for the poster's tests, the end-to-end alert tests and `npm run demo`
 * (which prints each message it gets, `onReceived`). It records every
 * request (path, headers, body as text, the body parsed when it is JSON) and answers as Slack
 * does, `200 ok` in plain text, unless a test scripts the next answers: a status and body (Slack
 * explains a refusal in plain text, `400 invalid_payload`, `404 no_service`), a delay before
 * answering (a receiver that hangs), or both.
 *
 * `url()` gives a Slack-shaped webhook URL on it (`/services/T…/B…/<token>`), whose path is the
 * secret a test can check no error or log repeats. `stop()` drops open connections and pending
 * delayed answers, so a test that timed out a request still ends at once.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface ReceivedWebhook {
  method: string;
  /** The request target as it arrived (path and query). */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
}

/** How the receiver answers one request. */
export interface ScriptedAnswer {
  /** 200 when absent. */
  status?: number;
  /** Plain text; `ok` for a 2xx, the status's reason otherwise, when absent. */
  body?: string;
  /** Extra headers, e.g. `location` for a redirect. */
  headers?: Record<string, string>;
  /** Wait this long before sending the answer's head. */
  delayMs?: number;
}

export const SLACK_WEBHOOK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

export class SlackReceiver {
  /** Every request received, oldest first (recorded as its body has arrived, before the answer). */
  readonly received: ReceivedWebhook[] = [];
  private readonly script: ScriptedAnswer[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: Server) {}

  /** A receiver on a free loopback port, listening; `onReceived` is told of each request as it is recorded. */
  static async start(options: { onReceived?(webhook: ReceivedWebhook): void } = {}): Promise<SlackReceiver> {
    const server = createServer();
    const receiver = new SlackReceiver(server);
    server.on('request', async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const webhook = { method: request.method!, path: request.url!, headers: request.headers, body, json: parsedJson(body) };
      receiver.received.push(webhook);
      options.onReceived?.(webhook);
      const answer = receiver.script.shift() ?? {};
      const send = () => {
        const status = answer.status ?? 200;
        const text = answer.body ?? (status < 300 ? 'ok' : String(status));
        response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...answer.headers }).end(text);
      };
      if (!answer.delayMs) return send();
      const timer = setTimeout(() => {
        receiver.timers.delete(timer);
        send();
      }, answer.delayMs);
      receiver.timers.add(timer);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return receiver;
  }

  /** `http://127.0.0.1:<port>` and `path` (a Slack-shaped webhook path by default). */
  url(path: string = SLACK_WEBHOOK_PATH): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}${path}`;
  }

  /** Host and port, as an error naming the host says them. */
  get host(): string {
    return `127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** The next requests get these answers, in order; later ones the default `200 ok`. */
  answerNext(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  /** Forgets what was received and any scripted answers left. */
  reset(): void {
    this.received.length = 0;
    this.script.length = 0;
  }

  /** Stops listening, drops delayed answers and open connections. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }
}

function parsedJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
