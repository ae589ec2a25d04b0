import * as z from 'zod';

const nameMessage = 'must be 1 to 128 characters, no control characters';

/** The name of a quota or an alert rule: unique, shown in 429s and notifications, so printable. */
export const definitionNameSchema = z
  .string({ error: nameMessage })
  .min(1, { error: nameMessage })
  .max(128, { error: nameMessage })
  .regex(/^[^\u0000-\u001f\u007f]+$/, { error: nameMessage });

/** Where a quota or an alert rule is defined: `lookout.config.ts` (read-only at run time) or the API. */
export interface DefinitionIdentity {
  id: string;
  source: 'config' | 'api';
}

/**
 * The config's entries with their ids, `config:<name>`: derived from the name, so an entry keeps
 * its id (a quota its counters, a rule its state) across deploys and edits; renaming starts it afresh.
 */
export function withConfigIds<T extends { name: string }>(entries: readonly T[]): (T & DefinitionIdentity)[] {
  return entries.map((entry) => ({ ...entry, id: `config:${entry.name}`, source: 'config' }));
}
