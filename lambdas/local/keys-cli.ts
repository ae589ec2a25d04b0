import { parseArgs } from 'node:util';
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import { GatewayKeyTable } from '../adapters/dynamodb/gateway-key-table.js';
import { generateGatewayKey, newGatewayKeyRecord, type GatewayKeyRole } from '../core/auth/gateway-key.js';
import { requireEnv } from '../core/runtime-config.js';
import { localDataDir, runningStackEnvironment } from './local-data-dir.js';

const USAGE = `Usage:
  npm run keys -- create --name NAME [--role app|admin]
  npm run keys -- list
  npm run keys -- revoke --prefix KEY_PREFIX

Against a deployment add --table <KeysTableName output> (AWS credentials and region from the
environment). Without --table it talks to the stack that \`npm start\` runs (LOOKOUT_DATA_DIR).`;

/** `npm run keys`: create, list and revoke gateway keys. A new key is printed once, never stored. */
async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, role: { type: 'string', default: 'app' }, prefix: { type: 'string' }, table: { type: 'string' } },
  });
  const keys = keyTable(values.table);
  switch (positionals[0]) {
    case 'create': {
      if (!values.name) throw new Error(`--name is required.\n${USAGE}`);
      if (values.role !== 'app' && values.role !== 'admin') throw new Error(`--role must be app or admin, got "${values.role}".`);
      const key = generateGatewayKey();
      const record = newGatewayKeyRecord(key, values.name, values.role as GatewayKeyRole, Date.now());
      await keys.create(record);
      console.log(`Created ${record.role} key "${record.name}" (${record.keyPrefix}…). It is shown only this once:\n${key}`);
      return;
    }
    case 'list':
      for (const k of await keys.list()) {
        console.log(`${k.keyPrefix}…  ${k.role.padEnd(5)}  ${k.createdAt}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.name}`);
      }
      return;
    case 'revoke': {
      if (!values.prefix) throw new Error(`--prefix is required (see \`npm run keys -- list\`).\n${USAGE}`);
      const matches = (await keys.list()).filter((k) => k.keyPrefix === values.prefix || values.prefix!.startsWith(k.keyPrefix));
      if (matches.length !== 1) throw new Error(`${matches.length} keys match "${values.prefix}"; give a prefix that names exactly one.`);
      await keys.revoke(matches[0]!.keyHash, new Date().toISOString());
      console.log(`Revoked "${matches[0]!.name}" (${matches[0]!.keyPrefix}…).`);
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

function keyTable(table: string | undefined): GatewayKeyTable {
  if (table) return new GatewayKeyTable(createDocumentClient(process.env), table);
  const env = runningStackEnvironment(localDataDir());
  return new GatewayKeyTable(createDocumentClient(env), requireEnv(env, 'LOOKOUT_KEYS_TABLE'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
