import type { WireFormat } from '../wire-format.js';
import { AnthropicStreamUsageReader } from './anthropic-stream-usage-reader.js';
import { tokenUsageFromAnthropicUsage } from './anthropic-usage.js';

/**
 * Anthropic Messages: JSON with a top-level `usage`, or SSE with usage in `message_start` and
 * `message_delta`. Sub-resources (`/v1/messages/count_tokens`, `/batches`) are not this format.
 */
export const anthropicMessagesFormat: WireFormat = {
  sdk: 'anthropic',
  endpointPath: '/v1/messages',
  readBufferedUsage: tokenUsageFromAnthropicUsage,
  stream: { createReader: () => new AnthropicStreamUsageReader() },
};
