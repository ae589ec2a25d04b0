/**
 * The DynamoDB backend of the quota counters against DynamoDB Local (the table made from
 * `quotaCountersTableSchema`, TTL on, as the CDK stack makes it): the port's contract, then what
 * is particular to this backend: the item and its version, a settle that is one UpdateItem with
 * no read, heavy contention on one counter (still exact, the losers rejected naming the
 * contention), and a reserve whose every swap is lost or whose call fails (from a proxy in front
 * of DynamoDB Local).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { dynamoDbJsonClientFromEnv, type DynamoDbJsonClient } from '../../../lambdas/adapters/dynamodb/dynamodb-json-client.js';
import { QuotaCounterTable, RESERVE_ATTEMPTS } from '../../../lambdas/adapters/dynamodb/quota-counter-table.js';
import { QuotaCounterContentionError } from '../../../lambdas/core/ports/quota-counters.js';
import { SINGLE_ATTEMPT } from '../../../lambdas/adapters/sdk-retry-options.js';
import { quotaCountersTableSchema } from '../../../lambdas/contract/table-schemas.js';
import { describeQuotaCountersContract, newWindow, repeatableAmounts, reservationOf, T0 } from '../quota-counters-contract.js';
import { createTableFromSchema, startDynamoDbLocalTables, type DynamoDbLocalTables } from './dynamodb-local-tables.js';
import { FaultInjectingProxy, internalServerError } from './fault-injecting-proxy.js';

const TABLE = 'lookout-quota-counters-test';

let dynamo: DynamoDbLocalTables;
let dynamoDb: DynamoDbJsonClient;

before(async () => {
  dynamo = await startDynamoDbLocalTables();
  await createTableFromSchema(dynamo.endpoint, TABLE, quotaCountersTableSchema);
  dynamoDb = dynamoDbJsonClientFromEnv(dynamo.environment(), SINGLE_ATTEMPT);
});

after(async () => {
  await dynamo?.stop();
});

function counterTable(client = dynamoDb): QuotaCounterTable {
  return new QuotaCounterTable({ dynamoDb: client, tableName: TABLE });
}

describeQuotaCountersContract('DynamoDB', async () => ({ counters: counterTable() }));

describe('QuotaCounterTable items', () => {
  it('keeps a counter in one item: its live sub-windows, a version raised by every write, and expiresAt a window and a sub-window after the last reserve', async () => {
    const counters = counterTable();
    const window = newWindow(100);
    await counters.settle(reservationOf(await counters.reserve(window, 7, T0 + 1_500)), 4, T0 + 2_000);
    await counters.reserve(window, 2, T0 + 3_250);

    assert.deepEqual(await dynamoDb.getItem({ TableName: TABLE, Key: { counterKey: window.counterKey } }), {
      counterKey: window.counterKey,
      subWindows: { [T0 + 1_000]: { used: 4, reserved: 0 }, [T0 + 3_000]: { used: 0, reserved: 2 } },
      version: 3,
      expiresAt: Math.ceil((T0 + 3_250 + 61_000) / 1000),
    });
  });

  it('drops the sub-windows that left the window as it reserves', async () => {
    const counters = counterTable();
    const window = newWindow(100);
    await counters.reserve(window, 5, T0);
    await counters.reserve(window, 1, T0 + 30_000);

    await counters.reserve(window, 2, T0 + 60_000);

    const item = await dynamoDb.getItem({ TableName: TABLE, Key: { counterKey: window.counterKey } });
    assert.deepEqual(item?.subWindows, { [T0 + 30_000]: { used: 0, reserved: 1 }, [T0 + 60_000]: { used: 0, reserved: 2 } });
  });
});

/**
 * Contention comes from many processes: within one, the table's writes to a counter go one at a
 * time. So these tests share a counter between `INSTANCES` tables, as many Lambda instances would.
 */
describe('QuotaCounterTable under heavy contention on one counter, from many processes', () => {
  const INSTANCES = 20;
  let instances: QuotaCounterTable[];
  before(() => {
    instances = Array.from({ length: INSTANCES }, () => counterTable(dynamoDbJsonClientFromEnv(dynamo.environment(), SINGLE_ATTEMPT)));
  });
  const instanceOf = (i: number) => instances[i % INSTANCES]!;

  it('stays exact with 100 reserves at once that all fit: the granted are all counted, the rest rejected naming the contention', async () => {
    const window = newWindow(1_000);
    const amounts = repeatableAmounts(100, 10);

    const outcomes = await Promise.allSettled(amounts.map((amount, i) => instanceOf(i).reserve(window, amount, T0)));

    const granted = amounts.filter((_, i) => {
      const outcome = outcomes[i];
      return outcome?.status === 'fulfilled' && outcome.value.granted;
    });
    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    for (const outcome of rejected) {
      assert.ok(outcome.reason instanceof QuotaCounterContentionError, String(outcome.reason));
      assert.match(outcome.reason.message, new RegExp(`${window.counterKey} is contended: ${RESERVE_ATTEMPTS} conditional writes`));
    }
    assert.equal(granted.length + rejected.length, amounts.length, 'no reserve was refused: every amount fitted');
    const reserved = granted.reduce((sum, amount) => sum + amount, 0);
    assert.deepEqual(await instanceOf(0).read(window, T0), { used: 0, reserved, resetAtMs: T0 + 60_000 });
    assert.ok(granted.length > 0);
  });

  it('never grants past the limit with 100 reserves and their settles at once, the limit well under their sum', async () => {
    const window = newWindow(150);
    const amounts = repeatableAmounts(100, 10);

    const outcomes = await Promise.allSettled(
      amounts.map(async (amount, i) => {
        const result = await instanceOf(i).reserve(window, amount, T0);
        if (result.granted) await instanceOf(i).settle(result.reservation, amount - 1, T0);
        return result;
      }),
    );

    const settled = amounts.filter((_, i) => {
      const outcome = outcomes[i];
      return outcome?.status === 'fulfilled' && outcome.value.granted;
    });
    const usage = await instanceOf(0).read(window, T0);
    assert.equal(usage.reserved, 0);
    assert.equal(
      usage.used,
      settled.reduce((sum, amount) => sum + amount - 1, 0),
    );
    assert.ok(usage.used <= window.limit);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') assert.ok(outcome.reason instanceof QuotaCounterContentionError, String(outcome.reason));
    }
  });
});

describe('QuotaCounterTable calls', () => {
  let proxy: FaultInjectingProxy;
  let counters: QuotaCounterTable;
  before(async () => {
    proxy = await FaultInjectingProxy.start(dynamo.endpoint);
    counters = counterTable(dynamoDbJsonClientFromEnv(dynamo.environment(proxy.url), SINGLE_ATTEMPT));
  });
  after(async () => {
    await proxy?.close();
  });
  beforeEach(() => {
    proxy.faults.length = 0;
    proxy.operations.length = 0;
  });

  const lostSwap = {
    kind: 'error' as const,
    status: 400,
    type: 'ConditionalCheckFailedException',
    message: 'The conditional request failed',
  };

  it('reserves with one consistent read and one conditional put; settles with one update and no read; reads with one read', async () => {
    const window = newWindow(10);

    const reservation = reservationOf(await counters.reserve(window, 3, T0));
    assert.deepEqual(proxy.operations, ['GetItem', 'PutItem']);
    await counters.settle(reservation, 2, T0);
    assert.deepEqual(proxy.operations, ['GetItem', 'PutItem', 'UpdateItem']);
    await counters.read(window, T0);
    assert.deepEqual(proxy.operations, ['GetItem', 'PutItem', 'UpdateItem', 'GetItem']);
  });

  it('reads again after a lost swap, and is granted on the next one', async () => {
    const window = newWindow(10);
    proxy.faults.push({ kind: 'answer', status: 200, body: '{}' }, lostSwap);

    assert.equal((await counters.reserve(window, 3, T0)).granted, true);
    assert.deepEqual(proxy.operations, ['GetItem', 'PutItem', 'GetItem', 'PutItem']);
    assert.equal((await counters.read(window, T0)).reserved, 3);
  });

  it(`rejects naming the contention after ${RESERVE_ATTEMPTS} lost swaps, having counted nothing`, async () => {
    const window = newWindow(10);
    for (let i = 0; i < RESERVE_ATTEMPTS; i++) proxy.faults.push({ kind: 'answer', status: 200, body: '{}' }, lostSwap);

    await assert.rejects(counters.reserve(window, 3, T0), (error: Error) => {
      assert.ok(error instanceof QuotaCounterContentionError);
      assert.match(error.message, new RegExp(`quota counter ${window.counterKey} is contended`));
      return true;
    });
    assert.equal(proxy.count('PutItem'), RESERVE_ATTEMPTS);
    assert.deepEqual(await counters.read(window, T0), { used: 0, reserved: 0, resetAtMs: T0 + 60_000 });
  });

  it('rejects a reserve whose read fails, and a settle whose update fails, each after one call: a failure is not a refusal', async () => {
    const window = newWindow(10);
    const reservation = reservationOf(await counters.reserve(window, 3, T0));
    proxy.operations.length = 0;
    proxy.faults.push(internalServerError(), internalServerError());

    await assert.rejects(counters.reserve(window, 1, T0), { name: 'InternalServerError' });
    await assert.rejects(counters.settle(reservation, 1, T0), { name: 'InternalServerError' });
    assert.deepEqual(proxy.operations, ['GetItem', 'UpdateItem']);
  });
});
