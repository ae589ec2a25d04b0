import * as z from 'zod';
import { PROPERTY_NAME_PATTERN } from '../../../contract/property-names.js';
import { MAX_PROPERTIES, MAX_PROPERTY_VALUE_LENGTH } from '../../headers/custom-properties.js';
import type { LookoutError } from '../../lookout-error.js';
import { invalidParameter } from '../invalid-parameter.js';
import type { ExplicitWindow } from '../time-window.js';
import { instantParameter, textParameter, type Instant } from './parameter-values.js';

const PROPERTY_PREFIX = 'property.';

/** Marks the problems with parameter names, which a 400 reports before any other. */
const NAME_PROBLEM = { nameProblem: true } as const;

/**
 * The query of one endpoint: the parameters in `shape`, plus `property.<name>` filters when
 * `propertyFilters` is set. Any other parameter is refused by name: a misspelt filter (`userid`)
 * that was silently ignored would return unfiltered data that looks filtered.
 */
export function queryParameters<Shape extends z.ZodRawShape>(shape: Shape, { propertyFilters = false } = {}) {
  return z.looseObject(shape).superRefine(
    (params, ctx) => {
      for (const name of Object.keys(params)) {
        if (!Object.hasOwn(shape, name) && !(propertyFilters && isPropertyFilter(name))) {
          ctx.addIssue({ code: 'custom', path: [name], message: `${name} is not a parameter of this endpoint`, params: NAME_PROBLEM });
        }
      }
      if (!propertyFilters) return;
      for (const message of readPropertyFilters(params).problems) ctx.addIssue({ code: 'custom', message, params: NAME_PROBLEM });
    },
    // Names are checked even when a value is wrong too: the misspelt name explains more.
    { when: () => true },
  );
}

/** The query of an endpoint that takes no query parameters, so that any given is refused by name. */
export const noQueryParameters = queryParameters({});

/** `from` and `to`, for endpoints that read a time window. */
export const windowParameters = {
  from: instantParameter('from').meta({
    description: 'Start (inclusive): ISO-8601 or epoch ms. Default: the start of the retention period.',
  }),
  to: instantParameter('to').meta({ description: 'End (exclusive): ISO-8601 or epoch ms. Default: now.' }),
};

/** Refuses `from` after `to` (a `superRefine` of queries with `windowParameters`). */
export function fromNotAfterTo(params: { from?: Instant; to?: Instant }, ctx: z.RefinementCtx): void {
  const { from, to } = params;
  if (from && to && from.ms > to.ms) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: `from must not be after to (from ${from.text}, to ${to.text})` });
  }
}

/** The explicit window of a parsed query; defaults are applied later, by `resolveTimeWindow`. */
export function explicitWindowOf(params: { from?: Instant; to?: Instant }): ExplicitWindow {
  return { fromMs: params.from?.ms, toMs: params.to?.ms };
}

/** The value of one `property.<name>` filter. */
export function propertyFilterValue(name: string) {
  return textParameter(name, MAX_PROPERTY_VALUE_LENGTH);
}

/**
 * The `property.<name>=<value>` filters of a query, names lower-cased as the gateway stores them
 * (header names are case-insensitive), and what is wrong with them, in the order given.
 */
export function readPropertyFilters(params: Readonly<Record<string, unknown>>): { properties: Record<string, string>; problems: string[] } {
  const properties: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(params)) {
    if (!isPropertyFilter(name)) continue;
    const property = name.slice(PROPERTY_PREFIX.length).toLowerCase();
    if (!PROPERTY_NAME_PATTERN.test(property)) {
      problems.push(`${name} has an invalid property name: use 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit`);
      continue;
    }
    if (Object.hasOwn(properties, property)) {
      problems.push(`${name} filters property "${property}" a second time`);
      continue;
    }
    const value = propertyFilterValue(name).safeParse(raw);
    if (value.success) properties[property] = value.data!;
    else problems.push(...value.error.issues.map((issue) => issue.message));
  }
  const count = Object.keys(properties).length;
  if (count > MAX_PROPERTIES) problems.push(`property.<name>: at most ${MAX_PROPERTIES} property filters, got ${count}`);
  return { properties, problems };
}

/**
 * The 400 for a query or path that did not parse: a problem with a parameter's name comes first,
 * else the first problem in the order the schema lists its parameters.
 */
export function invalidParameterFromIssues(issues: readonly z.core.$ZodIssue[]): LookoutError {
  const issue = issues.find((candidate) => candidate.code === 'custom' && candidate.params?.nameProblem === true) ?? issues[0];
  return invalidParameter(issue?.message ?? 'the query string is invalid');
}

function isPropertyFilter(name: string): boolean {
  return name.toLowerCase().startsWith(PROPERTY_PREFIX);
}
