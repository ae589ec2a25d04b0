import * as z from 'zod';
import { invalidHeader } from './header-values.js';

const MAX_TARGET_URL_LENGTH = 2048;

/**
 * An upstream URL a client supplied (`Target-URL`, a fallback's `target-url`): absolute, http(s),
 * no `user:password@`. Only the shape is checked here; which origins may be reached is the
 * routing policy's decision. Its issues are phrases ("must be ...") for the caller to put the
 * header's name in front of.
 */
export const targetUrlSchema = z.string({ error: 'must be a string' }).transform((value, context) => {
  const refuse = (message: string) => {
    context.issues.push({ code: 'custom', message, input: value });
    return z.NEVER;
  };
  if (value.length > MAX_TARGET_URL_LENGTH) return refuse(`must be at most ${MAX_TARGET_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse('must be an absolute http(s) URL');
  // Credentials in the URL would be forwarded upstream and logged with the target; they
  // belong in the provider's auth header instead.
  if (url.username !== '' || url.password !== '') return refuse('must not contain credentials (user:password@)');
  return url;
});

/** Parses a client-supplied upstream URL (see `targetUrlSchema`); a bad one is a 400 naming `headerName`. */
export function parseTargetUrl(value: string, headerName: string): URL {
  const parsed = targetUrlSchema.safeParse(value);
  if (!parsed.success) throw invalidHeader(`${headerName} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
