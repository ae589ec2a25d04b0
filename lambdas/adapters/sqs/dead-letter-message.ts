import { type DeadLetter, encodeDeadLetter } from '../../core/request-log/dead-letter-codec.js';

/** SQS caps a message at 256 KiB; a record above it goes without its inline bodies. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * Attempts per dead-letter send, the first included. The recorder sends a dead letter once,
 * after its own retries of the write have failed, so these are the only retries the letter
 * gets before it goes to the function's log.
 */
export const SEND_ATTEMPTS = 3;

/**
 * The SQS message body of a dead letter: the encoded letter, or, when that is over SQS's limit,
 * the letter without its inline bodies (bodies already in S3 keep their keys) and a reason that
 * says so. The SDK queue (`dead-letter-queue.ts`) and the gateway's lean sender
 * (`dead-letter-sender.ts`) both send this.
 */
export function deadLetterMessageBody(letter: DeadLetter): string {
  const body = encodeDeadLetter(letter);
  if (Buffer.byteLength(body) <= MAX_MESSAGE_BYTES) return body;
  const dropInline = (b: DeadLetter['record']['requestBody']) => (b && !('s3Key' in b) ? null : b);
  return encodeDeadLetter({
    ...letter,
    reason: `${letter.reason}; inline bodies dropped to fit SQS's 256 KiB limit`,
    record: {
      ...letter.record,
      requestBody: dropInline(letter.record.requestBody),
      responseBody: dropInline(letter.record.responseBody),
    },
  });
}
