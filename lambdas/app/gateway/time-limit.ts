/** `work`, or a `TimeLimitError` once `ms` have passed; `work` itself is left to finish or fail unobserved. */
export async function withinTimeLimit<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeLimitError(`${what} took more than ${ms} ms`)), ms);
  });
  try {
    // race subscribes to both, so a rejection of `work` after the limit is still handled.
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export class TimeLimitError extends Error {
  override readonly name = 'TimeLimitError';
}
