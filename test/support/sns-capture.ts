/**
 * A loopback stand-in for SNS's Publish, for the SNS adapter's tests and the end-to-end alert
 * tests. SNS has no local server (DESIGN.md), so this is not SNS: it decodes the request the
 * real SDK client sends and answers what SNS would, so the SDK is satisfied, and the tests read
 * what was published.
 *
 * The installed `@aws-sdk/client-sns` speaks the AWS query protocol (checked: it has not moved to
 * JSON): a form-encoded POST to `/` of `Action=Publish&Version=2010-03-31&TopicArn=…&Message=…
 * &Subject=…&MessageAttributes.entry.1.Name=…&MessageAttributes.entry.1.Value.DataType=String
 * &MessageAttributes.entry.1.Value.StringValue=…`, signed with SigV4 for `sns`, answered with a
 * `PublishResponse` XML document (an `ErrorResponse` for a refusal). A request in another shape
 * (a JSON protocol, another action) is refused with a 400 that names what came, so a change of
 * protocol in a later SDK shows as a failing test rather than as nothing published.
 *
 * It checks what SNS checks of a Publish that a test could get wrong: a topic ARN (one of
 * `topicArns` when given, else `NotFound`), a non-empty message, a subject without line breaks or
 * control characters and under 100 characters, attribute values that are not empty. A test can
 * script the next answers as SNS errors (`failNext`), e.g. a `500 InternalFailure` or a
 * `400 Throttling`.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';

/** One message attribute as it was sent. */
export interface PublishedAttribute {
  dataType: string;
  stringValue?: string;
  /** Base64, as the query protocol carries it. */
  binaryValue?: string;
}

/** A Publish the capture accepted. */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  message: string;
  subject: string | undefined;
  attributes: Record<string, PublishedAttribute>;
  /** Every form field as it arrived (MessageStructure, MessageGroupId, … included). */
  parameters: Record<string, string>;
  headers: IncomingHttpHeaders;
}

/** An SNS error to answer with. */
export interface SnsErrorAnswer {
  status: number;
  /** SNS's error code: `InternalFailure`, `Throttling`, `NotFound`, `AuthorizationError`, … */
  code: string;
  message?: string;
}

const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export class SnsCapture {
  /** Every Publish accepted, oldest first. */
  readonly published: PublishedMessage[] = [];
  /** Every request that arrived, accepted or not, with its body as it came. */
  readonly requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  private readonly failures: SnsErrorAnswer[] = [];
  private nextId = 1;

  private constructor(
    private readonly server: Server,
    private readonly topicArns: ReadonlySet<string> | undefined,
  ) {}

  /** A capture on a free loopback port; `topicArns`, when given, are the only topics that exist. */
  static async start({ topicArns }: { topicArns?: readonly string[] } = {}): Promise<SnsCapture> {
    const server = createServer();
    const capture = new SnsCapture(server, topicArns && new Set(topicArns));
    server.on('request', async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      capture.requests.push({ headers: request.headers, body });
      capture.answer(request.method!, request.url!, request.headers, body, response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return capture;
  }

  /** What an SNS client's `endpoint` (or `LOOKOUT_SNS_ENDPOINT`) is set to. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** The next Publish requests are answered with these errors, in order (and not recorded as published). */
  failNext(...answers: SnsErrorAnswer[]): void {
    this.failures.push(...answers);
  }

  /** Forgets what was received and any scripted failures left. */
  reset(): void {
    this.published.length = 0;
    this.requests.length = 0;
    this.failures.length = 0;
  }

  async stop(): Promise<void> {
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }

  private answer(method: string, path: string, headers: IncomingHttpHeaders, body: string, response: ServerResponse): void {
    const refuse = (status: number, code: string, message: string) => respondWithError(response, { status, code, message });
    if (method !== 'POST' || path !== '/') return refuse(400, 'InvalidAction', `expected POST /, got ${method} ${path}`);
    if (!String(headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return refuse(
        400,
        'InvalidAction',
        `expected the query protocol's form body, got content-type ${headers['content-type']}: ${body.slice(0, 200)}`,
      );
    if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/sns\/aws4_request,/.test(String(headers.authorization)))
      return refuse(403, 'IncompleteSignature', `expected a SigV4 signature for sns, got ${headers.authorization}`);
    const parameters = Object.fromEntries(new URLSearchParams(body));
    if (parameters.Action !== 'Publish') return refuse(400, 'InvalidAction', `only Publish is captured, got ${parameters.Action}`);
    if (parameters.Version !== '2010-03-31') return refuse(400, 'InvalidParameterValue', `API version ${parameters.Version}`);

    const topicArn = parameters.TopicArn ?? '';
    if (!TOPIC_ARN.test(topicArn)) return refuse(400, 'InvalidParameter', `Invalid parameter: TopicArn ${topicArn}`);
    if (this.topicArns && !this.topicArns.has(topicArn)) return refuse(404, 'NotFound', 'Topic does not exist');
    const message = parameters.Message ?? '';
    if (message === '') return refuse(400, 'InvalidParameter', 'Invalid parameter: Empty message');
    const subject = parameters.Subject;
    if (subject !== undefined && (subject === '' || subject.length >= 100 || /[\p{Cc}]/u.test(subject)))
      return refuse(400, 'InvalidParameter', 'Invalid parameter: Subject');
    const attributes = attributesOf(parameters);
    for (const [name, attribute] of Object.entries(attributes)) {
      if (!attribute.stringValue && !attribute.binaryValue)
        return refuse(400, 'ParameterValueInvalid', `The message attribute '${name}' must contain non-empty message attribute value.`);
    }

    const failure = this.failures.shift();
    if (failure) return respondWithError(response, failure);
    const messageId = `00000000-0000-4000-8000-${String(this.nextId++).padStart(12, '0')}`;
    this.published.push({ messageId, topicArn, message, subject, attributes, parameters, headers });
    response
      .writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': `request-${messageId}` })
      .end(
        `<PublishResponse xmlns="${SNS_XMLNS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
          `<ResponseMetadata><RequestId>request-${messageId}</RequestId></ResponseMetadata></PublishResponse>`,
      );
  }
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`, by name. */
function attributesOf(parameters: Record<string, string>): Record<string, PublishedAttribute> {
  const attributes: Record<string, PublishedAttribute> = {};
  for (let n = 1; parameters[`MessageAttributes.entry.${n}.Name`] !== undefined; n++) {
    const prefix = `MessageAttributes.entry.${n}`;
    const stringValue = parameters[`${prefix}.Value.StringValue`];
    const binaryValue = parameters[`${prefix}.Value.BinaryValue`];
    attributes[parameters[`${prefix}.Name`]!] = {
      dataType: parameters[`${prefix}.Value.DataType`] ?? '',
      ...(stringValue !== undefined ? { stringValue } : {}),
      ...(binaryValue !== undefined ? { binaryValue } : {}),
    };
  }
  return attributes;
}

function respondWithError(response: ServerResponse, { status, code, message = code }: SnsErrorAnswer): void {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  response
    .writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'request-error' })
    .end(
      `<ErrorResponse xmlns="${SNS_XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>` +
        '<RequestId>request-error</RequestId></ErrorResponse>',
    );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
