import * as z from 'zod';
import { describeConfigIssues } from '../../../contract/config-issues.js';
import { quotaInputSchema } from '../../../contract/quota-definition.js';
import { LookoutError } from '../../lookout-error.js';
import { pathIdParameter, singleValue } from './parameter-values.js';
import { queryParameters } from './query-parameters.js';

/** `{id}` of `/v1/quotas/{id}` and `/v1/quotas/{id}/usage`. */
export const quotaIdPath = z.object({
  id: pathIdParameter('quota id').meta({ description: 'The quota id: config:<name> for a config quota.' }),
});

// Longer than any user id, key name or property value the gateway takes.
const MAX_SCOPE_VALUE_LENGTH = 1024;
const scopeValueMessage = 'scopeValue is required: the user id (scope user), key name (key) or property value (property:<name>)';

/** The query of `GET /v1/quotas/{id}/usage`. */
export const quotaUsageParameters = queryParameters({
  scopeValue: z
    .preprocess(
      singleValue('scopeValue'),
      z
        .string({ error: scopeValueMessage })
        .max(MAX_SCOPE_VALUE_LENGTH, { error: `scopeValue must be at most ${MAX_SCOPE_VALUE_LENGTH} characters` }),
    )
    .meta({
      description:
        'Whose counter: the user id for scope user, the gateway key name for key (or its prefix, lk_…, when several live keys ' +
        'share the name), the property value for property:<name>.',
    }),
});

/**
 * The 400 for a quota body that is not a quota: every problem, each named by its field in the
 * format `lookout.config.ts`'s errors have (`limit: must be a number above 0, got -1`).
 */
export function invalidQuotaBody(body: unknown): LookoutError {
  // What was sent is quoted only when asked for (`reportInput`).
  const parsed = quotaInputSchema.safeParse(body, { reportInput: true });
  const problems = parsed.success ? [] : describeConfigIssues(parsed.error.issues).split('\n');
  return new LookoutError(400, 'invalid_quota', problems.map((line) => line.trim()).join('; ') || 'the body is not a quota');
}
