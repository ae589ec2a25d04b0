/**
 * Scenario 4 and the settling of the memory scenarios: asks the query API (admin key) whether a
 * request's log item exists yet, by its Lookout-Id or by a user id only the bench uses.
 */
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { scaled, type BenchContext } from './bench-context.js';
import { summarizeLatency, type LatencySummary } from './latency-statistics.js';
import { benchAgent, chatRequest, timedChatRequest } from './timed-request.js';

/** Where the query API is and the admin key it takes (the stack's ready message). */
interface QueryApiAccess {
  url: string;
  adminKey: string;
}

async function queryApi(context: BenchContext | QueryApiAccess, path: string): Promise<{ status: number; body: string }> {
  const { url, adminKey } = 'stack' in context ? context.stack.ready : context;
  const response = await request(`${url}${path}`, { headers: { 'lookout-auth': `Bearer ${adminKey}` }, dispatcher: benchAgent });
  return { status: response.statusCode, body: await response.body.text() };
}

/** The ids of every request of `userId` the query API lists, page by page (duplicates kept, to be counted). */
export async function listLoggedRequestIds(access: QueryApiAccess, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query = `userId=${encodeURIComponent(userId)}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const { status, body } = await queryApi(access, `/v1/requests?${query}`);
    if (status !== 200) throw new Error(`GET /v1/requests?${query}: ${status} ${body.slice(0, 200)}`);
    const page = JSON.parse(body) as { requests: { id: string }[]; nextCursor: string | null };
    ids.push(...page.requests.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/** The stored request (`GET /v1/requests/{id}`, bodies included), or null while it is not logged. */
export async function loggedRequest(context: BenchContext, id: string): Promise<any | null> {
  const { status, body } = await queryApi(context, `/v1/requests/${encodeURIComponent(id)}`);
  if (status === 404) return null;
  if (status !== 200) throw new Error(`GET /v1/requests/${id}: ${status} ${body.slice(0, 200)}`);
  return JSON.parse(body);
}

/** Waits until every id is logged; returns how long that took. */
export async function waitUntilLogged(context: BenchContext, ids: readonly string[], timeoutMs: number): Promise<number> {
  const start = performance.now();
  const waiting = new Set(ids);
  while (waiting.size > 0) {
    if (performance.now() - start > timeoutMs)
      throw new Error(`${waiting.size} of ${ids.length} requests were not logged within ${timeoutMs} ms`);
    for (const id of [...waiting]) {
      const { status } = await queryApi(context, `/v1/requests/${encodeURIComponent(id)}`);
      if (status === 200) waiting.delete(id);
    }
    if (waiting.size > 0) await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - start;
}

/** Waits until `count` requests of `userId` are listed (summaries only, so large bodies are not read). */
export async function waitUntilUserLogged(context: BenchContext, userId: string, count: number, timeoutMs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    const { status, body } = await queryApi(context, `/v1/requests?userId=${encodeURIComponent(userId)}&limit=${count}`);
    if (status !== 200) throw new Error(`GET /v1/requests?userId=${userId}: ${status} ${body.slice(0, 200)}`);
    const found = (JSON.parse(body) as { requests: unknown[] }).requests.length;
    if (found >= count) return performance.now() - start;
    if (performance.now() - start > timeoutMs)
      throw new Error(`only ${found} of ${count} requests of ${userId} were logged within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface LogWriteResult {
  kind: string;
  /** Last byte at the client until a poll found the item (upper bound: includes that poll). */
  loggedAfter: LatencySummary;
  /** Round trip of one `GET /v1/requests/{id}`: the resolution of `loggedAfter`. */
  pollRoundTrip: LatencySummary;
  /** Share of requests already logged at the first poll, sent right after the last byte. */
  loggedAtFirstPoll: number;
  notLogged: number;
}

/**
 * One request at a time through the gateway; after its last byte, polls its log item back to
 * back until it exists. The time until a poll comes back 200 is an upper bound of the write.
 */
export async function measureLogWrite(context: BenchContext, kind: string, stream: boolean, samples: number): Promise<LogWriteResult> {
  const chat = chatRequest(context.stack.ready.appKey, stream, `log-write-${kind}`);
  const loggedAfter: number[] = [];
  const roundTrips: number[] = [];
  let atFirstPoll = 0;
  let notLogged = 0;
  // The first requests wait for whatever log writes the previous scenario left queued (and are
  // not counted): the write of a request on its own is what is measured here.
  const warmup = 5;
  for (let i = 0; i < warmup + scaled(context, samples, 5); i++) {
    const recorded = i >= warmup;
    const response = await timedChatRequest(context.gateway, chat);
    if (!response.complete || !response.lookoutId) throw new Error(`log-write request failed: ${response.status}`);
    let polls = 0;
    for (;;) {
      const pollStart = performance.now();
      const { status } = await queryApi(context, `/v1/requests/${response.lookoutId}`);
      const pollEnd = performance.now();
      polls++;
      if (recorded) roundTrips.push(pollEnd - pollStart);
      if (status === 200) {
        if (recorded) loggedAfter.push(pollEnd - response.lastByteAt);
        if (recorded && polls === 1) atFirstPoll++;
        break;
      }
      if (status !== 404) throw new Error(`GET /v1/requests/${response.lookoutId}: ${status}`);
      if (pollEnd - response.lastByteAt > 10_000) {
        if (recorded) notLogged++;
        break;
      }
    }
  }
  return {
    kind,
    loggedAfter: summarizeLatency(loggedAfter),
    pollRoundTrip: summarizeLatency(roundTrips),
    loggedAtFirstPoll: atFirstPoll / (loggedAfter.length || 1),
    notLogged,
  };
}
