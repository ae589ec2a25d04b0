import { ignoredHeadersHeader } from '../../../core/headers/headers-not-acted-on.js';
import { requestIdHeaders } from '../../../core/headers/request-id-headers.js';
import { createUsageTap } from '../../../core/providers/create-usage-tap.js';
import { BoundedByteCollector } from '../../../core/request-log/bounded-byte-collector.js';
import { providerErrorCode } from '../../../core/request-log/provider-error-code.js';
import type { RequestOutcome } from '../../../core/request-log/request-log-record.js';
import { clientResponseHeaders } from '../../../core/routing/forwarded-headers.js';
import type { UsageTap } from '../../../core/usage/usage-tap.js';
import { required, type FinishedAnswer, type GatewayStep } from '../gateway-context.js';
import type { GatewayLogger } from '../gateway-logger.js';
import { relayUpstreamBody, type RelayOutcome } from '../response-relay.js';

export interface RelayStepDependencies {
  /** The stored copy of the answer is cut here. */
  maxBodyBytes: number;
  logger: GatewayLogger;
  now(): number;
}

const SSE_CONTENT_TYPE = /^text\/event-stream\b/i;

/**
 * Answers with the upstream's status, headers and body, relayed chunk by chunk as it arrives,
 * while a usage tap reads tokens from the bytes (and strips the usage Lookout asked for on the
 * client's behalf). `finished` reports how the relay ended, with the usage read.
 */
export function relayAndTapUsage(deps: RelayStepDependencies): GatewayStep {
  return async (context) => {
    const { response: upstream, endpointKind, injectedIncludeUsage, abort } = required(context.forwarded, 'forwarded');
    const stream = SSE_CONTENT_TYPE.test(upstream.headers['content-type'] ?? '');
    const usageTap = createUsageTap(endpointKind, { streaming: stream, injectedIncludeUsage });
    const responseBody = new BoundedByteCollector(deps.maxBodyBytes);
    const relay = relayUpstreamBody(upstream.body, capturing(usageTap, responseBody), () => abort.abort(), deps.now);
    const finished = relay.outcome.then((outcome): FinishedAnswer => {
      if (outcome.kind === 'upstream_error') {
        deps.logger.warn('upstream body failed mid-answer', {
          requestId: context.id,
          upstream: context.upstreamUrl?.origin,
          status: upstream.status,
          error: outcome.error.message,
        });
      }
      const usage = usageTap.result();
      const responseBytes = responseBody.bytes();
      // A provider's own 4xx/5xx reached the client whole: the relay completed, the request did not.
      const providerRefused = outcome.kind === 'completed' && upstream.status >= 400;
      return {
        status: upstream.status,
        outcome: providerRefused ? 'upstream_error' : relayOutcome(outcome),
        errorCode: providerRefused
          ? providerErrorCode(upstream.status, responseBytes)
          : outcome.kind === 'upstream_error'
            ? upstreamErrorCode(outcome.error)
            : null,
        stream,
        endedAtMs: outcome.endedAtMs,
        firstByteAtMs: outcome.firstByteAtMs,
        usage: usage.usage,
        reportedModel: usage.model,
        responseBodyTruncated: responseBody.truncated,
        responseBytes,
      };
    });
    const headers = {
      ...clientResponseHeaders(upstream.headers),
      ...requestIdHeaders(context.id),
      ...ignoredHeadersHeader(context.request.headers),
    };
    context.answer({ statusCode: upstream.status, headers, body: relay.body }, finished);
  };
}

/** Feeds the bytes that go to the client through the usage tap and into the stored copy. */
function capturing(tap: UsageTap, collector: BoundedByteCollector): UsageTap {
  return {
    push(chunk) {
      const out = tap.push(chunk);
      collector.add(out);
      return out;
    },
    end() {
      const out = tap.end();
      collector.add(out);
      return out;
    },
    result: () => tap.result(),
    get sawFinalEvent() {
      return tap.sawFinalEvent;
    },
  };
}

function relayOutcome(outcome: RelayOutcome): RequestOutcome {
  if (outcome.kind === 'completed') return 'completed';
  if (outcome.kind === 'cancelled') return 'cancelled';
  return upstreamErrorCode(outcome.error) === 'upstream_timeout' ? 'timeout' : 'upstream_error';
}

function upstreamErrorCode(error: Error): string {
  const code = (error as { code?: string }).code ?? '';
  return /TIMEOUT/i.test(code) || error.name.includes('Timeout') ? 'upstream_timeout' : 'upstream_error';
}
