import { anthropicMessagesFormat } from './anthropic-messages/anthropic-messages-format.js';
import { openAiChatFormat } from './openai-chat/openai-chat-format.js';
import { openAiEmbeddingsFormat } from './openai-embeddings/openai-embeddings-format.js';
import { openAiResponsesFormat } from './openai-responses/openai-responses-format.js';
import type { WireFormat } from './wire-format.js';

/**
 * The wire formats Lookout reads usage from, by the id the request pipeline carries. A new format
 * is a folder beside these (its `WireFormat` and the readers it names) and one line here.
 */
export const wireFormats = {
  'openai.chat': openAiChatFormat,
  'openai.responses': openAiResponsesFormat,
  'openai.embeddings': openAiEmbeddingsFormat,
  'anthropic.messages': anthropicMessagesFormat,
} as const satisfies Record<string, WireFormat>;

/** The id of a registered wire format. */
export type WireFormatId = keyof typeof wireFormats;

/** A request's wire format, or `other`: anything else, passed through untouched, with no usage. */
export type EndpointKind = WireFormatId | 'other';

const registered = Object.entries(wireFormats) as [WireFormatId, WireFormat][];

/** The wire format of an endpoint kind; null for `other`. */
export function wireFormatOf(kind: EndpointKind): WireFormat | null {
  return kind === 'other' ? null : wireFormats[kind];
}

/**
 * The endpoint kind of a request path (query string allowed). Only the path decides, because
 * OpenAI- and Anthropic-compatible providers serve the same wire format under the same path ends,
 * often behind a prefix (`/openai/v1/chat/completions`, Azure's `/openai/deployments/x/...`,
 * `/anthropic/v1/messages`). Sub-resources such as `/v1/responses/{id}` or
 * `/v1/messages/count_tokens` are `other`: they are not billed generations.
 */
export function classifyEndpoint(path: string): EndpointKind {
  const query = path.search(/[?#]/);
  const pathname = (query === -1 ? path : path.slice(0, query)).replace(/\/+$/, '');
  for (const [id, format] of registered) {
    if (pathname.endsWith(format.endpointPath)) return id;
  }
  return 'other';
}
