/**
 * The Redis backend of the response cache against Debian's `redis-server`, started by each
 * describe on its own free port: the port's contract on a standalone server and on a one-node
 * cluster (cluster mode, as ElastiCache Serverless always is, where the bucket's hash tag is what
 * lets one MGET read every slot), then what a caller sees when the server goes away and comes
 * back: a rejection at once, and the cache working again after the restart, with no log lines
 * and no unhandled 'error' events on the way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'iovalkey';
import { redisEndpointFromUrl } from '../../../lambdas/adapters/redis/redis-connection.js';
import { redisResponseCacheFromUrl, type RedisResponseCache } from '../../../lambdas/adapters/redis/redis-response-cache.js';
import { RedisServer } from '../../support/redis-server.js';
import { bufferedAnswer, describeResponseCacheContract, newBucketKey } from '../response-cache-contract.js';

/** Longest wait for the client to be back after the server restarts (its backoff is capped at 2 s). */
const RECONNECT_WAIT_MS = 10_000;

/**
 * Writes bytes that are not a cached answer where the adapter keeps a slot, with a plain client of
 * the test's own (a cluster node takes it too: the one-node cluster owns every hash slot).
 */
async function storeGarbage(server: RedisServer, bucketKey: string, slot: number): Promise<void> {
  const raw = new Redis(server.port, '127.0.0.1');
  try {
    await raw.set(`lookout:cache:{${bucketKey}}:${slot}`, Buffer.from('not a cached answer'), 'EX', 60);
  } finally {
    await raw.quit();
  }
}

for (const cluster of [false, true]) {
  describe(cluster ? 'RedisResponseCache in cluster mode (a one-node cluster)' : 'RedisResponseCache on a standalone server', () => {
    let server: RedisServer;
    before(async () => {
      server = await RedisServer.start({ cluster });
    });
    after(async () => {
      await server?.dispose();
    });

    describeResponseCacheContract(cluster ? 'Redis, cluster mode' : 'Redis, standalone', async () => {
      const cache = redisResponseCacheFromUrl(server.url, { cluster });
      return {
        cache,
        storeCorruptEntry: (bucketKey, slot) => storeGarbage(server, bucketKey, slot),
        close: () => cache.close(),
      };
    });
  });
}

describe('RedisResponseCache when the server goes away', () => {
  let server: RedisServer;
  let cache: RedisResponseCache;
  before(async () => {
    server = await RedisServer.start();
    cache = redisResponseCacheFromUrl(server.url, { cluster: false });
  });
  after(async () => {
    await cache?.close();
    await server?.dispose();
  });

  it('rejects reads and writes while the server is down, without logging, and works again once it is back', async () => {
    const bucketKey = newBucketKey();
    const answer = bufferedAnswer('before the outage');
    await cache.write(bucketKey, 0, answer, 60);
    const logged = [mock.method(console, 'error'), mock.method(console, 'warn'), mock.method(console, 'log')];

    try {
      await server.stop();

      await assert.rejects(cache.readBucket(bucketKey, 1));
      await assert.rejects(cache.write(bucketKey, 1, answer, 60));
      // Once the client has seen the connection close, a command fails without being sent.
      await assert.rejects(cache.readBucket(bucketKey, 1), /enableOfflineQueue|Connection is closed|MaxRetriesPerRequest/);
      assert.deepEqual(
        logged.map((spy) => spy.mock.calls.length),
        [0, 0, 0],
        'neither the adapter nor the client logs a failed call',
      );
    } finally {
      for (const spy of logged) spy.mock.restore();
    }

    await server.restart();

    const deadline = Date.now() + RECONNECT_WAIT_MS;
    let read: Awaited<ReturnType<RedisResponseCache['readBucket']>> | undefined;
    while (read === undefined) {
      read = await cache.readBucket(newBucketKey(), 1).catch((error: unknown) => {
        if (Date.now() > deadline) throw error;
        return undefined;
      });
      if (read === undefined) await delay(50);
    }
    assert.deepEqual(read, [null]);
    // The server kept nothing (no persistence): the cache works again, empty.
    assert.deepEqual(await cache.readBucket(bucketKey, 1), [null]);
    await cache.write(bucketKey, 0, answer, 60);
    assert.ok((await cache.readBucket(bucketKey, 1))[0]);
  });

  it('fails a call the server stops answering (CLIENT PAUSE) once the connection has been silent too long, and recovers', async () => {
    const bucketKey = newBucketKey();
    const admin = new Redis(server.port, '127.0.0.1');
    try {
      // Longer than the adapter's socket timeout (2 s): the pending MGET must not wait it out.
      await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
    } finally {
      admin.disconnect();
    }

    // The silent socket is destroyed, and the command on it fails with it, never resent.
    await assert.rejects(cache.readBucket(bucketKey, 1), /max retries per request limit \(which is 0\)/);

    const deadline = Date.now() + RECONNECT_WAIT_MS;
    for (;;) {
      const read = await cache.readBucket(bucketKey, 1).catch((error: unknown) => {
        if (Date.now() > deadline) throw error;
        return undefined;
      });
      if (read) {
        assert.deepEqual(read, [null]);
        break;
      }
      await delay(50);
    }
  });
});

describe('RedisResponseCache and its first connection', () => {
  it('waits for the connection it is making when it is built, so a first call right after succeeds', async () => {
    const server = await RedisServer.start();
    const cache = redisResponseCacheFromUrl(server.url, { cluster: false });
    try {
      assert.deepEqual(await cache.readBucket(newBucketKey(), 2), [null, null]);
    } finally {
      await cache.close();
      await server.dispose();
    }
  });

  it('rejects the first call when that connection fails (no server on the port)', async () => {
    const server = await RedisServer.start();
    await server.stop();
    const cache = redisResponseCacheFromUrl(server.url, { cluster: false });
    try {
      await assert.rejects(cache.readBucket(newBucketKey(), 1), /first connection failed: .*ECONNREFUSED/);
    } finally {
      await cache.close();
      await server.dispose();
    }
  });
});

describe('redisEndpointFromUrl', () => {
  it('reads host and port, the default port 6379, and no TLS for redis://', () => {
    assert.deepEqual(redisEndpointFromUrl('redis://127.0.0.1:6380', { cluster: false }), {
      host: '127.0.0.1',
      port: 6380,
      tls: false,
      cluster: false,
    });
    assert.deepEqual(redisEndpointFromUrl('redis://cache.internal', { cluster: false }), {
      host: 'cache.internal',
      port: 6379,
      tls: false,
      cluster: false,
    });
  });

  it('turns TLS on for rediss://, as ElastiCache Serverless needs with cluster mode', () => {
    assert.deepEqual(redisEndpointFromUrl('rediss://lookout-abc123.serverless.euw1.cache.amazonaws.com:6379', { cluster: true }), {
      host: 'lookout-abc123.serverless.euw1.cache.amazonaws.com',
      port: 6379,
      tls: true,
      cluster: true,
    });
  });

  it('reads a user name and password, percent-decoded, and a bracketed IPv6 host', () => {
    assert.deepEqual(redisEndpointFromUrl('rediss://lookout:p%40ss%3Aword@[::1]:7000', { cluster: false }), {
      host: '::1',
      port: 7000,
      username: 'lookout',
      password: 'p@ss:word',
      tls: true,
      cluster: false,
    });
    assert.deepEqual(redisEndpointFromUrl('redis://:secret@127.0.0.1', { cluster: false }), {
      host: '127.0.0.1',
      port: 6379,
      password: 'secret',
      tls: false,
      cluster: false,
    });
  });

  it('refuses another scheme, a database number and a non-URL, without quoting the URL (it may hold a password)', () => {
    assert.throws(
      () => redisEndpointFromUrl('http://user:hunter2@host:6379', { cluster: false }),
      (error: Error) => {
        assert.match(error.message, /redis:\/\/ or rediss:\/\//);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
    assert.throws(
      () => redisEndpointFromUrl('redis://:hunter2@host:6379/2', { cluster: false }),
      (error: Error) => {
        assert.match(error.message, /database 0/);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
    assert.throws(
      () => redisEndpointFromUrl('hunter2', { cluster: false }),
      (error: Error) => {
        assert.match(error.message, /not a URL/);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
  });
});
