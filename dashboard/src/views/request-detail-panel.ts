import { html } from 'htm/preact';
import type { RequestDetailJson } from '../../../lambdas/core/query/schemas/request-json-schemas.js';
import { chatTranscriptOf, type ChatMessage } from '../app/chat-transcript.js';
import { pathOf } from '../app/dashboard-location.js';
import { formatInstant, formatMs, formatTokens, formatUsd } from '../app/format.js';
import { AppLink } from '../components/app-link.js';
import { useDashboard } from '../components/dashboard-context.js';
import { useLoaded, WhenLoaded } from '../components/load-state.js';
import { StatusBadge } from '../components/status-badge.js';

/** One request: what it was, what it cost, and its bodies, as a chat where they are one. */
export function RequestDetailPanel({ requestId, closePath }: { requestId: string; closePath: string }) {
  const { api } = useDashboard();
  const [detail, reload] = useLoaded(() => api.get<RequestDetailJson>(`/requests/${encodeURIComponent(requestId)}`), [requestId]);
  return html`<aside class="detail-panel" aria-label="Request detail" data-detail-request-id=${requestId}>
    <div class="detail-header">
      <h2>Request</h2>
      <${AppLink} href=${closePath} class="close" title="Close">Close<//>
    </div>
    <${WhenLoaded} state=${detail} what="the request" retry=${reload} render=${(request: RequestDetailJson) => html`<${RequestDetail} request=${request} />`} />
  </aside>`;
}

function RequestDetail({ request }: { request: RequestDetailJson }) {
  const { base } = useDashboard();
  const chat =
    request.requestBodyEncoding === 'json'
      ? chatTranscriptOf(
          request.requestBody,
          request.responseBodyEncoding === 'json' || request.responseBodyEncoding === 'text' ? request.responseBody : null,
        )
      : null;
  const facts: [string, unknown][] = [
    ['Id', html`<code>${request.id}</code>`],
    ['Time', formatInstant(request.createdAt)],
    ['Status', html`<${StatusBadge} request=${request} />${request.errorCode ? html` <code>${request.errorCode}</code>` : null}`],
    ['Provider', `${request.provider} ${request.method} ${request.path}`],
    ['Model', request.model ?? '—'],
    [
      'User',
      request.userId
        ? html`<${AppLink} href=${`${pathOf(base, 'requests')}?userId=${encodeURIComponent(request.userId)}`}>${request.userId}<//>`
        : '—',
    ],
    [
      'Session',
      request.sessionId
        ? html`<${AppLink} href=${pathOf(base, 'sessions', request.sessionId)}>${request.sessionName ?? request.sessionId}<//> ${request.sessionPath ?? ''}`
        : '—',
    ],
    ['Cost', request.unpriced ? 'unpriced (the model has no known price)' : formatUsd(request.costUsd)],
    [
      'Tokens',
      `${formatTokens(request.promptTokens)} in, ${formatTokens(request.completionTokens)} out${request.cachedTokens ? `, ${formatTokens(request.cachedTokens)} cached` : ''}`,
    ],
    ['Latency', `${formatMs(request.latencyMs)}${request.ttftMs !== null ? `, first token ${formatMs(request.ttftMs)}` : ''}`],
    [
      'Cache',
      request.cacheStatus
        ? `${request.cacheStatus}${request.cacheHit ? `, saved ${formatUsd(request.savedUsd)} and ${formatMs(request.savedLatencyMs)}` : ''}`
        : '—',
    ],
    ['Rate limited', request.rateLimited ? `yes, by ${request.rateLimitedBy ?? 'a policy'}` : 'no'],
    ['Key', request.keyName ?? '—'],
    [
      'Properties',
      Object.keys(request.properties).length === 0
        ? '—'
        : Object.entries(request.properties).map(([name, value]) => html`<span class="tag">${name}=${value}</span>`),
    ],
  ];
  return html`<dl class="facts">${facts.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}</dl>
    ${
      chat
        ? html`<section class="chat" aria-label="Conversation">
          ${chat.system ? html`<${ChatBubble} message=${{ role: 'system', text: chat.system }} />` : null}
          ${chat.messages.map((message) => html`<${ChatBubble} message=${message} />`)}
          ${chat.answer ? html`<${ChatBubble} message=${chat.answer} answer=${true} />` : html`<p class="notice empty">No answer message${request.responseBodyEncoding === null ? ' (the response body was not stored)' : ''}.</p>`}
        </section>`
        : null
    }
    <details open=${!chat}>
      <summary>Request body</summary>
      <${Body} body=${request.requestBody} encoding=${request.requestBodyEncoding} url=${request.requestBodyUrl} />
    </details>
    <details open=${!chat}>
      <summary>Response body${request.responseBodyTruncated ? ' (cut at maxBodyBytes; the client got it whole)' : ''}</summary>
      <${Body} body=${request.responseBody} encoding=${request.responseBodyEncoding} url=${request.responseBodyUrl} />
    </details>`;
}

function ChatBubble({ message, answer = false }: { message: ChatMessage; answer?: boolean }) {
  return html`<div class=${`bubble role-${message.role}${answer ? ' answer' : ''}`}>
    <span class="role">${message.role}</span>
    <div class="bubble-text">${message.text || html`<em>(empty)</em>`}</div>
  </div>`;
}

function Body({ body, encoding, url }: { body: unknown; encoding: RequestDetailJson['requestBodyEncoding']; url: string | null }) {
  if (encoding === null) return html`<p class="notice empty">Not stored.</p>`;
  if (encoding === 'url')
    return html`<p>Too large to show here: <a href=${url ?? '#'} rel="noreferrer">download it</a> (the link is valid 15 minutes).</p>`;
  if (encoding === 'base64')
    return html`<p class="notice empty">${Math.floor((String(body).length * 3) / 4).toLocaleString('en-US')} bytes that are not text.</p>`;
  return html`<pre class="body">${encoding === 'json' ? JSON.stringify(body, null, 2) : String(body)}</pre>`;
}
