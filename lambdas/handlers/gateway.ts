import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/StreamifyResponse';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import { GatewayKeyTable } from '../adapters/dynamodb/gateway-key-table.js';
import { requestLogAdaptersFromEnv } from '../adapters/request-log-adapters.js';
import { resolveHostAddresses, sendUpstream } from '../adapters/upstream-http.js';
import { GatewayKeyAuthenticator } from '../app/gateway-key-authenticator.js';
import { GatewayService, type GatewayResponse } from '../app/gateway-service.js';
import { RequestLogRecorder } from '../app/request-log-recorder.js';
import { httpRequestFromEvent } from './http/http-request-from-event.js';
import { parseRuntimeConfig, requireEnv } from '../core/runtime-config.js';

const logger = new Logger({ serviceName: 'lookout-gateway' });

/** Backoff between request-log write attempts before the record is dead-lettered. */
const LOG_RETRY_DELAYS_MS = [100, 400, 1_600];

let service: GatewayService | undefined;
function gatewayService(): GatewayService {
  if (service) return service;
  const env = process.env;
  const config = parseRuntimeConfig(env);
  const keys = new GatewayKeyTable(createDocumentClient(env), requireEnv(env, 'LOOKOUT_KEYS_TABLE'));
  const recorder = new RequestLogRecorder({ ...requestLogAdaptersFromEnv(env), retryDelaysMs: LOG_RETRY_DELAYS_MS, logger, now: Date.now });
  return (service = new GatewayService({
    config,
    authenticator: new GatewayKeyAuthenticator(keys, config.keyCacheTtlMs),
    sendUpstream,
    resolveHostAddresses,
    recordRequest: (record, bodies) => recorder.record(record, bodies),
    logger,
    newRequestId: randomUUID,
    now: Date.now,
  }));
}

/** Work that must finish after the client has its last byte (the request log), by invocation. */
const afterResponse = new WeakMap<Context, Promise<void>>();

export const handler = middy<APIGatewayProxyEvent, GatewayResponse>({
  executionMode: executionModeStreamifyResponse,
  requestEnd: async (request: { context: Context }) => afterResponse.get(request.context),
}).handler(async (event: APIGatewayProxyEvent, context: Context) => {
  const handled = await gatewayService().handle(httpRequestFromEvent(event));
  afterResponse.set(context, handled.afterResponse);
  return handled.response;
});
