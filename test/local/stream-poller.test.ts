import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { requestLogTableSchema } from '../../lambdas/contract/table-schemas.js';
import type { RollupStreamEvent, RollupStreamResponse } from '../../lambdas/handlers/rollup-stream-event.js';
import { DynamoDbLocal } from '../../lambdas/local/dynamodb-local.js';
import { freePort } from '../../lambdas/local/free-port.js';
import { type StreamPoller, type StreamPollerOptions, startStreamPoller } from '../../lambdas/local/stream-poller.js';
import { createTableFromSchema, type DynamoDbLocalTables, startDynamoDbLocalTables } from '../adapters/dynamodb/dynamodb-local-tables.js';

/**
 * The local stand-in for Lambda's event source mapping, against DynamoDB Local. Each test reads a
 * request-log table of its own (the request log's schema, its stream included), so each one's
 * poller, reading from TRIM_HORIZON, sees only its own items.
 */

const TEST_TIMEOUT_MS = 20_000;
const FIFTEEN_MINUTES_MS = 15 * 60_000;

let local: DynamoDbLocalTables;
let tableCount = 0;

before(async () => {
  local = await startDynamoDbLocalTables();
});

after(async () => {
  await local.stop();
});

function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

async function newRequestLog(endpoint = local.endpoint): Promise<string> {
  const tableName = `stream-poller-${++tableCount}`;
  await createTableFromSchema(endpoint, tableName, requestLogTableSchema);
  return tableName;
}

async function putItems(endpoint: string, tableName: string, ids: string[]): Promise<void> {
  const client = localClient(endpoint);
  try {
    for (const id of ids) await client.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: id } } }));
  } finally {
    client.destroy();
  }
}

/** A handler that keeps every event it gets, answering as `answer` says (no failures by default). */
function recordingHandler(answer: (event: RollupStreamEvent, invocation: number) => RollupStreamResponse = () => success()) {
  const events: { event: RollupStreamEvent; atMs: number }[] = [];
  return {
    events,
    idsPerInvocation: () => events.map(({ event }) => idsOf(event)),
    handler: async (event: RollupStreamEvent) => {
      events.push({ event, atMs: Date.now() });
      return answer(event, events.length);
    },
  };
}

function success(): RollupStreamResponse {
  return { batchItemFailures: [], state: {} };
}

function idsOf(event: RollupStreamEvent): string[] {
  return event.Records.map((record) => record.dynamodb!.Keys!.id!.S!);
}

async function withPoller(
  options: Omit<StreamPollerOptions, 'endpoint'> & { endpoint?: string },
  use: (poller: StreamPoller) => Promise<void>,
) {
  const poller = await startStreamPoller({ endpoint: local.endpoint, intervalMs: 50, ...options });
  try {
    await use(poller);
  } finally {
    await poller.stop();
  }
}

describe('the local stream poller', { timeout: TEST_TIMEOUT_MS }, () => {
  it("hands each new item over once, in order, in Lambda's JSON shape, and no updates or deletes", async () => {
    const tableName = await newRequestLog();
    const client = localClient(local.endpoint);
    const writtenAfterMs = Date.now();
    const bytes = (...values: number[]) => new Uint8Array(values);
    const item: Record<string, AttributeValue> = {
      id: { S: 'a' },
      body: { B: bytes(1, 2, 3) },
      digests: { BS: [bytes(255), bytes(0, 1)] },
      nested: { M: { raw: { B: bytes(104, 105) }, list: { L: [{ B: bytes(7) }, { N: '42' }] } } },
      tags: { SS: ['x', 'y'] },
      flag: { BOOL: true },
      nothing: { NULL: true },
      // A request without custom properties is logged with an empty map.
      empty: { M: {} },
    };
    try {
      await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
      await client.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: 'b' } } }));
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { id: { S: 'a' } },
          UpdateExpression: 'SET tags = :tags',
          ExpressionAttributeValues: { ':tags': { SS: ['z'] } },
        }),
      );
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: { id: { S: 'b' } } }));
      await client.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: 'c' } } }));
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const streamArn = Table!.LatestStreamArn!;

      const recording = recordingHandler();
      // Two records a GetRecords: the update and the delete make a page of their own, which is no invocation.
      await withPoller({ tableName, handler: recording.handler, batchSize: 2 }, (poller) => poller.caughtUp());

      assert.deepEqual(recording.idsPerInvocation(), [['a', 'b'], ['c']]);
      const { event, atMs } = recording.events[0]!;
      const record = event.Records[0]!;
      const seconds = record.dynamodb!.ApproximateCreationDateTime!;
      assert.ok(Number.isInteger(seconds), `${seconds} is whole epoch seconds`);
      // DynamoDB Local rounds the creation time down to the minute.
      assert.ok(seconds * 1000 > writtenAfterMs - 60_000 && seconds * 1000 <= Date.now(), `${seconds} is the time of the write`);
      assert.equal(typeof record.eventID, 'string');
      assert.equal(typeof record.awsRegion, 'string');
      assert.equal(typeof record.dynamodb!.SizeBytes, 'number');
      assert.deepEqual(record, {
        eventID: record.eventID,
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: record.awsRegion,
        eventSourceARN: streamArn,
        dynamodb: {
          ApproximateCreationDateTime: seconds,
          Keys: { id: { S: 'a' } },
          NewImage: {
            id: { S: 'a' },
            body: { B: 'AQID' },
            digests: { BS: ['/w==', 'AAE='] },
            nested: { M: { raw: { B: 'aGk=' }, list: { L: [{ B: 'Bw==' }, { N: '42' }] } } },
            tags: { SS: ['x', 'y'] },
            flag: { BOOL: true },
            nothing: { NULL: true },
            empty: { M: {} },
          },
          SequenceNumber: record.dynamodb!.SequenceNumber,
          SizeBytes: record.dynamodb!.SizeBytes,
          StreamViewType: 'NEW_IMAGE',
        },
      });
      // Nothing in it that JSON would change (a Date, a Uint8Array): it is the event Lambda would send.
      assert.deepEqual(JSON.parse(JSON.stringify(event)), event);

      assert.match(event.shardId, /^shardId-/);
      assert.equal(event.eventSourceARN, streamArn);
      const windowStartMs = Date.parse(event.window.start);
      assert.equal(Date.parse(event.window.end) - windowStartMs, FIFTEEN_MINUTES_MS);
      assert.ok(windowStartMs <= atMs && atMs < windowStartMs + FIFTEEN_MINUTES_MS);
      assert.equal(windowStartMs % FIFTEEN_MINUTES_MS, 0);
      assert.deepEqual(event.state, {});
      assert.equal(event.isFinalInvokeForWindow, false);
      assert.equal(event.isWindowTerminatedEarly, false);

      const sequenceNumbers = recording.events.flatMap(({ event }) => event.Records.map((r) => BigInt(r.dynamodb!.SequenceNumber!)));
      assert.deepEqual(
        sequenceNumbers,
        [...sequenceNumbers].sort((x, y) => (x < y ? -1 : 1)),
      );
    } finally {
      client.destroy();
    }
  });

  it('hands over again from the lowest failed record, and not the records before it', async () => {
    const tableName = await newRequestLog();
    await putItems(local.endpoint, tableName, ['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    const recording = recordingHandler((event, invocation) => {
      if (invocation > 1) return success();
      const sequenceOf = (id: string) => event.Records.find((record) => record.dynamodb!.Keys!.id!.S === id)!.dynamodb!.SequenceNumber!;
      return { batchItemFailures: [{ itemIdentifier: sequenceOf('r4') }, { itemIdentifier: sequenceOf('r3') }], state: {} };
    });

    await withPoller({ tableName, handler: recording.handler }, (poller) => poller.caughtUp());

    assert.deepEqual(recording.idsPerInvocation(), [
      ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'],
      ['r3', 'r4', 'r5'],
    ]);
  });

  it('hands the same batch over again when the handler throws', async () => {
    const tableName = await newRequestLog();
    await putItems(local.endpoint, tableName, ['t0', 't1', 't2']);
    const recording = recordingHandler((_event, invocation) => {
      if (invocation === 1) throw new Error('the rollups table is busy');
      return success();
    });
    const lines: string[] = [];

    await withPoller({ tableName, handler: recording.handler, log: (line) => lines.push(line) }, (poller) => poller.caughtUp());

    assert.deepEqual(recording.idsPerInvocation(), [
      ['t0', 't1', 't2'],
      ['t0', 't1', 't2'],
    ]);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /the handler failed on shardId-\S+ records \d+\.\.\d+: Error: the rollups table is busy/);
  });

  it('gives up on a batch that keeps failing, says how to rebuild its range, and goes on', async () => {
    const tableName = await newRequestLog();
    await putItems(local.endpoint, tableName, ['poison', 'after']);
    const recording = recordingHandler((event) => {
      if (idsOf(event).includes('poison')) throw new Error('cannot apply');
      return success();
    });
    const lines: string[] = [];
    const retry = { retryAttempts: 2, firstBackoffMs: 10, maxBackoffMs: 20 };

    await withPoller({ tableName, handler: recording.handler, batchSize: 1, retry, log: (line) => lines.push(line) }, (poller) =>
      poller.caughtUp(),
    );

    assert.deepEqual(recording.idsPerInvocation(), [['poison'], ['poison'], ['poison'], ['after']]);
    const givenUp = lines.filter((line) => line.includes('gave up'));
    assert.equal(givenUp.length, 1);
    const match = givenUp[0]!.match(
      /gave up on shardId-\S+ records (\d+)\.\.\1 of stream-poller-\d+ after 3 tries; once \S+ is over, `npm run rollups:rebuild -- --from (\S+) --to (\S+)`/,
    );
    assert.ok(match, givenUp[0]);
    assert.equal(match[1], recording.events[0]!.event.Records[0]!.dynamodb!.SequenceNumber);
    // Whole UTC days around the record's write, which the rebuild replaces.
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    assert.equal(match[2], day(Date.parse(match[2]!)));
    assert.ok(match[2]! <= day(Date.now()) && day(Date.now()) <= match[3]!, givenUp[0]);
  });

  it('settles caughtUp() once the handler has every record written before the call, each once', async () => {
    const tableName = await newRequestLog();
    const seen: string[] = [];
    const handler = async (event: RollupStreamEvent) => {
      seen.push(...idsOf(event));
      return success();
    };
    const written: string[] = [];

    await withPoller({ tableName, handler, batchSize: 3 }, async (poller) => {
      await poller.caughtUp();
      assert.deepEqual(seen, []);
      for (let round = 0; round < 3; round++) {
        const ids = Array.from({ length: 10 }, (_, i) => `w${round}-${i}`);
        await putItems(local.endpoint, tableName, ids);
        written.push(...ids);
        await poller.caughtUp();
        assert.deepEqual(seen, written);
      }
    });
  });

  it('waits on stop() for the invocation in flight, and leaves nothing running', async () => {
    const tableName = await newRequestLog();
    await putItems(local.endpoint, tableName, ['s0']);
    let enter!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((resolve) => (enter = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const handler = async () => {
      enter();
      await released;
      finished = true;
      return success();
    };
    const poller = await startStreamPoller({ endpoint: local.endpoint, tableName, handler });
    // The one record is being handed over, but the poller stops before it can find the shard's tip.
    const caughtUpRejected = assert.rejects(poller.caughtUp(), /stopped/);
    await entered;

    let stopped = false;
    const stopping = poller.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false);
    release();
    await stopping;
    assert.equal(finished, true);
    await caughtUpRejected;
    await assert.rejects(poller.caughtUp(), /stopped/);
  });

  it('goes on after DynamoDB Local restarts, saying once that it cannot read the stream', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lookout-stream-poller-'));
    const dynamo = new DynamoDbLocal(await freePort(), dataDir);
    await dynamo.start();
    try {
      const tableName = await newRequestLog(dynamo.endpoint);
      const recording = recordingHandler();
      const lines: string[] = [];
      await withPoller(
        { endpoint: dynamo.endpoint, tableName, handler: recording.handler, log: (line) => lines.push(line) },
        async (poller) => {
          await putItems(dynamo.endpoint, tableName, ['before']);
          await poller.caughtUp();
          await dynamo.stop();
          await dynamo.start();
          await putItems(dynamo.endpoint, tableName, ['after']);
          await poller.caughtUp();
        },
      );
      assert.deepEqual(recording.idsPerInvocation().flat(), ['before', 'after']);
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, /cannot read the stream of stream-poller-\d+ \(.+\); retrying/);
    } finally {
      await dynamo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
