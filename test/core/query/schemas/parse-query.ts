import type { z } from 'zod';
import { invalidParameterFromIssues } from '../../../../lambdas/core/query/schemas/query-parameters.js';

/**
 * Parses a raw query string with a parameters schema the way the router hands it over (a
 * repeated parameter as an array of its values); a failure throws the router's 400.
 */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, rawQuery: string): z.output<Schema> {
  const params = new URLSearchParams(rawQuery);
  const values: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const all = params.getAll(name);
    values[name] = all.length === 1 ? all[0]! : all;
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw invalidParameterFromIssues(parsed.error.issues);
  return parsed.data;
}
