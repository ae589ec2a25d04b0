/**
 * Request headers as the handler hands them over: names lower-cased, one value per name.
 * Lower-casing happens once in the handler so every lookup here is a plain property read.
 */
export type RequestHeaderMap = Readonly<Record<string, string | undefined>>;

/** One Lookout header the client sent: its value and the name to quote back in errors. */
export interface SentHeader {
  /** The header name in its documented spelling with the prefix the client used. */
  readonly name: string;
  /** The value with surrounding whitespace removed; never empty. */
  readonly value: string;
}

const LOOKOUT_PREFIX = 'lookout-';
const HELICONE_PREFIX = 'helicone-';

/** True for `lookout-*` and `helicone-*` names (any case): headers the gateway consumes and must not forward. */
export function isLookoutHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith(LOOKOUT_PREFIX) || lower.startsWith(HELICONE_PREFIX);
}

/**
 * Reads `Lookout-<suffix>`, else its alias `Helicone-<suffix>`. `suffix` is the documented
 * spelling (`Session-Path`, `Target-URL`) so errors quote a name the client recognises.
 * The Lookout header wins when both are sent because it is the primary name: a team that has
 * migrated sets it deliberately, while a leftover Helicone header is more likely stale.
 * An empty or blank value counts as not sent, since SDKs and proxies use that to unset a header.
 */
export function readAliasedHeader(headers: RequestHeaderMap, suffix: string): SentHeader | null {
  return readOne(headers, `Lookout-${suffix}`) ?? readOne(headers, `Helicone-${suffix}`);
}

/** Reads a header that has no Lookout/Helicone prefix (e.g. `Cache-Control`), blank counting as absent. */
export function readPlainHeader(headers: RequestHeaderMap, name: string): SentHeader | null {
  return readOne(headers, name);
}

/**
 * Every header of a family such as `Property-<Name>`, merged across both prefixes: one entry per
 * lower-cased `<Name>`, the Lookout header winning over the Helicone one as in `readAliasedHeader`.
 * A header with nothing after the family prefix is returned with an empty `member` so the
 * caller can reject it by name.
 */
export function readAliasedHeaderFamily(headers: RequestHeaderMap, familySuffix: string): Map<string, SentHeader> {
  const members = new Map<string, SentHeader>();
  // Helicone first, then Lookout, so a Lookout header overwrites its Helicone twin.
  for (const displayPrefix of [`Helicone-${familySuffix}-`, `Lookout-${familySuffix}-`]) {
    const keyPrefix = displayPrefix.toLowerCase();
    for (const [key, raw] of Object.entries(headers)) {
      if (!key.startsWith(keyPrefix)) continue;
      const value = raw?.trim();
      if (!value) continue;
      const member = key.slice(keyPrefix.length);
      members.set(member, { name: displayPrefix + titleCase(member), value });
    }
  }
  return members;
}

function readOne(headers: RequestHeaderMap, displayName: string): SentHeader | null {
  const value = headers[displayName.toLowerCase()]?.trim();
  return value ? { name: displayName, value } : null;
}

/** `my-feature` → `My-Feature`: the received casing is lost, so quote the conventional one. */
function titleCase(lowerName: string): string {
  return lowerName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
}
