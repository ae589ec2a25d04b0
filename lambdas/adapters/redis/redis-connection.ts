import { Cluster, Redis, type RedisOptions } from 'iovalkey';

/**
 * The connection to Redis / Valkey (ElastiCache Serverless for Valkey in AWS, Debian's
 * `redis-server` in tests) that the adapters on it share, through `iovalkey`: a standalone
 * `Redis` or, in cluster mode, a `Cluster`. One per server per process: the response cache and
 * the quota counters of one gateway are two users of one client (`redisConnectionFromUrl`), not
 * two sets of sockets, TLS handshakes and reconnect loops.
 *
 * Its users sit on the request path, so the client is set up never to hold a request:
 * - while it is not connected, a command fails at once (`enableOfflineQueue: false`) instead of
 *   waiting in a queue for a connection that may never come;
 * - a command in flight when the connection drops fails with it (`maxRetriesPerRequest: 0`; in
 *   cluster mode no failover or CLUSTERDOWN retry either): the caller decides what a failure
 *   costs, and retrying is its business, not the client's;
 * - a connection that stops answering is destroyed after `SOCKET_TIMEOUT_MS` with commands
 *   pending, rather than left to TCP, which would take minutes to notice;
 * - it reconnects in the background, with a capped backoff (`reconnectDelayMs`).
 * The one wait it allows is for the first connection, made as the client is built (`ready()`): a
 * Lambda's first request comes a few milliseconds after its cold start, and failing it for a
 * connection that is about to be ready would fail every cold start. The callers' own bounds
 * (`cacheTimeoutMs`, `quotaTimeoutMs`) still cap that wait.
 *
 * Failures reach the users only as rejected promises: the client's 'error' events have a
 * listener (an unhandled one would be printed, or thrown), and nothing here logs per request.
 */

/** Where the server is and how to reach it: what a `redis://` or `rediss://` URL says. */
export interface RedisEndpoint {
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** TLS (`rediss://`): ElastiCache Serverless accepts nothing else. */
  tls: boolean;
  /** Cluster mode: ElastiCache Serverless always is. */
  cluster: boolean;
}

/** One user's hold on the shared client. */
export interface RedisConnection {
  readonly client: Redis | Cluster;
  /** Waits for the first connection while it is being made (rejecting if it failed); resolves at once after it. */
  ready(): Promise<void>;
  /** Lets go of this hold; the last one to let go closes the client, after the commands already sent. */
  close(): Promise<void>;
}

/** Above a healthy server's worst answer by far, even to a 1 MiB SET: only a dead connection takes this long. */
const SOCKET_TIMEOUT_MS = 2_000;
/** A connection attempt that gets no answer (a dropped SYN) gives up after this and the backoff tries again. */
const CONNECT_TIMEOUT_MS = 1_000;
const RECONNECT_FIRST_DELAY_MS = 50;
const RECONNECT_MAX_DELAY_MS = 2_000;

/**
 * The wait before reconnect attempt `attempt` (1, 2, ...): 50 ms, doubling up to 2 s, each
 * jittered to between half and all of it, so that the many Lambda instances that lost one
 * server together do not all come back in the same millisecond.
 */
function reconnectDelayMs(attempt: number): number {
  const delay = Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_FIRST_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(delay / 2 + (Math.random() * delay) / 2);
}

/** A client and the users holding it. */
class SharedClient {
  readonly client: Redis | Cluster;
  holders = 0;
  /** Settles when the first connection is ready or has failed; undefined from then on. */
  private firstConnection: Promise<void> | undefined;
  private lastError: Error | undefined;

  /** Connects to `endpoint` at once, in the background. */
  constructor(endpoint: RedisEndpoint) {
    this.client = endpoint.cluster ? clusterClient(endpoint) : standaloneClient(endpoint);
    this.client.on('error', (error: Error) => {
      this.lastError = error;
    });
    const where = `${endpoint.host}:${endpoint.port}`;
    const firstConnection = new Promise<void>((resolve, reject) => {
      this.client.once('ready', resolve);
      this.client.once('close', () =>
        reject(
          new Error(`Redis at ${where}: the first connection failed: ${this.lastError?.message ?? 'closed'}`, { cause: this.lastError }),
        ),
      );
    }).finally(() => {
      this.firstConnection = undefined;
    });
    // Nobody may be waiting when it fails; a caller that is gets the rejection through its own await.
    firstConnection.catch(() => {});
    this.firstConnection = firstConnection;
  }

  async ready(): Promise<void> {
    if (this.firstConnection) await this.firstConnection;
  }

  /** A client that is not connected has no commands to send, and just stops reconnecting. */
  async quit(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** The clients in use in this process, by mode and URL. */
const clients = new Map<string, SharedClient>();

/**
 * A hold on the client of the server `url` names (`redisEndpointFromUrl`), `cluster` for a
 * cluster-mode endpoint: the one already open in this process, or a new one, connecting at once.
 */
export function redisConnectionFromUrl(url: string, options: { cluster: boolean }): RedisConnection {
  const id = `${options.cluster ? 'cluster' : 'standalone'} ${url}`;
  let shared = clients.get(id);
  if (!shared) {
    shared = new SharedClient(redisEndpointFromUrl(url, options));
    clients.set(id, shared);
  }
  const held = shared;
  held.holders++;
  let released = false;
  return {
    client: held.client,
    ready: () => held.ready(),
    async close() {
      if (released) return;
      released = true;
      if (--held.holders > 0) return;
      clients.delete(id);
      await held.quit();
    },
  };
}

/** What each connection to a server is given, in either mode (in cluster mode, one per shard). */
function connectionOptions({ username, password, tls }: RedisEndpoint) {
  return {
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    ...(tls && { tls: {} }),
    connectTimeout: CONNECT_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
  } satisfies RedisOptions;
}

function standaloneClient(endpoint: RedisEndpoint): Redis {
  return new Redis({
    host: endpoint.host,
    port: endpoint.port,
    ...connectionOptions(endpoint),
    enableOfflineQueue: false,
    retryStrategy: reconnectDelayMs,
  });
}

function clusterClient(endpoint: RedisEndpoint): Cluster {
  return new Cluster([{ host: endpoint.host, port: endpoint.port }], {
    // The cluster's nodes are reached by the names it gives, not resolved to addresses first:
    // ElastiCache's TLS certificates name the host, and a connection to a bare IP fails to verify.
    dnsLookup: (address, callback) => callback(null, address),
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectDelayMs,
    // Both would resend a failed command after a delay (100 ms by default): past the caller's bound.
    retryDelayOnFailover: 0,
    retryDelayOnClusterDown: 0,
    redisOptions: connectionOptions(endpoint),
  });
}

const DEFAULT_PORT = 6379;

/**
 * The endpoint a `redis://[[user]:password@]host[:port]` URL names, TLS for `rediss://`. Error
 * messages never quote the URL, which may hold a password.
 */
export function redisEndpointFromUrl(url: string, { cluster }: { cluster: boolean }): RedisEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('the Redis URL is not a URL: expected redis://host:port or rediss://host:port');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`the Redis URL must start with redis:// or rediss:// (TLS), not ${parsed.protocol}//`);
  }
  if (parsed.pathname !== '' && parsed.pathname !== '/') {
    throw new Error('the Redis URL names a database: Lookout uses database 0, the only one in cluster mode');
  }
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? DEFAULT_PORT : Number(parsed.port),
    ...(parsed.username !== '' && { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password !== '' && { password: decodeURIComponent(parsed.password) }),
    tls: parsed.protocol === 'rediss:',
    cluster,
  };
}
