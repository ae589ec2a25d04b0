import type { Result, Router } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';

/**
 * Hono's trie router, except that a path parameter (`:id`) also matches across `/`: user,
 * session and quota ids may contain slashes, and a client that does not percent-encode them
 * (`/v1/users/team/alice/usage`) still reaches its route. A route whose path extends another's
 * (`/v1/x/{id}/y` beside `/v1/x/{id}`) must therefore be registered first: both match, and the
 * first answers. The trie router, unlike Hono's default RegExpRouter, matches both (the
 * RegExpRouter gives one of two overlapping patterns, the same whatever the order).
 */
export class GreedyPathParamRouter<T> implements Router<T> {
  readonly name = 'GreedyPathParamRouter';
  private readonly inner = new TrieRouter<T>();

  add(method: string, path: string, handler: T): void {
    this.inner.add(method, path.replace(/:(\w+)(?=\/|$)/g, ':$1{.+}'), handler);
  }

  match(method: string, path: string): Result<T> {
    return this.inner.match(method, path);
  }
}
