import { createHash } from 'node:crypto';
import type { RequestHeaderMap } from '../headers/header-names.js';

/**
 * Provider request headers that change the answer, so requests that differ in them never share
 * an entry. Credentials (`authorization`, `x-api-key`) are deliberately not here: the entry is
 * scoped to the gateway key instead, and no credential is ever part of what is stored.
 */
const ANSWER_CHANGING_HEADERS = ['anthropic-version', 'anthropic-beta', 'openai-organization', 'openai-project'] as const;

export interface CacheKeyInput {
  /** The gateway key's cache scope (cache-scope.ts): entries are never shared across scopes. */
  scope: string;
  provider: string;
  method: string;
  /** Where the request goes upstream, query included: for the generic route, the target's origin too. */
  upstreamUrl: URL;
  /** The client's parsed JSON body, when it sent one; otherwise its raw bytes are hashed. */
  json: unknown;
  body: Uint8Array;
  headers: RequestHeaderMap;
  seed: string | null;
  /** Top-level body keys left out (`Cache-Ignore-Keys`). */
  ignoreKeys: readonly string[];
}

/**
 * The SHA-256 (hex) that names a request's cache bucket: scope, provider, method, upstream URL,
 * the body with its keys sorted at every level (so key order never matters) and the ignored keys
 * removed, the answer-changing headers and the seed. Each part is length-prefixed, so no two
 * different inputs can run together into the same bytes. A bucket's slots are `<key>:<slot>`
 * (the port's `readBucket`): the slot stays outside the hash so a Redis cluster can keep one
 * bucket's slots together and read them in one round trip.
 */
export function cacheBucketKey(input: CacheKeyInput): string {
  const hash = createHash('sha256');
  const part = (value: string | Uint8Array) => {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  };
  part('lookout-cache-v1');
  part(input.scope);
  part(input.provider);
  part(input.method.toUpperCase());
  part(input.upstreamUrl.href);
  if (input.json === undefined) {
    part('raw');
    part(input.body);
  } else {
    part('json');
    part(canonicalJson(withoutKeys(input.json, input.ignoreKeys)));
  }
  for (const name of ANSWER_CHANGING_HEADERS) part(input.headers[name]?.trim() ?? '');
  part(input.seed ?? '');
  return hash.digest('hex');
}

function withoutKeys(json: unknown, keys: readonly string[]): unknown {
  if (keys.length === 0 || typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const copy: Record<string, unknown> = { ...(json as Record<string, unknown>) };
  for (const key of keys) delete copy[key];
  return copy;
}

/** JSON with object keys sorted at every depth; arrays keep their order, which is meaningful. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
