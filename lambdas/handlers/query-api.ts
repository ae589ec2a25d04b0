import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import { GatewayKeyTable } from '../adapters/dynamodb/gateway-key-table.js';
import { RequestLogTableReader } from '../adapters/dynamodb/request-log-reader.js';
import { BodyBucket } from '../adapters/s3/body-bucket.js';
import { GatewayKeyAuthenticator } from '../app/gateway-key-authenticator.js';
import { QueryService } from '../app/query-service.js';
import { httpRequestFromEvent } from './http/http-request-from-event.js';
import { parseRuntimeConfig, requireEnv } from '../core/runtime-config.js';

const logger = new Logger({ serviceName: 'lookout-query-api' });

let service: QueryService | undefined;
function queryService(): QueryService {
  if (service) return service;
  const env = process.env;
  const config = parseRuntimeConfig(env);
  const documentClient = createDocumentClient(env);
  const keys = new GatewayKeyTable(documentClient, requireEnv(env, 'LOOKOUT_KEYS_TABLE'));
  return (service = new QueryService({
    authenticator: new GatewayKeyAuthenticator(keys, config.keyCacheTtlMs),
    reads: new RequestLogTableReader(documentClient, requireEnv(env, 'LOOKOUT_REQUEST_LOG_TABLE')),
    bodies: new BodyBucket(env, requireEnv(env, 'LOOKOUT_BODIES_BUCKET')),
    retentionDays: config.retentionDays,
    now: Date.now,
    logger,
  }));
}

/** The query API Lambda (`/v1/*`, `/healthz`): an ordinary buffered REST proxy integration. */
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event: APIGatewayProxyEvent) => {
  const response = await queryService().handle(httpRequestFromEvent(event));
  return { statusCode: response.status, headers: response.headers, body: JSON.stringify(response.body) };
});
