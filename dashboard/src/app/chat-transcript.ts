/**
 * A logged request's bodies as a chat, where they are one: the messages sent and the answer, for
 * OpenAI's chat completions and responses, and Anthropic's messages, buffered or streamed (a
 * stored stream is its SSE text, whose deltas are joined here). Anything else is not a chat, and
 * the detail panel shows its bodies as they are.
 */

export interface ChatMessage {
  role: string;
  text: string;
}

export interface ChatTranscript {
  /** The system prompt or instructions, when there are any. */
  system: string | null;
  messages: ChatMessage[];
  /** What the model answered; null when the answer holds no message (an error, say). */
  answer: ChatMessage | null;
}

type Json = unknown;

export function chatTranscriptOf(requestBody: Json, responseBody: Json): ChatTranscript | null {
  if (!isRecord(requestBody)) return null;
  if (Array.isArray(requestBody.messages)) {
    const anthropic = 'system' in requestBody || isAnthropicAnswer(responseBody);
    const messages: ChatMessage[] = [];
    let system: string | null = anthropic ? textOf(requestBody.system) || null : null;
    for (const message of requestBody.messages) {
      if (!isRecord(message)) continue;
      const role = String(message.role ?? 'user');
      const text = messageText(message);
      if (role === 'system' || role === 'developer') system = system ? `${system}\n\n${text}` : text;
      else messages.push({ role, text });
    }
    return { system, messages, answer: answerOf(responseBody) };
  }
  if ('input' in requestBody && (typeof requestBody.input === 'string' || Array.isArray(requestBody.input))) {
    const input = requestBody.input;
    const messages: ChatMessage[] =
      typeof input === 'string'
        ? [{ role: 'user', text: input }]
        : input.filter(isRecord).map((item) => ({ role: String(item.role ?? item.type ?? 'user'), text: messageText(item) }));
    const system = typeof requestBody.instructions === 'string' ? requestBody.instructions : null;
    return { system, messages, answer: answerOf(responseBody) };
  }
  return null;
}

function answerOf(body: Json): ChatMessage | null {
  if (typeof body === 'string') return streamedAnswer(body);
  if (!isRecord(body)) return null;
  // OpenAI chat completions
  if (Array.isArray(body.choices)) {
    const choice = body.choices.find(isRecord);
    const message = choice && isRecord(choice.message) ? choice.message : undefined;
    return message ? { role: String(message.role ?? 'assistant'), text: messageText(message) } : null;
  }
  // Anthropic messages
  if (body.type === 'message' && Array.isArray(body.content)) return { role: 'assistant', text: textOf(body.content) };
  // OpenAI responses
  if (Array.isArray(body.output)) {
    const text = body.output
      .filter(isRecord)
      .map((item) => (item.type === 'message' ? textOf(item.content) : item.type === 'function_call' ? toolCallText(item) : ''))
      .filter((part) => part !== '')
      .join('\n');
    return { role: 'assistant', text };
  }
  return null;
}

/** The answer a stored SSE stream carried: the deltas of each format joined. */
function streamedAnswer(text: string): ChatMessage | null {
  let answer = '';
  let sawEvent = false;
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '' || data === '[DONE]') continue;
    let event: Json;
    try {
      event = JSON.parse(data);
    } catch {
      continue;
    }
    if (!isRecord(event)) continue;
    sawEvent = true;
    if (Array.isArray(event.choices)) {
      for (const choice of event.choices) {
        if (isRecord(choice) && isRecord(choice.delta) && typeof choice.delta.content === 'string') answer += choice.delta.content;
      }
    } else if (event.type === 'content_block_delta' && isRecord(event.delta) && typeof event.delta.text === 'string') {
      answer += event.delta.text;
    } else if (event.type === 'response.output_text.delta' && typeof event.delta === 'string') {
      answer += event.delta;
    }
  }
  return sawEvent ? { role: 'assistant', text: answer } : null;
}

function isAnthropicAnswer(body: Json): boolean {
  if (isRecord(body)) return body.type === 'message';
  return typeof body === 'string' && body.includes('event: message_start');
}

function messageText(message: Record<string, unknown>): string {
  const parts = [textOf(message.content)];
  if (Array.isArray(message.tool_calls)) parts.push(...message.tool_calls.filter(isRecord).map(toolCallText));
  if (typeof message.output === 'string') parts.push(message.output);
  return parts.filter((part) => part !== '').join('\n');
}

/** Text of a content field: a string, or blocks / parts with text (tools and images named, not dropped). */
function textOf(content: Json): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isRecord)
    .map((part) => {
      if (typeof part.text === 'string') return part.text;
      if (part.type === 'tool_use') return `[tool call ${String(part.name)}] ${JSON.stringify(part.input ?? {})}`;
      if (part.type === 'tool_result') return `[tool result] ${textOf(part.content)}`;
      if (part.type === 'image_url' || part.type === 'image' || part.type === 'input_image') return '[image]';
      return `[${String(part.type ?? 'part')}]`;
    })
    .join('\n');
}

function toolCallText(call: Record<string, unknown>): string {
  const fn = isRecord(call.function) ? call.function : call;
  return `[tool call ${String(fn.name ?? '?')}] ${typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {})}`;
}

function isRecord(value: Json): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
