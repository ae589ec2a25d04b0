import { DeadLetterSpool } from '../adapters/spool/dead-letter-spool.js';
import { localDataDir } from './local-data-dir.js';
import { localDeadLetterDir } from './local-stack.js';

/**
 * The line `npm start` prints when request logs wait in the dead-letter spool, with the command
 * that stores them; undefined when the spool is empty. Replaying needs the stack up, so after a
 * stop (`whenStopped`) the line says to run it once Lookout runs again.
 */
export async function deadLetterNotice(
  env: Readonly<Record<string, string | undefined>>,
  whenStopped = false,
): Promise<string | undefined> {
  const directory = localDeadLetterDir(localDataDir(env));
  let count = 0;
  for await (const _ of new DeadLetterSpool(directory).pending()) count++;
  if (count === 0) return undefined;
  const dataDirPrefix = localDataDir(env) !== localDataDir({}) ? `LOOKOUT_DATA_DIR=${shellWord(localDataDir(env))} ` : '';
  const waiting = count === 1 ? '1 request log is waiting' : `${count} request logs are waiting`;
  return `${waiting} in the dead-letter spool (${directory}); store ${count === 1 ? 'it' : 'them'} with \`${dataDirPrefix}npm run logs:replay\`${whenStopped ? ' once Lookout runs again' : ''}.`;
}

/** The value as one word a POSIX shell reads back unchanged, so the printed command can be pasted. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
