import type { WireFormat } from '../wire-format.js';
import { tokenUsageFromOpenAiUsage } from './chat-completions-usage.js';
import { ChatStreamUsageReader } from './chat-stream-usage-reader.js';
import { ChatUsageStrippingTap } from './chat-usage-stripping-tap.js';
import { injectIncludeUsage } from './include-usage-injection.js';

/**
 * OpenAI Chat Completions, which most OpenAI-compatible providers serve too: JSON with a top-level
 * `usage`, or SSE chunks with usage in a final chunk that comes only when asked for
 * (`stream_options.include_usage`). Lookout asks on the client's behalf and strips what it added.
 */
export const openAiChatFormat: WireFormat = {
  sdk: 'openai',
  endpointPath: '/chat/completions',
  prepareRequest: injectIncludeUsage,
  readBufferedUsage: tokenUsageFromOpenAiUsage,
  stream: {
    createReader: () => new ChatStreamUsageReader(),
    createInjectedUsageStrippingTap: (maxEventBytes) => new ChatUsageStrippingTap(maxEventBytes),
  },
};
