import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { decodeDeadLetter, encodeDeadLetter, type DeadLetter } from '../../core/request-log/dead-letter-codec.js';
import type { DeadLetterInbox, PendingDeadLetter } from '../../core/ports/dead-letter-inbox.js';
import type { DeadLetterSink } from '../../core/ports/dead-letter-sink.js';

/** SQS caps a message at 256 KiB; a record above it goes without its inline bodies. */
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * The recorder sends a dead letter once, after its own retries of the write have failed: the
 * SDK's retries are the only ones the letter gets.
 */
const SEND_ATTEMPTS = 3;

/** Dead-lettered log records in the SQS queue the CDK stack creates. */
export class SqsDeadLetterQueue implements DeadLetterSink, DeadLetterInbox {
  private readonly client = new SQSClient({ maxAttempts: SEND_ATTEMPTS });

  constructor(private readonly queueUrl: string) {}

  async send(letter: DeadLetter): Promise<void> {
    let body = encodeDeadLetter(letter);
    if (Buffer.byteLength(body) > MAX_MESSAGE_BYTES) {
      const dropInline = (b: DeadLetter['record']['requestBody']) => (b && !('s3Key' in b) ? null : b);
      body = encodeDeadLetter({
        ...letter,
        reason: `${letter.reason}; inline bodies dropped to fit SQS's 256 KiB limit`,
        record: {
          ...letter.record,
          requestBody: dropInline(letter.record.requestBody),
          responseBody: dropInline(letter.record.responseBody),
        },
      });
    }
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
  }

  async *pending(): AsyncIterable<PendingDeadLetter> {
    for (;;) {
      const { Messages = [] } = await this.client.send(
        new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }),
      );
      if (Messages.length === 0) return;
      for (const message of Messages) {
        yield {
          source: message.MessageId ?? 'sqs message',
          letter: () => decodeDeadLetter(message.Body ?? ''),
          done: async () => {
            await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.ReceiptHandle }));
          },
        };
      }
    }
  }
}
