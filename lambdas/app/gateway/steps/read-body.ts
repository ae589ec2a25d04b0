import { LookoutError } from '../../../core/lookout-error.js';
import type { RuntimeConfig } from '../../../contract/runtime-config-schema.js';
import type { GatewayStep } from '../gateway-context.js';

const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

/**
 * Bounds the body (413 over `maxBodyBytes`) and parses it when it is JSON (400 when it does not
 * parse). A body without a content type is read as JSON; other bodies pass through unread.
 */
export function readBody(config: Pick<RuntimeConfig, 'maxBodyBytes'>): GatewayStep {
  return (context, next) => {
    const { body, headers } = context.request;
    if (body.length > config.maxBodyBytes) {
      throw new LookoutError(413, 'payload_too_large', `The request body is over the ${config.maxBodyBytes}-byte limit.`);
    }
    const contentType = headers['content-type'];
    const isJson = contentType ? JSON_CONTENT_TYPE.test(contentType) : body.length > 0;
    if (isJson && body.length > 0) {
      try {
        context.json = JSON.parse(body.toString('utf8'));
      } catch (error) {
        throw new LookoutError(400, 'invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
      }
    }
    return next();
  };
}
