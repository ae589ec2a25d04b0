import type { z } from 'zod';

/**
 * The problems of a config, one indented line each: the field's dotted path, what it must be and
 * what it was (`  providers.groq.baseUrl: must be an http(s) URL ..., got "localhost:1234"`).
 */
export function describeConfigIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .flatMap(issueLines)
    .map((line) => `  ${line}`)
    .join('\n');
}

function issueLines(issue: z.core.$ZodIssue): string[] {
  // Both carry the offending key in their path already, so the input adds nothing.
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${dottedPath([...issue.path, key])}: ${issue.message}`);
  if (issue.code === 'invalid_key') return issue.issues.map((inner) => `${dottedPath(issue.path)}: ${inner.message}`);
  const at = dottedPath(issue.path);
  const got = issue.input !== undefined ? `, got ${shownValue(issue.input)}` : issue.code === 'invalid_type' ? '; it is missing' : '';
  return [`${at ? `${at}: ` : ''}${issue.message}${got}`];
}

function dottedPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
