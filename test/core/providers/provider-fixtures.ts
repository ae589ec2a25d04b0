/**
 * Provider answers shaped like the real ones (field order, spacing, escapes as the providers send
 * them), built in code so each stream exists in the variants a test compares.
 */

const CHAT_ID = 'chatcmpl-BzQ4r8Xq2mT0vLw9KcNfYh3JdEa7u';
const CHAT_MODEL = 'gpt-4o-2024-08-06';

/** Chat Completions stream chunks; `{u}` marks where `include_usage` puts `,"usage":null`. */
const chatChunkTemplates = [
  `{"id":"${CHAT_ID}","object":"chat.completion.chunk","created":1741570283,"model":"${CHAT_MODEL}","service_tier":"default","system_fingerprint":"fp_4691090a87","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]{u},"obfuscation":"Qd8f"}`,
  // Python-style escapes (`\u00fc`) must reach the client as escapes, not re-encoded.
  `{"id":"${CHAT_ID}","object":"chat.completion.chunk","created":1741570283,"model":"${CHAT_MODEL}","service_tier":"default","system_fingerprint":"fp_4691090a87","choices":[{"index":0,"delta":{"content":"Gr\\u00fc\\u00df dich"},"logprobs":null,"finish_reason":null}]{u},"obfuscation":"x1"}`,
  // Raw multi-byte UTF-8, so random splits land inside code points.
  `{"id":"${CHAT_ID}","object":"chat.completion.chunk","created":1741570283,"model":"${CHAT_MODEL}","service_tier":"default","system_fingerprint":"fp_4691090a87","choices":[{"index":0,"delta":{"content":" 👋 — « ça va ? » 你好"},"logprobs":null,"finish_reason":null}]{u},"obfuscation":"ZbW0aQ"}`,
  // Text that looks like the member being removed must survive untouched.
  `{"id":"${CHAT_ID}","object":"chat.completion.chunk","created":1741570283,"model":"${CHAT_MODEL}","service_tier":"default","system_fingerprint":"fp_4691090a87","choices":[{"index":0,"delta":{"content":" {\\"usage\\":null}"},"logprobs":null,"finish_reason":null}]{u},"obfuscation":"p"}`,
  `{"id":"${CHAT_ID}","object":"chat.completion.chunk","created":1741570283,"model":"${CHAT_MODEL}","service_tier":"default","system_fingerprint":"fp_4691090a87","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]{u},"obfuscation":"mN3"}`,
];

const chatUsageChunk = `{"id":"${CHAT_ID}","object":"chat.completion.chunk","created":1741570283,"model":"${CHAT_MODEL}","service_tier":"default","system_fingerprint":"fp_4691090a87","choices":[],"usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,"prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"obfuscation":"t7Yk"}`;

export const chatStreamUsage = {
  promptTokens: 2006,
  completionTokens: 300,
  cachedTokens: 1920,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  totalTokens: 2306,
};
export const chatStreamModel = CHAT_MODEL;

/**
 * A Chat Completions stream as OpenAI sends it, with or without `include_usage`, optionally with
 * CRLF line ends (some OpenAI-compatible servers use them).
 */
export function chatStream(options: { includeUsage: boolean; newline?: '\n' | '\r\n' }): string {
  const nl = options.newline ?? '\n';
  const chunks = chatChunkTemplates.map((t) => t.replace('{u}', options.includeUsage ? ',"usage":null' : ''));
  if (options.includeUsage) chunks.push(chatUsageChunk);
  return [...chunks, '[DONE]'].map((data) => `data: ${data}${nl}${nl}`).join('');
}

/** A non-streamed Chat Completion, pretty-printed as OpenAI returns it. */
export const chatCompletionBody = `{
  "id": "chatcmpl-BzQ5aT1kLmNoPqRsTuVwXyZ012345",
  "object": "chat.completion",
  "created": 1741570300,
  "model": "gpt-4o-mini-2024-07-18",
  "choices": [
    {
      "index": 0,
      "message": {
        "role": "assistant",
        "content": "The \\"usage\\" field is {\\"model\\": \\"not this one\\"}.",
        "refusal": null,
        "annotations": []
      },
      "logprobs": null,
      "finish_reason": "stop"
    }
  ],
  "usage": {
    "prompt_tokens": 1536,
    "completion_tokens": 42,
    "total_tokens": 1578,
    "prompt_tokens_details": {
      "cached_tokens": 1280,
      "audio_tokens": 0
    },
    "completion_tokens_details": {
      "reasoning_tokens": 0,
      "audio_tokens": 0,
      "accepted_prediction_tokens": 0,
      "rejected_prediction_tokens": 0
    }
  },
  "service_tier": "default",
  "system_fingerprint": "fp_06737a9306"
}
`;

const responseId = 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b';
const responseBase = (status: string, usage: string, output: string) =>
  `{"id":"${responseId}","object":"response","created_at":1741476542,"status":"${status}","background":false,"error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"o4-mini-2025-04-16","output":${output},"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":"medium","summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":${usage},"user":null,"metadata":{}}`;
const responsesOutput = `[{"id":"rs_67ccd2bf","type":"reasoning","summary":[]},{"id":"msg_67ccd2bf17f0","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Über den Wolken.","annotations":[]}]}]`;
const responsesUsage = `{"input_tokens":3120,"input_tokens_details":{"cached_tokens":2048},"output_tokens":412,"output_tokens_details":{"reasoning_tokens":384},"total_tokens":3532}`;

export const responsesUsageExpected = {
  promptTokens: 3120,
  completionTokens: 412,
  cachedTokens: 2048,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  totalTokens: 3532,
};

/** A streamed Responses API answer, `event:` lines and all. */
export function responsesStream(terminal: 'response.completed' | 'response.incomplete' = 'response.completed'): string {
  const events: [string, string][] = [
    ['response.created', `{"type":"response.created","sequence_number":0,"response":${responseBase('in_progress', 'null', '[]')}}`],
    ['response.in_progress', `{"type":"response.in_progress","sequence_number":1,"response":${responseBase('in_progress', 'null', '[]')}}`],
    [
      'response.output_item.added',
      `{"type":"response.output_item.added","sequence_number":2,"output_index":1,"item":{"id":"msg_67ccd2bf17f0","type":"message","status":"in_progress","role":"assistant","content":[]}}`,
    ],
    [
      'response.output_text.delta',
      `{"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_67ccd2bf17f0","output_index":1,"content_index":0,"delta":"Über den"}`,
    ],
    [
      'response.output_text.delta',
      `{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_67ccd2bf17f0","output_index":1,"content_index":0,"delta":" Wolken."}`,
    ],
    [
      'response.output_text.done',
      `{"type":"response.output_text.done","sequence_number":5,"item_id":"msg_67ccd2bf17f0","output_index":1,"content_index":0,"text":"Über den Wolken."}`,
    ],
    [
      terminal,
      `{"type":"${terminal}","sequence_number":6,"response":${responseBase(terminal === 'response.completed' ? 'completed' : 'incomplete', responsesUsage, responsesOutput)}}`,
    ],
  ];
  return events.map(([name, data]) => `event: ${name}\ndata: ${data}\n\n`).join('');
}

/** A non-streamed Responses API answer. */
export const responsesBody = responseBase('completed', responsesUsage, responsesOutput);

/** A streamed Anthropic message that read 1 800 cached tokens and wrote 5-minute and 1-hour entries. */
export function anthropicStream(options: { deltaRepeatsInput: boolean }): string {
  const deltaUsage = options.deltaRepeatsInput
    ? `{"input_tokens":12,"cache_creation_input_tokens":2500,"cache_read_input_tokens":1800,"output_tokens":87,"server_tool_use":null}`
    : `{"output_tokens":87}`;
  const events: [string, string][] = [
    [
      'message_start',
      `{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":2500,"cache_read_input_tokens":1800,"cache_creation":{"ephemeral_5m_input_tokens":500,"ephemeral_1h_input_tokens":2000},"output_tokens":1,"service_tier":"standard"}}}`,
    ],
    ['content_block_start', `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`],
    ['ping', `{"type": "ping"}`],
    ['content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Bonjour — "}}`],
    ['content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"how can I help? 🙂"}}`],
    ['content_block_stop', `{"type":"content_block_stop","index":0}`],
    ['message_delta', `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":${deltaUsage}}`],
    ['message_stop', `{"type":"message_stop"}`],
  ];
  return events.map(([name, data]) => `event: ${name}\ndata: ${data}\n\n`).join('');
}

export const anthropicStreamUsage = {
  promptTokens: 12 + 1800 + 2500,
  completionTokens: 87,
  cachedTokens: 1800,
  cacheWriteTokens: 2500,
  cacheWrite1hTokens: 2000,
  totalTokens: 12 + 1800 + 2500 + 87,
};

/** A non-streamed Anthropic message with a 5-minute cache write only. */
export const anthropicMessageBody = JSON.stringify({
  id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5-20251001',
  content: [{ type: 'text', text: 'Hi! My usage: {"input_tokens": 999999}' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: {
    input_tokens: 25,
    cache_creation_input_tokens: 1024,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 1024, ephemeral_1h_input_tokens: 0 },
    output_tokens: 13,
    service_tier: 'standard',
  },
});

/** An Embeddings answer with `count` vectors of `dimensions` floats. */
export function embeddingsBody(count: number, dimensions: number): string {
  const vector = Array.from({ length: dimensions }, (_, i) => ((i * 7919) % 2000) / 1e5 - 0.01);
  const data = Array.from({ length: count }, (_, index) => ({ object: 'embedding', index, embedding: vector }));
  return JSON.stringify(
    { object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: 8 * count, total_tokens: 8 * count } },
    null,
    2,
  );
}

/** OpenAI's error body, e.g. for a bad API key. */
export const openAiErrorBody = `{
  "error": {
    "message": "Incorrect API key provided: sk-abc. You can find your API key at https://platform.openai.com/account/api-keys.",
    "type": "invalid_request_error",
    "param": null,
    "code": "invalid_api_key"
  }
}
`;
