/**
 * How a model id from a request is turned into the names a price can be filed under.
 *
 * Providers version models by appending a snapshot date (`gpt-4o-2024-08-06`,
 * `claude-sonnet-4-5-20250929`, `gpt-4-0613`) or `-latest` to a family name, and nothing else is
 * safe to assume. So the only names tried are the id itself and the id without one such suffix.
 * There is deliberately no prefix or "contains" matching: `gpt-4o-mini-2024-07-18` must never fall
 * back to `gpt-4o`, and `gpt-4o-audio-preview` must not be billed as text. A wrong price is worse
 * than none, because an unpriced request is visible and a mispriced one is not.
 */

// Each pattern is a suffix that names a snapshot of the same family, never a different model.
const ISO_DATE_SUFFIX = /-(\d{4})-(\d{2})-(\d{2})$/; // OpenAI: gpt-4o-2024-08-06
const COMPACT_DATE_SUFFIX = /-(\d{4})(\d{2})(\d{2})$/; // Anthropic: claude-3-5-sonnet-20241022
const MONTH_DAY_SUFFIX = /-(\d{2})(\d{2})$/; // early OpenAI snapshots: gpt-4-0613
const LATEST_SUFFIX = /-latest$/;

/** Lower-cases and trims a model id, and drops a leading `<provider>/` naming the same provider. */
export function normaliseModelId(provider: string, model: string): string {
  const id = model.trim().toLowerCase();
  // Routers such as LiteLLM and OpenRouter write `openai/gpt-4o`. Only the request's own provider
  // is dropped: `anthropic.claude-…` (Bedrock) or `claude-…@2024…` (Vertex) are other vendors'
  // SKUs with other prices, so they stay unmatched.
  const ownPrefix = `${provider.trim().toLowerCase()}/`;
  return id.startsWith(ownPrefix) ? id.slice(ownPrefix.length) : id;
}

/** The family of a snapshot id (`gpt-4o-2024-08-06` → `gpt-4o`), or null without a snapshot suffix. */
export function modelFamilyOf(modelId: string): string | null {
  const iso = ISO_DATE_SUFFIX.exec(modelId);
  if (iso) return isCalendarDate(iso[2], iso[3]) ? familyBefore(modelId, iso.index) : null;
  const compact = COMPACT_DATE_SUFFIX.exec(modelId);
  if (compact) return isCalendarDate(compact[2], compact[3]) ? familyBefore(modelId, compact.index) : null;
  const monthDay = MONTH_DAY_SUFFIX.exec(modelId);
  if (monthDay) return isCalendarDate(monthDay[1], monthDay[2]) ? familyBefore(modelId, monthDay.index) : null;
  const latest = LATEST_SUFFIX.exec(modelId);
  if (latest) return familyBefore(modelId, latest.index);
  return null;
}

/** The names to look a price up under, most specific first: the exact id, then its family. */
export function priceLookupNames(provider: string, model: string): readonly string[] {
  const exact = normaliseModelId(provider, model);
  if (exact === '') return [];
  const family = modelFamilyOf(exact);
  return family === null ? [exact] : [exact, family];
}

// A suffix that is not a real month and day (`-9999`) is more likely part of a name than a date.
function isCalendarDate(month: string | undefined, day: string | undefined): boolean {
  const m = Number(month);
  const d = Number(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

function familyBefore(modelId: string, suffixStart: number): string | null {
  return suffixStart > 0 ? modelId.slice(0, suffixStart) : null;
}
