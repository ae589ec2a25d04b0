import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file in a data dir that says which process runs a stack on it, and where. */
export const DATA_DIR_LOCK_FILE = 'lookout.lock';

interface LockHolder {
  pid: number;
  url: string | null;
  /** Tells this holder's file from a later one, so release never removes someone else's lock. */
  token: string;
}

export interface DataDirLock {
  /** Records the URL once the stack listens, for the message a second start prints. */
  setUrl(url: string): void;
  release(): void;
}

/**
 * Lock files held by this process. A lock naming our own pid that we do not hold is stale: a
 * container restarted on the same data dir tends to get the same pid as the one that was killed.
 */
const heldByThisProcess = new Set<string>();

/**
 * Takes `dataDir` for one stack: two DynamoDB Locals on one database file would corrupt it.
 * A lock left by a process that died without releasing it (SIGKILL, a crash) is taken over.
 */
export function lockDataDir(dataDir: string, url: string | null): DataDirLock {
  const path = join(dataDir, DATA_DIR_LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, url, token: randomUUID() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusively(path, holder)) {
      heldByThisProcess.add(path);
      return {
        setUrl(newUrl) {
          holder.url = newUrl;
          replaceAtomically(path, holder);
        },
        release() {
          heldByThisProcess.delete(path);
          if (readHolder(path)?.token === holder.token) rmSync(path, { force: true });
        },
      };
    }
    const current = readHolder(path);
    if (current && isRunning(current, path)) {
      const where = current.url ? `is running on this data dir at ${current.url}` : 'is starting on this data dir';
      throw new Error(`another Lookout ${where} (pid ${current.pid}; if it is not running, delete ${path})`);
    }
    rmSync(path, { force: true });
  }
  throw new Error(`could not take ${path}: other processes keep taking it`);
}

/** Written under a temporary name and linked into place, so no reader ever sees half a lock file. */
function createExclusively(path: string, holder: LockHolder): boolean {
  const temporary = `${path}.${holder.token}.tmp`;
  writeFileSync(temporary, JSON.stringify(holder));
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

function replaceAtomically(path: string, holder: LockHolder): void {
  const temporary = `${path}.${holder.token}.tmp`;
  writeFileSync(temporary, JSON.stringify(holder));
  renameSync(temporary, path);
}

/** The holder, or undefined when there is no lock or it cannot be read (treated as stale). */
function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return Number.isInteger(parsed.pid) && typeof parsed.token === 'string' ? (parsed as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(holder: LockHolder, path: string): boolean {
  if (holder.pid === process.pid) return heldByThisProcess.has(path);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
