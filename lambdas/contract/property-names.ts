/**
 * A custom property's name after lower-casing: it becomes part of rollup keys, query filters and
 * the rate-limit segment syntax, so it is kept to characters that need no escaping anywhere.
 * Requiring a letter or digit first also rules out `__proto__` as an object key. The config
 * (`indexedProperties`) and the headers are checked against the same pattern.
 */
export const PROPERTY_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** `property:<name>`, the way a quota's scope, a rule's split and a metrics `groupBy` name a property. */
export const PROPERTY_DIMENSION_PATTERN = new RegExp(`^property:${PROPERTY_NAME_PATTERN.source.slice(1)}`);
