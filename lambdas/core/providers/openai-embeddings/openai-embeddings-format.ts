import { tokenUsageFromOpenAiUsage } from '../openai-chat/chat-completions-usage.js';
import type { WireFormat } from '../wire-format.js';

/**
 * OpenAI Embeddings: JSON only, with usage in the Chat Completions shape (and no completion). An
 * event stream from this path is no answer Lookout knows how to read, so it is passed on unread.
 */
export const openAiEmbeddingsFormat: WireFormat = {
  sdk: 'openai',
  endpointPath: '/embeddings',
  readBufferedUsage: tokenUsageFromOpenAiUsage,
};
