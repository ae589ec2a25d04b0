import type { DeadLetter } from '../request-log/dead-letter-codec.js';

/** Where a log record goes when it could not be stored (port; SQS in AWS, a spool directory locally). */
export interface DeadLetterSink {
  send(letter: DeadLetter): Promise<void>;
}
