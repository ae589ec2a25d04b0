/**
 * Sends `npm run demo`'s traffic (`demo-scenario.ts`) through the real gateway with the official
 * `openai` and `@anthropic-ai/sdk` clients, as an app would: one call started every
 * `1 / requestsPerSecond` seconds, whatever the ones before are doing, so the rate stays steady.
 * The rate is kept low (about 2.5 a second) because under the local stack the rollups aggregator
 * folds each request into 66 buckets on DynamoDB Local and keeps up with only a few a second.
 *
 * It counts what the clients saw (answered, from the cache, rate-limited, provider errors) and
 * reports them once a minute.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { providerSdkBasePath } from '../contract/provider-sdk-paths.js';
import { demoCallHeaders, DemoScenario, type DemoCall, type DemoKeyName } from './demo-scenario.js';

export interface DemoTrafficOptions {
  /** The stack's URL. */
  url: string;
  /** The gateway key of each of the demo's services. */
  keys: Readonly<Record<DemoKeyName, string>>;
  durationMs: number;
  requestsPerSecond: number;
  seed?: number;
  /**
   * Told every `reportEveryMs` (a minute) what the calls that ended in it saw, and at the end of the
   * calls since then (unless that is only a few seconds' stragglers, which count in the totals only).
   */
  onReport?(report: DemoTrafficReport): void;
  reportEveryMs?: number;
}

/** What the calls of one period saw, from the client's side. */
export interface DemoTrafficReport {
  /** Since the traffic started. */
  elapsedMs: number;
  /** Calls that ended in the period. */
  requests: number;
  answered: number;
  cacheHits: number;
  rateLimited: number;
  providerErrors: number;
  /** Other failures (a refused request, a connection error), with the first one's message. */
  otherFailures: number;
  firstFailure: string | null;
  /** Median latency of the answered calls, as the client measured it; null with none. */
  medianLatencyMs: number | null;
}

export interface DemoTraffic {
  /** Settles when the traffic has run its duration and every call has finished; gives the totals. */
  finished: Promise<DemoTrafficReport>;
  /** Stops starting calls and waits for the ones running. */
  stop(): Promise<void>;
}

/** The counts of a period as they are gathered. */
class TrafficTally {
  requests = 0;
  answered = 0;
  cacheHits = 0;
  rateLimited = 0;
  providerErrors = 0;
  otherFailures = 0;
  firstFailure: string | null = null;
  readonly latencies: number[] = [];

  add(other: TrafficTally): void {
    this.requests += other.requests;
    this.answered += other.answered;
    this.cacheHits += other.cacheHits;
    this.rateLimited += other.rateLimited;
    this.providerErrors += other.providerErrors;
    this.otherFailures += other.otherFailures;
    this.firstFailure ??= other.firstFailure;
    this.latencies.push(...other.latencies);
  }

  report(elapsedMs: number): DemoTrafficReport {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      elapsedMs,
      requests: this.requests,
      answered: this.answered,
      cacheHits: this.cacheHits,
      rateLimited: this.rateLimited,
      providerErrors: this.providerErrors,
      otherFailures: this.otherFailures,
      firstFailure: this.firstFailure,
      medianLatencyMs: sorted.length > 0 ? sorted[Math.floor((sorted.length - 1) / 2)]! : null,
    };
  }
}

type CallOutcome =
  | { kind: 'answered'; cacheHit: boolean }
  | { kind: 'rateLimited' }
  | { kind: 'providerError' }
  | { kind: 'failed'; message: string };

/** Starts the traffic; it runs `durationMs` and then finishes the calls still running. */
export function startDemoTraffic(options: DemoTrafficOptions): DemoTraffic {
  const clients = sdkClients(options.url, options.keys);
  const scenario = new DemoScenario(options.seed);
  const startedAt = Date.now();
  const total = new TrafficTally();
  let period = new TrafficTally();
  const running = new Set<Promise<void>>();

  let lastReportAt = startedAt;
  const flushPeriod = (report = true) => {
    total.add(period);
    if (report) options.onReport?.(period.report(Date.now() - startedAt));
    period = new TrafficTally();
    lastReportAt = Date.now();
  };

  const send = (call: DemoCall) => {
    const began = performance.now();
    const done = sendCall(clients, call).then((outcome) => {
      // Counted in the period the call ends in, so every call is in exactly one report.
      period.requests++;
      if (outcome.kind === 'answered') {
        period.answered++;
        if (outcome.cacheHit) period.cacheHits++;
        period.latencies.push(performance.now() - began);
      } else if (outcome.kind === 'rateLimited') period.rateLimited++;
      else if (outcome.kind === 'providerError') period.providerErrors++;
      else {
        period.otherFailures++;
        period.firstFailure ??= outcome.message;
      }
    });
    running.add(done);
    void done.finally(() => running.delete(done));
  };

  const callTimer = setInterval(() => send(scenario.next()), 1000 / options.requestsPerSecond);
  const reportEveryMs = options.reportEveryMs ?? 60_000;
  const reportTimer = setInterval(flushPeriod, reportEveryMs);
  let finish!: (report: DemoTrafficReport) => void;
  const finished = new Promise<DemoTrafficReport>((resolve) => (finish = resolve));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      clearInterval(callTimer);
      clearTimeout(endTimer);
      await Promise.allSettled([...running]);
      clearInterval(reportTimer);
      // The calls that ended since the last report: a report of their own unless they are a few stragglers.
      flushPeriod(period.requests > 0 && Date.now() - lastReportAt >= reportEveryMs / 6);
      finish(total.report(Date.now() - startedAt));
    })();
    return stopped;
  };
  const endTimer = setTimeout(() => void stop(), options.durationMs);
  return { finished, stop };
}

interface SdkClients {
  openai: Record<DemoKeyName, OpenAI>;
  anthropic: Record<DemoKeyName, Anthropic>;
}

/**
 * One client of each SDK per service key, aimed at the gateway as the README shows. The provider
 * keys are placeholders: the mock provider checks none. No retries, so each call is one request.
 */
function sdkClients(url: string, keys: Readonly<Record<DemoKeyName, string>>): SdkClients {
  const names = Object.keys(keys) as DemoKeyName[];
  const lookoutAuth = (name: DemoKeyName) => ({ 'Lookout-Auth': `Bearer ${keys[name]}` });
  return {
    openai: Object.fromEntries(
      names.map((name) => [
        name,
        new OpenAI({
          apiKey: 'sk-demo-no-real-key',
          baseURL: `${url}${providerSdkBasePath('openai')}`,
          defaultHeaders: lookoutAuth(name),
          maxRetries: 0,
        }),
      ]),
    ) as Record<DemoKeyName, OpenAI>,
    anthropic: Object.fromEntries(
      names.map((name) => [
        name,
        new Anthropic({
          apiKey: 'sk-ant-demo-no-real-key',
          baseURL: `${url}${providerSdkBasePath('anthropic')}`,
          defaultHeaders: lookoutAuth(name),
          maxRetries: 0,
        }),
      ]),
    ) as Record<DemoKeyName, Anthropic>,
  };
}

async function sendCall(clients: SdkClients, call: DemoCall): Promise<CallOutcome> {
  const headers = demoCallHeaders(call);
  try {
    const response = await callThroughSdk(clients, call, headers);
    return { kind: 'answered', cacheHit: response.headers.get('lookout-cache') === 'HIT' };
  } catch (error) {
    const status = error instanceof OpenAI.APIError || error instanceof Anthropic.APIError ? error.status : undefined;
    if (status === 429) return { kind: 'rateLimited' };
    if (status !== undefined && status >= 500) return { kind: 'providerError' };
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/** Makes the call with its SDK, reading a stream to its end; gives the HTTP response. */
async function callThroughSdk(clients: SdkClients, call: DemoCall, headers: Record<string, string>): Promise<Response> {
  const messages = [{ role: 'user' as const, content: call.input }];
  switch (call.api) {
    case 'openai-chat': {
      const openai = clients.openai[call.key];
      if (call.stream) {
        const { data, response } = await openai.chat.completions
          .create({ model: call.model, messages, max_completion_tokens: call.maxTokens, stream: true }, { headers })
          .withResponse();
        for await (const _chunk of data);
        return response;
      }
      return (
        await openai.chat.completions
          .create({ model: call.model, messages, max_completion_tokens: call.maxTokens }, { headers })
          .withResponse()
      ).response;
    }
    case 'openai-embeddings':
      return (await clients.openai[call.key].embeddings.create({ model: call.model, input: call.input }, { headers }).withResponse())
        .response;
    case 'anthropic-messages': {
      const anthropic = clients.anthropic[call.key];
      if (call.stream) {
        const { data, response } = await anthropic.messages
          .create({ model: call.model, max_tokens: call.maxTokens, messages, stream: true }, { headers })
          .withResponse();
        for await (const _event of data);
        return response;
      }
      return (await anthropic.messages.create({ model: call.model, max_tokens: call.maxTokens, messages }, { headers }).withResponse())
        .response;
    }
  }
}
