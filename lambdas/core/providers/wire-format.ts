import type { ProviderSdk } from '../../contract/provider-sdk-paths.js';
import type { StreamUsageReader } from '../usage/stream-usage-reader.js';
import type { TokenUsage } from '../usage/token-usage.js';
import type { UsageTap } from '../usage/usage-tap.js';

/**
 * One provider wire format: how its requests are recognised, what Lookout changes in them, and
 * where its answers carry usage. Each lives in a folder of its own beside `registry.ts`, which
 * lists them.
 */
export interface WireFormat {
  /** The SDK made for this format; `providerSdkBasePath` (contract) says where its base URL ends. */
  sdk: ProviderSdk;
  /**
   * The path that SDK appends to its base URL. A request whose path ends with it is in this
   * format, behind any prefix: compatible providers serve the same path ends under their own.
   */
  endpointPath: string;
  /** Changes the body before it goes upstream; absent when it goes as the client wrote it. */
  prepareRequest?(body: unknown): PreparedUpstreamRequest;
  /** Token usage from the top-level `usage` member of a JSON answer. */
  readBufferedUsage(usage: unknown): TokenUsage | null;
  /** How an event stream of this format is read; absent when it does not stream (passed on unread). */
  stream?: StreamedAnswerReading;
}

/** How a wire format's event streams are read. */
export interface StreamedAnswerReading {
  /** A reader for one stream: it keeps what that stream reported so far. */
  createReader(): StreamUsageReader;
  /**
   * The tap for a stream whose usage `prepareRequest` asked for: it reads the usage and takes
   * out what the client did not ask for. Needed only by a format whose preparation injects it.
   */
  createInjectedUsageStrippingTap?(maxEventBytes: number): UsageTap;
}

/** The body to send upstream, and whether Lookout asked for usage the client did not ask for. */
export interface PreparedUpstreamRequest {
  body: unknown;
  /** When true the usage tap must strip the usage the client did not ask for from the stream. */
  injectedIncludeUsage: boolean;
}
