import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeDeadLetter, encodeDeadLetter, type DeadLetter } from '../../core/request-log/dead-letter-codec.js';
import type { DeadLetterInbox, PendingDeadLetter } from '../../core/ports/dead-letter-inbox.js';
import type { DeadLetterSink } from '../../core/ports/dead-letter-sink.js';

/**
 * Dead-lettered log records as one JSON file each in a directory (the local stand-in for SQS).
 * Files are written under a temporary name and renamed, so a reader never sees half a record.
 */
export class DeadLetterSpool implements DeadLetterSink, DeadLetterInbox {
  constructor(private readonly directory: string) {}

  async send(letter: DeadLetter): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const name = `${letter.record.createdAtMs}-${letter.record.id}.json`;
    const temporary = join(this.directory, `.${name}.${process.pid}.tmp`);
    await writeFile(temporary, encodeDeadLetter(letter));
    await rename(temporary, join(this.directory, name));
  }

  async *pending(): AsyncIterable<PendingDeadLetter> {
    let names: string[];
    try {
      names = (await readdir(this.directory)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const name of names) {
      const path = join(this.directory, name);
      const text = await readFile(path, 'utf8');
      yield { source: path, letter: () => decodeDeadLetter(text), done: () => unlink(path) };
    }
  }
}
