/**
 * An adapter loaded by a dynamic `import()`, which esbuild keeps lazy in the bundle: the Redis
 * adapters, so that a gateway on the DynamoDB backend never evaluates iovalkey at its cold start.
 * The load starts here; `loaded()` waits for it, and rejects with its error for as long as it
 * has failed (a malformed URL), which each call surfaces through its own await.
 */
export function lazyAdapter<T extends { close(): Promise<void> }>(
  load: () => Promise<T>,
): {
  loaded(): Promise<T>;
  /** Closes the adapter once it has loaded; nothing to close if it failed to. */
  close(): Promise<void>;
} {
  const loading = load();
  // Nothing else may be left unhandled: a call that awaits it gets the rejection.
  loading.catch(() => {});
  return {
    loaded: () => loading,
    close: async () => {
      const adapter = await loading.catch(() => undefined);
      await adapter?.close();
    },
  };
}
