/**
 * Lookout's gateway with the log store stubbed: the same handler (`createGatewayHandler`) behind
 * the same local HTTP front as `npm start`, with the deployed upstream adapter, but keys held in
 * memory and a `recordRequest` that does nothing. Beside the real stack it shows what the request
 * path costs without the log write, and what capacity the gateway has when DynamoDB Local is out
 * of the picture. Its environment is the real stack's gateway environment, so the adapters are
 * built from exactly what the gateway gets; none of them is called but the upstream, and the
 * response cache for requests that ask for it (the cache runs give it the Redis stack's
 * environment: a HIT without the log write).
 */
import '../lambdas/local/install-lambda-globals.js';
import { once } from 'node:events';
import type { GatewayKeyRecord } from '../lambdas/core/auth/gateway-key.js';
import { hashGatewayKey, newGatewayKeyRecord } from '../lambdas/core/auth/gateway-key.js';
import { parseRuntimeConfig } from '../lambdas/core/runtime-config.js';
import { createGatewayHandler, gatewayAdaptersFromEnv, type GatewayAdapters } from '../lambdas/handlers/gateway.js';
import { createLocalHttpServer } from '../lambdas/local/local-http-server.js';
import { serveBench } from './child-ipc.js';

export interface StubbedLogGatewayReady {
  url: string;
  nodeVersion: string;
}

/** Gateway keys in a map, by hash. */
class InMemoryGatewayKeys {
  private readonly records = new Map<string, GatewayKeyRecord>();
  async findByHash(keyHash: string): Promise<GatewayKeyRecord | undefined> {
    return this.records.get(keyHash);
  }
  async create(record: GatewayKeyRecord): Promise<void> {
    this.records.set(record.keyHash, record);
  }
  async list(): Promise<GatewayKeyRecord[]> {
    return [...this.records.values()];
  }
  async revoke(keyHash: string, revokedAt: string): Promise<boolean> {
    const record = this.records.get(keyHash);
    if (!record) return false;
    this.records.set(keyHash, { ...record, revokedAt });
    return true;
  }
}

const env = JSON.parse(process.env.BENCH_GATEWAY_ENV ?? '{}') as Record<string, string>;
const appKey = process.env.BENCH_APP_KEY ?? '';
if (!appKey) throw new Error('BENCH_APP_KEY is not set');

const keys = new InMemoryGatewayKeys();
await keys.create(newGatewayKeyRecord(appKey, 'bench-app', 'app', Date.now()));
if (!(await keys.findByHash(hashGatewayKey(appKey)))) throw new Error('the in-memory key store lost the app key');

const gatewayKeys: GatewayAdapters['keys'] = keys;
const adapters: Parameters<typeof createGatewayHandler>[1] = (handlerEnv, config) => ({
  ...gatewayAdaptersFromEnv(handlerEnv, config),
  keys: gatewayKeys,
  recordRequest: async () => 'stored' as const,
});
const serverOptions = {
  gateway: createGatewayHandler(env, adapters),
  queryApi: async () => ({ statusCode: 404, body: '{"error":{"code":"not_found","message":"no query API here"}}' }),
  maxBodyBytes: parseRuntimeConfig(env).maxBodyBytes,
  // Nothing is logged here, so nothing waits on a log write.
  maxPendingLogWrites: Number.MAX_SAFE_INTEGER,
  isHealthy: async () => true,
  onInvocationError: (route: string, error: unknown) =>
    console.error(`invocation failed for ${route}: ${(error as Error)?.stack ?? error}`),
};
const http = createLocalHttpServer(serverOptions);
http.server.listen(0, '127.0.0.1');
await once(http.server, 'listening');

serveBench(
  {
    url: `http://127.0.0.1:${(http.server.address() as { port: number }).port}`,
    nodeVersion: process.version,
  } satisfies StubbedLogGatewayReady,
  {
    /** Settles once every invocation has finished: its response cache write included, which follows the last byte. */
    async idle() {
      await http.idle();
      return { ok: true };
    },
  },
  () => http.close(1_000),
);
