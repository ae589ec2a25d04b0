/** What the query API logs through (powertools' Logger in the Lambda). */
export interface QueryLogger {
  error(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}
