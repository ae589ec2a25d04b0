/**
 * One step of a request pipeline, in the koa / Hono middleware shape: it may work before the
 * rest (`next`) and after it, or answer on its own and not call `next` at all.
 */
export type Step<Context> = (context: Context, next: () => Promise<void>) => Promise<void>;

/**
 * Runs `steps` in order, each wrapping the ones after it (after honojs/hono `src/compose.ts`).
 * An error thrown by a step goes to `onError` right where it was thrown, and `onError` answers
 * it: the steps around it then see an answered request rather than an exception, so a step that
 * logs or settles after `next` does so whatever the inner steps did. Each step calls `next` at
 * most once.
 *
 * ```ts
 * const run = composeSteps([timing, authenticate, forward], answerError);
 * await run(context);
 * ```
 */
export function composeSteps<Context>(
  steps: readonly Step<Context>[],
  onError: (error: unknown, context: Context) => void,
): (context: Context) => Promise<void> {
  return (context) => {
    let lastStarted = -1;
    const dispatch = async (index: number): Promise<void> => {
      if (index <= lastStarted) throw new Error('a pipeline step called next() twice');
      lastStarted = index;
      const step = steps[index];
      if (!step) return;
      try {
        await step(context, () => dispatch(index + 1));
      } catch (error) {
        onError(error, context);
      }
    };
    return dispatch(0);
  };
}
