import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ApiError, QueryApiClient } from '../app/query-api-client.js';

/**
 * Asks for an admin key and checks it against the query API before keeping it: a key the gateway
 * does not know, or an app key, is refused here with what to do about it.
 */
export function SignIn({ apiBase, problem, onSignedIn }: { apiBase: string; problem: string | null; onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [checking, setChecking] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(problem);
  const submit = async (event: Event) => {
    event.preventDefault();
    const candidate = key.trim();
    if (candidate === '') return setRefusal('Enter an admin gateway key.');
    setChecking(true);
    const outcome = await checkAdminKey(apiBase, candidate);
    setChecking(false);
    if (outcome === null) onSignedIn(candidate);
    else setRefusal(outcome);
  };
  return html`<main class="sign-in">
    <form onSubmit=${submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Lookout</h1>
      <p>Sign in with an admin gateway key (<code>npm run keys -- create --admin</code>, or the dev key <code>npm start</code> prints).</p>
      <label for="admin-key">Admin key</label>
      <input id="admin-key" name="admin-key" type="password" autocomplete="off" value=${key} onInput=${(e: Event) => setKey((e.target as HTMLInputElement).value)} />
      <button type="submit" disabled=${checking}>${checking ? 'Checking…' : 'Sign in'}</button>
      ${refusal ? html`<p class="notice error" role="alert" data-sign-in-error>${refusal}</p>` : null}
    </form>
  </main>`;
}

/** Null when `key` is an admin key; otherwise why it is refused, in words a user can act on. */
export async function checkAdminKey(apiBase: string, key: string): Promise<string | null> {
  try {
    await new QueryApiClient(apiBase, key).get('/alerts');
    return null;
  } catch (error) {
    if (!(error instanceof ApiError)) return String(error);
    if (error.status === 401) return `That key was refused: ${error.message}`;
    if (error.status === 403) return `That key is not an admin key: ${error.message}`;
    return `The key could not be checked: ${error.message}`;
  }
}
