import { html } from 'htm/preact';
import type { RequestSummaryJson } from '../../../lambdas/core/query/schemas/request-json-schemas.js';

/** A request's HTTP status, green when it completed with a 2xx/3xx, with how it ended otherwise. */
export function StatusBadge({ request }: { request: Pick<RequestSummaryJson, 'status' | 'outcome' | 'rateLimited' | 'errorCode'> }) {
  const ok = request.status < 400 && request.outcome === 'completed';
  const label = request.rateLimited
    ? `${request.status} limited`
    : request.outcome === 'completed'
      ? String(request.status)
      : `${request.status} ${request.outcome}`;
  return html`<span class=${`status ${ok ? 'ok' : 'bad'}`} title=${request.errorCode ?? ''}>${label}</span>`;
}
