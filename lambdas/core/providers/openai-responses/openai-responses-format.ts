import type { WireFormat } from '../wire-format.js';
import { ResponsesStreamUsageReader } from './responses-stream-usage-reader.js';
import { tokenUsageFromResponsesUsage } from './responses-usage.js';

/**
 * The OpenAI Responses API: JSON with a top-level `usage`, or SSE events with usage in
 * `response.completed` (or `.incomplete`, `.failed`). Its sub-resources (`/responses/{id}`) are
 * not generations and are not this format.
 */
export const openAiResponsesFormat: WireFormat = {
  sdk: 'openai',
  endpointPath: '/responses',
  readBufferedUsage: tokenUsageFromResponsesUsage,
  stream: { createReader: () => new ResponsesStreamUsageReader() },
};
