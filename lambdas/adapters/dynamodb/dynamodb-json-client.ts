import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { EnvironmentVariable } from '../../contract/environment-variables.js';
import { environmentCredentials, fixedCredentials, type AwsCredentialsSource } from '../aws-http/aws-credentials.js';
import { awsServiceHost, regionFromEnv } from '../aws-http/aws-region.js';
import { jsonObjectOf, withAwsRetries } from '../aws-http/aws-service-error.js';
import { SignedAwsHttpClient } from '../aws-http/signed-aws-request.js';
import type { SdkRetryOptions } from '../sdk-retry-options.js';
import { attributeValuesFromJson, attributeValuesToJson } from './attribute-value-json.js';
import { DynamoDbError, dynamoDbErrorFromResponse, malformedResponseError } from './dynamodb-json-errors.js';

/**
 * The DynamoDB calls the gateway makes (PutItem, GetItem, BatchGetItem, UpdateItem, Scan) in DynamoDB's own wire protocol,
 * AWS JSON 1.0, over `SignedAwsHttpClient`: a fraction of the SDK's CPU per call (see
 * `aws-http/signed-aws-request.ts`) and none of its bundle. Items go in and come out as plain
 * values, marshalled by `@aws-sdk/util-dynamodb` as the DocumentClient does.
 *
 * Errors: a non-2xx answer is a `DynamoDbError` named as the SDK names it, with its status (a
 * false condition is its subclass `ConditionalCheckFailedError`); a 2xx whose body is not a JSON
 * object is an error too, never a silent success; a request that got no complete answer is an
 * `AwsNetworkError`.
 */

/** A write's condition, with the names and values its expressions refer to (`#name`, `:value`). */
export interface ConditionalWrite {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  /** Plain values, marshalled as the item is. */
  ExpressionAttributeValues?: Record<string, unknown>;
}

export interface PutItemInput extends ConditionalWrite {
  TableName: string;
  Item: Record<string, unknown>;
}

export interface UpdateItemInput extends ConditionalWrite {
  TableName: string;
  Key: Record<string, unknown>;
  UpdateExpression: string;
}

export interface GetItemInput {
  TableName: string;
  Key: Record<string, unknown>;
  ConsistentRead?: boolean;
}

/** One table's keys, read in one call (the response cache reads a bucket's slots so). */
export interface BatchGetItemInput {
  TableName: string;
  /** At most 100 (DynamoDB's limit), all different. */
  Keys: Record<string, unknown>[];
}

export interface BatchGetItemOutput {
  /** The items found, in no particular order; a key with no item is in neither list. */
  items: Record<string, unknown>[];
  /**
   * Keys DynamoDB did not get to (throttling, or past 16 MB of answer): not a failure, and not
   * known to be missing. The caller asks for them again, or treats them as unread.
   */
  unprocessedKeys: Record<string, unknown>[];
}

/** One page of a table's items (up to 1 MB of them), from `ExclusiveStartKey` on. */
export interface ScanInput {
  TableName: string;
  ConsistentRead?: boolean;
  /** The `lastEvaluatedKey` of the page before; absent for the first. */
  ExclusiveStartKey?: Record<string, unknown>;
}

export interface ScanOutput {
  items: Record<string, unknown>[];
  /** Where the next page starts; undefined on the last page. */
  lastEvaluatedKey: Record<string, unknown> | undefined;
}

const MARSHALL_OPTIONS = { removeUndefinedValues: true };

/** `DynamoDB_20120810.<Operation>`, the JSON protocol's way of naming the call. */
const TARGET_PREFIX = 'DynamoDB_20120810.';

export class DynamoDbJsonClient {
  private readonly maxAttempts: number;

  /**
   * `retries` is explicit because callers differ: the request-log writer makes one attempt (its
   * recorder retries with its own backoff), the key lookup a few quick ones (`QUICK_RETRIES`).
   * Only throttling, 5xx, unreadable answers and network errors are retried.
   */
  constructor(
    private readonly http: SignedAwsHttpClient,
    retries: SdkRetryOptions,
  ) {
    this.maxAttempts = retries.maxAttempts ?? 3;
  }

  async putItem({ TableName, Item, ...condition }: PutItemInput): Promise<void> {
    await this.call('PutItem', { TableName, Item: attributeValuesToJson(marshall(Item, MARSHALL_OPTIONS)), ...conditionJson(condition) });
  }

  /** Applies `UpdateExpression` to the item under `Key` (making it if there is none and the condition allows). */
  async updateItem({ TableName, Key, UpdateExpression, ...condition }: UpdateItemInput): Promise<void> {
    await this.call('UpdateItem', {
      TableName,
      Key: attributeValuesToJson(marshall(Key, MARSHALL_OPTIONS)),
      UpdateExpression,
      ...conditionJson(condition),
    });
  }

  /** The item under `Key`, or undefined when there is none. */
  async getItem({ TableName, Key, ConsistentRead }: GetItemInput): Promise<Record<string, unknown> | undefined> {
    const output = await this.call('GetItem', {
      TableName,
      Key: attributeValuesToJson(marshall(Key, MARSHALL_OPTIONS)),
      ...(ConsistentRead !== undefined && { ConsistentRead }),
    });
    const item = output.Item;
    if (item === undefined) return undefined;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new DynamoDbError('MalformedResponseError', 'DynamoDB GetItem answered an Item that is not a map', 200, true);
    }
    return unmarshall(attributeValuesFromJson(item as Record<string, unknown>));
  }

  /** The items under `Keys`, and the keys DynamoDB left unprocessed: the call is retried as the others are, those keys are not. */
  async batchGetItem({ TableName, Keys }: BatchGetItemInput): Promise<BatchGetItemOutput> {
    const output = await this.call('BatchGetItem', {
      RequestItems: { [TableName]: { Keys: Keys.map((key) => attributeValuesToJson(marshall(key, MARSHALL_OPTIONS))) } },
    });
    const responses = optionalMap(output.Responses, 'Responses');
    const unprocessed = optionalMap(optionalMap(output.UnprocessedKeys, 'UnprocessedKeys')[TableName], `UnprocessedKeys.${TableName}`);
    const items = optionalListOfMaps(responses[TableName], `Responses.${TableName}`);
    const unprocessedKeys = optionalListOfMaps(unprocessed.Keys, `UnprocessedKeys.${TableName}.Keys`);
    return {
      items: items.map((item) => unmarshall(attributeValuesFromJson(item))),
      unprocessedKeys: unprocessedKeys.map((key) => unmarshall(attributeValuesFromJson(key))),
    };
  }

  /** One page of the table; the caller pages on from `lastEvaluatedKey` until there is none (the gateway reads the small quotas table so). */
  async scan({ TableName, ConsistentRead, ExclusiveStartKey }: ScanInput): Promise<ScanOutput> {
    const output = await this.call('Scan', {
      TableName,
      ...(ConsistentRead !== undefined && { ConsistentRead }),
      ...(ExclusiveStartKey !== undefined && { ExclusiveStartKey: attributeValuesToJson(marshall(ExclusiveStartKey, MARSHALL_OPTIONS)) }),
    });
    const { Items = [], LastEvaluatedKey } = output;
    if (!Array.isArray(Items) || !Items.every(isJsonMap)) throw malformedScan('Items', 'a list of maps');
    if (LastEvaluatedKey !== undefined && !isJsonMap(LastEvaluatedKey)) throw malformedScan('LastEvaluatedKey', 'a map');
    return {
      items: Items.map((item) => unmarshall(attributeValuesFromJson(item))),
      lastEvaluatedKey: LastEvaluatedKey && unmarshall(attributeValuesFromJson(LastEvaluatedKey)),
    };
  }

  private async call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const body = JSON.stringify(input);
    return withAwsRetries(this.maxAttempts, () => this.attempt(operation, body));
  }

  private async attempt(operation: string, body: string): Promise<Record<string, unknown>> {
    const response = await this.http.send({
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${TARGET_PREFIX}${operation}` },
      body,
    });
    if (response.status < 200 || response.status > 299) throw dynamoDbErrorFromResponse(operation, response);
    const output = jsonObjectOf(response.body);
    if (output === undefined) throw malformedResponseError(operation, response);
    return output;
  }
}

/** The request fields of a write's condition, leaving out those it does not set (DynamoDB refuses an empty map). */
function conditionJson({ ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues }: ConditionalWrite) {
  return {
    ...(ConditionExpression !== undefined && { ConditionExpression }),
    ...(ExpressionAttributeNames !== undefined && { ExpressionAttributeNames }),
    ...(ExpressionAttributeValues !== undefined && {
      ExpressionAttributeValues: attributeValuesToJson(marshall(ExpressionAttributeValues, MARSHALL_OPTIONS)),
    }),
  };
}

// BatchGetItem leaves out what it has nothing for: a table with no items, no unprocessed keys.
function optionalMap(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (isJsonMap(value)) return value;
  throw malformedBatchGetItem(what, 'a map');
}

function optionalListOfMaps(value: unknown, what: string): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every(isJsonMap)) return value;
  throw malformedBatchGetItem(what, 'a list of maps');
}

function isJsonMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformedScan(what: string, expected: string): DynamoDbError {
  return new DynamoDbError('MalformedResponseError', `DynamoDB Scan answered ${what} that is not ${expected}`, 200, true);
}

function malformedBatchGetItem(what: string, expected: string): DynamoDbError {
  return new DynamoDbError('MalformedResponseError', `DynamoDB BatchGetItem answered a ${what} that is not ${expected}`, 200, true);
}

/** Who signs, when not the credentials and region in the environment (a CLI on an operator's machine). */
export interface DynamoDbSigning {
  region: string;
  credentials: AwsCredentialsSource;
}

/**
 * The client for a function's environment: `LOOKOUT_DYNAMODB_ENDPOINT` points it at DynamoDB
 * Local (`npm start`, tests), which takes any credentials; in AWS it signs with the credentials
 * and region Lambda puts in the environment, or with `signing`, and reaches the region's public endpoint.
 */
export function dynamoDbJsonClientFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  retries: SdkRetryOptions,
  signing?: DynamoDbSigning,
): DynamoDbJsonClient {
  const endpoint = env[EnvironmentVariable.dynamodbEndpoint];
  if (endpoint) {
    const local = { accessKeyId: 'local', secretAccessKey: 'local' };
    return new DynamoDbJsonClient(
      new SignedAwsHttpClient({ service: 'dynamodb', region: env.AWS_REGION ?? 'local', endpoint, credentials: fixedCredentials(local) }),
      retries,
    );
  }
  const region = signing?.region ?? regionFromEnv(env, 'DynamoDB client');
  return new DynamoDbJsonClient(
    new SignedAwsHttpClient({
      service: 'dynamodb',
      region,
      endpoint: `https://${awsServiceHost('dynamodb', region)}`,
      credentials: signing?.credentials ?? environmentCredentials(env),
    }),
    retries,
  );
}
