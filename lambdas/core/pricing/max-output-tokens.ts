import { priceLookupNames } from './model-matching.js';
import { MODEL_PRICES, type ModelPriceEntry } from './price-table.js';

// Rows by provider and name, as compute-cost finds prices; a model's output limit is a fact of
// the model, not of its price, so config price overrides do not take it away.
const rows: ReadonlyMap<string, ModelPriceEntry> = new Map(
  MODEL_PRICES.flatMap((entry) => [entry.model, ...(entry.aliases ?? [])].map((name) => [rowKey(entry.provider, name), entry] as const)),
);

/** The most output tokens one request to a model can produce, from the price table's row for it; null when unknown. */
export function findMaxOutputTokens(provider: string, model: string): number | null {
  // The row its price comes from: a snapshot with its own row (gpt-4o-2024-05-13) has its own limit.
  for (const name of priceLookupNames(provider, model)) {
    const row = rows.get(rowKey(provider, name));
    if (row) return row.maxOutputTokens ?? null;
  }
  return null;
}

function rowKey(provider: string, modelName: string): string {
  return `${provider.trim().toLowerCase()}\n${modelName}`;
}
