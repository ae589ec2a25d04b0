// Placeholder until the query API handler lands (replaced in the same session).
export const handler = async (): Promise<void> => {};
