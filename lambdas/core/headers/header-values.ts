import { LookoutError } from '../lookout-error.js';
import type { SentHeader } from './header-names.js';

/** The 400 for a malformed header; `message` starts with the header name so the client can find it. */
export function invalidHeader(message: string): LookoutError {
  return new LookoutError(400, 'invalid_header', message);
}

// Values end up in logs, rollup keys and the dashboard; control characters there break
// terminals, CSV exports and DynamoDB key readability, and no legitimate id needs them.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** A free-text value (ids, names, property values): at most `maxLength` characters, no control characters. */
export function parseTextHeader(header: SentHeader, maxLength: number): string {
  if (header.value.length > maxLength) {
    throw invalidHeader(`${header.name} must be at most ${maxLength} characters`);
  }
  if (CONTROL_CHARACTERS.test(header.value)) {
    throw invalidHeader(`${header.name} must not contain control characters`);
  }
  return header.value;
}

/** `true` / `false` in any case; anything else is a 400 rather than a silent `false` as Helicone does. */
export function parseBooleanHeader(header: SentHeader): boolean {
  const lower = header.value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalidHeader(`${header.name} must be true or false`);
}

/** A whole number written in plain digits, within `[min, max]`. */
export function parseIntegerHeader(header: SentHeader, min: number, max: number): number {
  const parsed = /^\d{1,15}$/.test(header.value) ? Number(header.value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw invalidHeader(`${header.name} must be a whole number from ${min} to ${max}`);
  }
  return parsed;
}

/** A non-negative decimal number in plain notation (`2`, `1.5`), within `[min, max]`. */
export function parseDecimalHeader(header: SentHeader, min: number, max: number): number {
  const parsed = /^\d{1,15}(\.\d{1,15})?$/.test(header.value) ? Number(header.value) : Number.NaN;
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw invalidHeader(`${header.name} must be a number from ${min} to ${max}`);
  }
  return parsed;
}
