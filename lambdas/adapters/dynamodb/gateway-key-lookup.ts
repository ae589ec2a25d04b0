import type { GatewayKeyRecord } from '../../core/auth/gateway-key.js';
import type { GatewayKeyFinder } from '../../core/ports/gateway-key-store.js';
import type { DynamoDbJsonClient } from './dynamodb-json-client.js';

/**
 * The gateway's side of the keys table (one item per key under its SHA-256, `keyHash`): it only
 * looks keys up, on the request path, through the lean client. Keys are created, listed and
 * revoked by `npm run keys` and the query API through `GatewayKeyTable`, which keeps the SDK.
 */
export class GatewayKeyLookup implements GatewayKeyFinder {
  constructor(
    private readonly client: DynamoDbJsonClient,
    private readonly tableName: string,
  ) {}

  async findByHash(keyHash: string): Promise<GatewayKeyRecord | undefined> {
    // A strong read, as the SDK-based table makes: a key created a moment ago is found at once.
    const item = await this.client.getItem({ TableName: this.tableName, Key: { keyHash }, ConsistentRead: true });
    return item as GatewayKeyRecord | undefined;
  }
}
