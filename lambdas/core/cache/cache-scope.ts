/**
 * The cache scope of a gateway key: by default the key's own (its hash, which outlives renames
 * and never collides), or the shared scope `lookout.config.ts` gives it by name (`cacheScopes`).
 */
export function cacheScopeOf(key: { keyHash: string; name: string }, cacheScopes: Readonly<Record<string, string>>): string {
  const shared = Object.hasOwn(cacheScopes, key.name) ? cacheScopes[key.name] : undefined;
  return shared === undefined ? `key:${key.keyHash}` : `scope:${shared}`;
}
