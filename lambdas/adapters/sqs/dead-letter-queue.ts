import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DeadLetterInbox, PendingDeadLetter } from '../../core/ports/dead-letter-inbox.js';
import type { DeadLetterSink } from '../../core/ports/dead-letter-sink.js';
import { decodeDeadLetter, type DeadLetter } from '../../core/request-log/dead-letter-codec.js';
import { deadLetterMessageBody, SEND_ATTEMPTS } from './dead-letter-message.js';

/**
 * Dead-lettered log records in the SQS queue the CDK stack creates, through the SDK: for the
 * replay CLI, which reads the queue. The gateway only sends, through `dead-letter-sender.ts`.
 */
export class SqsDeadLetterQueue implements DeadLetterSink, DeadLetterInbox {
  private readonly client = new SQSClient({ maxAttempts: SEND_ATTEMPTS });

  constructor(private readonly queueUrl: string) {}

  async send(letter: DeadLetter): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: deadLetterMessageBody(letter) }));
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
