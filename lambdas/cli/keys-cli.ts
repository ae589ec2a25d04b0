import { parseArgs } from 'node:util';
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import { GatewayKeyTable } from '../adapters/dynamodb/gateway-key-table.js';
import { EnvironmentVariable } from '../contract/environment-variables.js';
import { loadLookoutConfig } from '../contract/lookout-config-file.js';
import { generateGatewayKey, newGatewayKeyRecord, type GatewayKeyRole } from '../core/auth/gateway-key.js';
import { parseRuntimeConfig, requireEnv } from '../core/runtime-config.js';
import { localDataDir, runningStackEnvironment } from '../local/local-data-dir.js';
import { runCli, UsageError } from './run-cli.js';

const USAGE = `Usage:
  npm run keys -- create --name NAME [--role app|admin]   create a key, printed once and never stored
                                                          (app: proxy routes; admin: also the query API)
  npm run keys -- list                                    list keys: prefix, role, created, status, name
  npm run keys -- revoke --prefix KEY_PREFIX              revoke the key with that prefix (from list)

Without --table it acts on the local stack that \`npm start\` runs under ${localDataDir()}
(LOOKOUT_DATA_DIR, with the same default as npm start). Against a deployment add
--table <KeysTableName output>; AWS credentials and region come from the environment.`;

/** Where the keys are, and how long gateways there trust a verified key (`keyCacheTtlMs`). */
interface KeyStore {
  keys: GatewayKeyTable;
  where: string;
  keyCacheTtlMs(): Promise<number>;
}

/** `npm run keys`: create, list and revoke gateway keys. A new key is printed once, never stored. */
async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, role: { type: 'string', default: 'app' }, prefix: { type: 'string' }, table: { type: 'string' } },
  });
  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  switch (command) {
    case 'create': {
      if (!values.name) throw new UsageError('--name is required.');
      if (values.role !== 'app' && values.role !== 'admin') throw new UsageError(`--role must be app or admin, got "${values.role}".`);
      const { keys } = await keyStore(values.table);
      const key = generateGatewayKey();
      const record = newGatewayKeyRecord(key, values.name, values.role as GatewayKeyRole, Date.now());
      await keys.create(record);
      console.log(`Created ${record.role} key "${record.name}" (${record.keyPrefix}…). It is shown only this once:\n${key}`);
      return;
    }
    case 'list': {
      const { keys, where } = await keyStore(values.table);
      const listed = await keys.list();
      if (listed.length === 0) console.log(`No keys in ${where} yet; create one with \`npm run keys -- create --name NAME\`.`);
      for (const k of listed) {
        console.log(
          `${k.keyPrefix}…  ${k.role.padEnd(5)}  ${k.createdAt}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.name}`,
        );
      }
      return;
    }
    case 'revoke': {
      if (!values.prefix) throw new UsageError('--prefix is required (see `npm run keys -- list`).');
      const prefix = values.prefix;
      const store = await keyStore(values.table);
      const ttlMs = await store.keyCacheTtlMs();
      const matches = (await store.keys.list()).filter((k) => k.keyPrefix === prefix || prefix.startsWith(k.keyPrefix));
      if (matches.length !== 1) throw new Error(`${matches.length} keys match "${prefix}"; give a prefix that names exactly one.`);
      const match = matches[0]!;
      await store.keys.revoke(match.keyHash, new Date().toISOString());
      console.log(`Revoked "${match.name}" (${match.keyPrefix}…). ${stopsWorking(ttlMs)}`);
      return;
    }
    case undefined:
      throw new UsageError('Give a command: create, list or revoke.');
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

async function keyStore(table: string | undefined): Promise<KeyStore> {
  if (table) {
    return {
      keys: new GatewayKeyTable(createDocumentClient(process.env), table),
      where: table,
      // The deployed config is the one in this checkout, as far as this tool can know.
      keyCacheTtlMs: async () => (await loadLookoutConfig()).keyCacheTtlMs,
    };
  }
  const dataDir = localDataDir();
  const env = await runningStackEnvironment(dataDir, '--table');
  return {
    keys: new GatewayKeyTable(createDocumentClient(env), requireEnv(env, EnvironmentVariable.keysTable)),
    where: `the local stack under ${dataDir}`,
    // The config the running stack was started with, which may be older than lookout.config.ts.
    keyCacheTtlMs: async () => parseRuntimeConfig(env).keyCacheTtlMs,
  };
}

function stopsWorking(ttlMs: number): string {
  if (ttlMs === 0) return 'It stops working at once (keyCacheTtlMs is 0).';
  const duration = ttlMs < 1000 ? `${ttlMs} ms` : `${Number((ttlMs / 1000).toFixed(1))} s`;
  return `It stops working within ${duration} (keyCacheTtlMs), as running gateways cache verified keys.`;
}

runCli(USAGE, main);
