import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../app/query-api-client.js';

/** How often a view left open loads its figures again. */
export const VIEW_REFRESH_MS = 30_000;

export type Loaded<T> = { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: ApiError };

/**
 * Loads `load()` whenever a dependency changes, dropping an answer that arrives after a newer
 * load started (so a quick change of range never shows the older range's figures). With
 * `refreshMs` it loads again that often while the page is shown, keeping the figures on screen
 * until the new ones arrive: a dashboard left open follows the traffic.
 */
export function useLoaded<T>(
  load: () => Promise<T>,
  dependencies: unknown[],
  { refreshMs }: { refreshMs?: number } = {},
): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(dependencies);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    // A refresh of the same view keeps what is shown; new dependencies show the loading state.
    if (loadedKey !== key) setState({ status: 'loading' });
    load().then(
      (data) => {
        if (!current) return;
        setState({ status: 'ok', data });
        setLoadedKey(key);
      },
      (error: unknown) =>
        current && setState({ status: 'error', error: error instanceof ApiError ? error : new ApiError(0, 'failed', String(error)) }),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setGeneration((value) => value + 1);
    }, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);
  return [state, () => setGeneration((value) => value + 1)];
}

export function LoadingNotice({ what }: { what: string }) {
  return html`<div class="notice loading" role="status" aria-live="polite"><span class="spinner"></span>Loading ${what}…</div>`;
}

export function ErrorNotice({ error, retry }: { error: ApiError; retry?: () => void }) {
  return html`<div class="notice error" role="alert">
    <strong>${error.status ? `Error ${error.status}` : 'Error'}${error.code ? ` (${error.code})` : ''}:</strong> ${error.message}
    ${retry ? html` <button type="button" onClick=${retry}>Retry</button>` : null}
  </div>`;
}

export function EmptyNotice({ children }: { children: unknown }) {
  return html`<div class="notice empty">${children}</div>`;
}

/** Renders the loading and error states of `state`, or `render(data)` once loaded. */
export function WhenLoaded<T>({
  state,
  what,
  retry,
  render,
}: {
  state: Loaded<T>;
  what: string;
  retry?: () => void;
  render: (data: T) => unknown;
}) {
  if (state.status === 'loading') return html`<${LoadingNotice} what=${what} />`;
  if (state.status === 'error') return html`<${ErrorNotice} error=${state.error} retry=${retry} />`;
  return render(state.data);
}
