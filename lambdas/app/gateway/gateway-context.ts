import type { Readable } from 'node:stream';
import type { CacheLookup } from '../../core/cache/cache-lookup.js';
import type { MonitoringHeaders } from '../../core/headers/monitoring-headers.js';
import type { HttpRequest } from '../../core/http/http-request.js';
import type { UpstreamResponse } from '../../core/ports/upstream.js';
import type { EndpointKind } from '../../core/providers/registry.js';
import type { FinishedRequest } from '../../core/request-log/build-request-log-record.js';
import type { RequestLogRecord } from '../../core/request-log/request-log-record.js';
import type { GatewayRoute } from '../../core/routing/gateway-route.js';
import type { Step } from './compose-steps.js';

/** What the streaming handler returns: middy writes the prelude and pipes `body`. */
export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Readable;
}

/**
 * How an answer ended, as the request log (and a step that settles a quota or fills a cache)
 * needs it: status, outcome, usage read from the stream, timings, and the stored copy of the body.
 */
export type FinishedAnswer = Pick<
  FinishedRequest,
  'status' | 'outcome' | 'errorCode' | 'stream' | 'endedAtMs' | 'firstByteAtMs' | 'usage' | 'reportedModel' | 'responseBodyTruncated'
> & {
  /** The bytes the client got, up to `maxBodyBytes` (`responseBodyTruncated` says when cut). */
  responseBytes: Buffer;
};

/** A request's log record without its bodies, as log-request builds it. */
export type LoggedRecord = Omit<RequestLogRecord, 'requestBody' | 'responseBody'>;

/** The upstream's answer as forward hands it to the relay, with what the usage tap must know of the request. */
export interface ForwardedRequest {
  response: UpstreamResponse;
  endpointKind: EndpointKind;
  /** Lookout asked for usage the client did not (`stream_options.include_usage`); the tap strips it. */
  injectedIncludeUsage: boolean;
  /** Stops the upstream request, for a client that went away. */
  abort: AbortController;
}

/**
 * One gateway request on its way through the steps. Each field is set by the step named on it
 * and read by later ones (through `required`, which names a field that a misordered pipeline
 * left unset). The answer is set once, by `answer`: the relay, the error mapping, or a step that
 * answers without forwarding (a cache hit).
 */
export class GatewayContext {
  /** resolve-route: where the request goes. */
  route: GatewayRoute | undefined;
  /** read-monitoring-headers: the Lookout / Helicone headers, validated. */
  monitoring: MonitoringHeaders | undefined;
  /** authenticate: the name of the gateway key; set means authenticated, and so logged. */
  keyName: string | undefined;
  /** authenticate: the SHA-256 of the gateway key, the default cache scope. */
  keyHash: string | undefined;
  /** read-body: the client's JSON body, when it sent one. */
  json: unknown;
  /** resolve-upstream-url: where forward sends the request. */
  upstreamUrl: URL | undefined;
  /** resolve-upstream-url: the target is no configured provider, so it must not be private. */
  refusePrivateAddresses = false;
  /** enforce-quotas: the quota (by name) or policy that refused the request. */
  rateLimitedBy: string | undefined;
  /** answer-from-cache: what the response cache did, for a request that asked for it. */
  cacheLookup: CacheLookup | undefined;
  /** forward: the upstream's answer, its body still streaming. */
  forwarded: ForwardedRequest | undefined;
  /** The answer the handler returns. */
  response: GatewayResponse | undefined;
  /**
   * Settles once the answer is over: the client has the last byte, went away, or the upstream
   * failed mid-body. A step that wraps the answering one reads usage and outcome here.
   */
  finished: Promise<FinishedAnswer> | undefined;
  /**
   * log-request: the request's log record once it is built (null when it could not be), for a
   * step that settles by what was logged (the quotas settle the logged cost).
   */
  readonly loggedRecord: Promise<LoggedRecord | null>;
  private resolveLoggedRecord!: (record: LoggedRecord | null) => void;
  private readonly afterResponse: Promise<unknown>[] = [];

  constructor(
    readonly request: HttpRequest,
    readonly startedAtMs: number,
    /** The id every answer carries as `Lookout-Id`; read-monitoring-headers may take the client's. */
    public id: string,
  ) {
    this.loggedRecord = new Promise((resolve) => {
      this.resolveLoggedRecord = resolve;
    });
  }

  /** Called once by log-request, as soon as the record is built (before it is stored). */
  recordBuilt(record: LoggedRecord | null): void {
    this.resolveLoggedRecord(record);
  }

  /** Sets the answer and the promise of how it ended. */
  answer(response: GatewayResponse, finished: Promise<FinishedAnswer>): void {
    this.response = response;
    this.finished = finished;
  }

  /** Keeps the invocation alive until `work` settles; for work that follows the last byte (the log). */
  waitUntil(work: Promise<unknown>): void {
    this.afterResponse.push(work);
  }

  /** Settles when the answer is over and all `waitUntil` work is done. */
  async allDone(): Promise<void> {
    // All at once, so a rejection in any of them has a handler from the start.
    await Promise.all([this.finished, ...this.afterResponse]);
  }
}

/** A step of the gateway pipeline. */
export type GatewayStep = Step<GatewayContext>;

/** `value`, which an earlier step must have set; throws naming `field` when the pipeline is misordered. */
export function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`GatewayContext.${field} is not set: the step that sets it must come earlier in the pipeline`);
  return value;
}
