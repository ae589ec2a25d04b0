import { readAliasedHeaderFamily, type RequestHeaderMap } from './header-names.js';
import { invalidHeader, parseTextHeader } from './header-values.js';
import { PROPERTY_NAME_PATTERN } from '../../contract/property-names.js';

/** Longest property value, in characters. */
export const MAX_PROPERTY_VALUE_LENGTH = 1024;
/** Most distinct properties on one request; each one is a rollup dimension and log attribute. */
export const MAX_PROPERTIES = 50;

/**
 * Collects `Lookout-Property-<Name>` / `Helicone-Property-<Name>` into `{ name: value }` with
 * lower-case names (header names are case-insensitive, so `Property-Env` and `property-env` are
 * one property). The Lookout header wins when both prefixes carry the same name.
 */
export function parseCustomProperties(headers: RequestHeaderMap): Record<string, string> {
  const members = readAliasedHeaderFamily(headers, 'Property');
  if (members.size > MAX_PROPERTIES) {
    throw invalidHeader(`Lookout-Property-* headers: at most ${MAX_PROPERTIES} properties per request, got ${members.size}`);
  }
  const properties: Record<string, string> = {};
  for (const [name, header] of members) {
    if (!PROPERTY_NAME_PATTERN.test(name)) {
      throw invalidHeader(
        `${header.name} has an invalid property name: use 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit`,
      );
    }
    properties[name] = parseTextHeader(header, MAX_PROPERTY_VALUE_LENGTH);
  }
  return properties;
}
