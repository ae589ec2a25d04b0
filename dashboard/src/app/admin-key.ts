/**
 * The admin key the dashboard signs in with. It is kept in `sessionStorage` (gone when the tab
 * closes, never sent anywhere but the query API), and may arrive once in the URL's fragment
 * (`#key=...`, which `npm run demo` prints): the fragment is never sent to a server, and is taken
 * off the address bar at once.
 */

const STORAGE_NAME = 'lookout.adminKey';

export function storedAdminKey(): string | null {
  return sessionStorage.getItem(STORAGE_NAME);
}

export function storeAdminKey(key: string): void {
  sessionStorage.setItem(STORAGE_NAME, key);
}

export function forgetAdminKey(): void {
  sessionStorage.removeItem(STORAGE_NAME);
}

/** A key handed over in `#key=...`, removed from the URL; null when there is none. */
export function takeKeyFromFragment(): string | null {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const key = fragment.get('key');
  if (!key) return null;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return key;
}
