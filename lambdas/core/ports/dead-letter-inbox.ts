import type { DeadLetter } from '../request-log/dead-letter-codec.js';

/** One dead letter waiting for replay; `done()` removes it once it is safely stored. */
export interface PendingDeadLetter {
  source: string;
  /** Decodes the letter; throws when what is waiting is not a dead letter. */
  letter(): DeadLetter;
  done(): Promise<void>;
}

/** The dead letters waiting for replay (port; the same adapters as `DeadLetterSink`). */
export interface DeadLetterInbox {
  pending(): AsyncIterable<PendingDeadLetter>;
}
