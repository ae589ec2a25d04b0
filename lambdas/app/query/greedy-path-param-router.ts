import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';

/**
 * Hono's default router, except that a path parameter (`:id`) also matches across `/`: user and
 * session ids may contain slashes, and a client that does not percent-encode them
 * (`/v1/users/team/alice/usage`) still reaches its route. A route whose path extends another's
 * (`/v1/x/{id}/y` beside `/v1/x/{id}`) must therefore be registered first.
 */
export class GreedyPathParamRouter<T> implements Router<T> {
  readonly name = 'GreedyPathParamRouter';
  private readonly inner = new SmartRouter<T>({ routers: [new RegExpRouter(), new TrieRouter()] });

  add(method: string, path: string, handler: T): void {
    this.inner.add(method, path.replace(/:(\w+)(?=\/|$)/g, ':$1{.+}'), handler);
  }

  match(method: string, path: string): Result<T> {
    return this.inner.match(method, path);
  }
}
