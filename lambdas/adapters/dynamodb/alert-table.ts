import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertRule } from '../../contract/alert-rule.js';
import type { AlertState } from '../../core/alerts/alert-state.js';
import type { AlertHistoryEntry, AlertRuleStore, AlertStateStore, StoredAlertState } from '../../core/ports/alert-store.js';

/*
 * The alerts table (`alertsTableSchema`): API rules in one partition (`rule`, by id), so listing
 * them is one Query; each rule's states in `state|<rule id>` by group key; its history in
 * `history|<rule id>` by time, kept 90 days.
 */

const RULES_PARTITION = 'rule';
const HISTORY_LIFETIME_SECONDS = 90 * 86_400;

export class AlertTable implements AlertRuleStore, AlertStateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<AlertRule[]> {
    return (await this.queryAll(RULES_PARTITION, true)).map((item) => item.rule as AlertRule);
  }

  async get(id: string): Promise<AlertRule | null> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: RULES_PARTITION, sk: id } }));
    return Item ? (Item.rule as AlertRule) : null;
  }

  async put(rule: AlertRule): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: RULES_PARTITION, sk: rule.id, rule } }));
  }

  async delete(id: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: RULES_PARTITION, sk: id }, ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  async readStates(ruleId: string): Promise<Map<string, StoredAlertState>> {
    const states = new Map<string, StoredAlertState>();
    for (const item of await this.queryAll(`state|${ruleId}`, true)) {
      states.set(String(item.sk), { ...(item.state as AlertState), version: Number(item.version) });
    }
    return states;
  }

  async writeState(ruleId: string, groupKey: string, state: AlertState, expectedVersion: number | null): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `state|${ruleId}`, sk: groupKey, state, version: (expectedVersion ?? 0) + 1 },
          ConditionExpression: expectedVersion === null ? 'attribute_not_exists(pk)' : 'version = :expected',
          ExpressionAttributeValues: expectedVersion === null ? undefined : { ':expected': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async appendHistory(ruleId: string, entries: readonly AlertHistoryEntry[]): Promise<void> {
    // One put each: a history is a few lines a transition, and a lost line must not lose the others.
    await Promise.all(
      entries.map((entry) =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              pk: `history|${ruleId}`,
              sk: `${String(entry.atMs).padStart(15, '0')}#${randomUUID()}`,
              entry,
              expiresAt: Math.floor(entry.atMs / 1000) + HISTORY_LIFETIME_SECONDS,
            },
          }),
        ),
      ),
    );
  }

  async readHistory(ruleId: string, limit: number): Promise<AlertHistoryEntry[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `history|${ruleId}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => item.entry as AlertHistoryEntry);
  }

  private async queryAll(partition: string, consistent: boolean): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ConsistentRead: consistent,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}
