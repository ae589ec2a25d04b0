import * as z from 'zod';

/** Every error Lookout itself answers with (`LookoutError`). */
export const errorJsonSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).meta({ id: 'Error' });
