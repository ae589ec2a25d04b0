import { requestIdHeaders } from '../../core/headers/request-id-headers.js';
import { LookoutError, lookoutErrorBody } from '../../core/lookout-error.js';
import type { RequestOutcome } from '../../core/request-log/request-log-record.js';
import type { GatewayContext } from './gateway-context.js';
import type { GatewayLogger } from './gateway-logger.js';
import { fixedBody } from './response-relay.js';

/**
 * The pipeline's error mapping. A `LookoutError` becomes its JSON `{"error":{"code","message"}}`
 * answer; anything else is a 500 `internal_error`, with its stack in the CloudWatch log. A request
 * refused before authentication is only warned about there: it is not stored in the request log,
 * so unauthenticated traffic cannot fill it. Once authenticated, the log step stores the answer.
 */
export function answerError(logger: GatewayLogger, now: () => number): (error: unknown, context: GatewayContext) => void {
  return (error, context) => {
    const lookoutError =
      error instanceof LookoutError
        ? error
        : new LookoutError(500, 'internal_error', 'Lookout failed to handle this request; it has been logged.');
    if (!(error instanceof LookoutError)) {
      logger.error('gateway request failed', { requestId: context.id, error: (error as Error)?.stack ?? String(error) });
    } else if (context.keyName === undefined) {
      logger.warn('request refused before authentication', {
        requestId: context.id,
        path: context.request.path,
        status: lookoutError.status,
        code: lookoutError.code,
      });
    }
    const errorBody = Buffer.from(lookoutErrorBody(lookoutError));
    const { body, delivered } = fixedBody(errorBody);
    context.answer(
      {
        statusCode: lookoutError.status,
        headers: { ...lookoutError.headers, 'content-type': 'application/json', ...requestIdHeaders(context.id) },
        body,
      },
      delivered.then(() => ({
        status: lookoutError.status,
        outcome: errorOutcome(lookoutError),
        errorCode: lookoutError.code,
        stream: false,
        endedAtMs: now(),
        firstByteAtMs: undefined,
        usage: null,
        reportedModel: null,
        responseBodyTruncated: false,
        responseBytes: errorBody,
      })),
    );
  };
}

function errorOutcome(error: LookoutError): RequestOutcome {
  if (error.code === 'upstream_timeout') return 'timeout';
  if (error.code === 'upstream_unreachable') return 'upstream_error';
  return 'rejected';
}
