import { invalidHeader } from './header-values.js';

const MAX_TARGET_URL_LENGTH = 2048;

/**
 * Parses an upstream URL a client supplied (`Target-URL`, a fallback's `target-url`): absolute,
 * http(s), no `user:password@`. Only the shape is checked here; which origins may be reached
 * is the routing policy's decision.
 */
export function parseTargetUrl(value: string, headerName: string): URL {
  if (value.length > MAX_TARGET_URL_LENGTH) {
    throw invalidHeader(`${headerName} must be at most ${MAX_TARGET_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidHeader(`${headerName} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidHeader(`${headerName} must be an absolute http(s) URL`);
  }
  // Credentials in the URL would be forwarded upstream and logged with the target; they
  // belong in the provider's auth header instead.
  if (url.username !== '' || url.password !== '') {
    throw invalidHeader(`${headerName} must not contain credentials (user:password@)`);
  }
  return url;
}
