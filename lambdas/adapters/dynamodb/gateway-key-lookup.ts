import type { GatewayKeyRecord } from '../../core/auth/gateway-key.js';
import type { GatewayKeyStore } from '../../core/ports/gateway-key-store.js';
import type { DynamoDbJsonClient } from './dynamodb-json-client.js';

/**
 * The gateway's side of the keys table (one item per key under its SHA-256, `keyHash`): it only
 * looks keys up, on the request path, through the lean client. Keys are created, listed and
 * revoked by `npm run keys` through `GatewayKeyTable`, which keeps the SDK; here those calls fail
 * rather than pull the SDK into the gateway's bundle for something the gateway never does.
 */
export class GatewayKeyLookup implements GatewayKeyStore {
  constructor(
    private readonly client: DynamoDbJsonClient,
    private readonly tableName: string,
  ) {}

  async findByHash(keyHash: string): Promise<GatewayKeyRecord | undefined> {
    // A strong read, as the SDK-based table makes: a key created a moment ago is found at once.
    const item = await this.client.getItem({ TableName: this.tableName, Key: { keyHash }, ConsistentRead: true });
    return item as GatewayKeyRecord | undefined;
  }

  async create(_record: GatewayKeyRecord): Promise<void> {
    throw readOnly('create');
  }

  async list(): Promise<GatewayKeyRecord[]> {
    throw readOnly('list');
  }

  async revoke(_keyHash: string, _revokedAt: string): Promise<boolean> {
    throw readOnly('revoke');
  }
}

function readOnly(operation: string): Error {
  return new Error(`the gateway only looks keys up; ${operation} keys with \`npm run keys\` (GatewayKeyTable)`);
}
