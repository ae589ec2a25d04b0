import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { LookoutError } from '../../core/lookout-error.js';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** What a body check takes: the body's schema, and how to name what is wrong with one. */
export interface JsonBodyCheckOptions {
  /** The thing the body is, in a sentence (`quota`, `alert rule`). */
  noun: string;
  /** The 400's code (`invalid_quota`). */
  invalidCode: string;
  schema: z.ZodType;
  /** The 400 naming each bad field of a body the schema refuses. */
  invalidBody(body: unknown): LookoutError;
}

/**
 * Checks a JSON body before the route's own validation, which would answer a body that is not
 * JSON with an unexplained 500 and a bad field without its name: here, each problem is named by
 * its field, with what was sent, as `lookout.config.ts`'s errors are.
 */
export function jsonBodyCheck({ noun, invalidCode, schema, invalidBody }: JsonBodyCheckOptions): MiddlewareHandler {
  return async (c, next) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new LookoutError(415, 'unsupported_media_type', `Send the ${noun} as JSON, with Content-Type: application/json`);
    }
    const body = await c.req.json().catch((error: Error) => {
      throw new LookoutError(400, invalidCode, `The body is not JSON: ${error.message}`);
    });
    if (!schema.safeParse(body).success) throw invalidBody(body);
    await next();
  };
}
