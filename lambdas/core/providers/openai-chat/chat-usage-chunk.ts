/**
 * What `stream_options.include_usage` adds to a Chat Completions stream, and how to take it out
 * again: an extra last chunk with empty `choices` and the usage, and `"usage":null` in every other
 * chunk. Removal edits the JSON text rather than re-serialising it, so escapes, number spellings
 * and member order the provider chose reach the client unchanged.
 */

/** Whether a parsed chunk is the usage-only chunk that `include_usage` appends. */
export function isUsageOnlyChunk(chunk: unknown): boolean {
  if (typeof chunk !== 'object' || chunk === null) return false;
  const { choices, usage } = chunk as Record<string, unknown>;
  return Array.isArray(choices) && choices.length === 0 && typeof usage === 'object' && usage !== null;
}

/**
 * The JSON text without its top-level `"usage": null` member, or null when it has none (so a chunk
 * whose usage carries counts, or whose text is not an object, is never touched).
 */
export function removeNullUsageMember(json: string): string | null {
  const member = findTopLevelMember(json, 'usage');
  if (!member) return null;
  if (!json.startsWith('null', member.valueStart) || !isValueEnd(json[member.valueStart + 4])) return null;
  const valueEnd = member.valueStart + 4;
  if (member.precedingComma !== -1) {
    // `…,"usage":null` goes with the comma before it; what follows keeps its own spacing.
    return json.slice(0, member.precedingComma) + json.slice(valueEnd);
  }
  const afterValue = skipWhitespace(json, valueEnd);
  if (json[afterValue] === ',') {
    // The first member goes with the comma after it and the spacing up to the next member.
    return json.slice(0, member.keyStart) + json.slice(skipWhitespace(json, afterValue + 1));
  }
  return json.slice(0, member.keyStart) + json.slice(valueEnd);
}

interface MemberLocation {
  keyStart: number;
  valueStart: number;
  /** The comma separating this member from the previous one, or -1 for the first member. */
  precedingComma: number;
}

/** Finds the last top-level member named `name` (the one `JSON.parse` would keep). */
function findTopLevelMember(json: string, name: string): MemberLocation | null {
  let i = skipWhitespace(json, 0);
  if (json[i] !== '{') return null;
  i++;
  let depth = 1;
  let expectKey = true;
  let precedingComma = -1;
  let found: MemberLocation | null = null;
  while (i < json.length) {
    const char = json[i];
    if (char === '"') {
      const end = stringEnd(json, i);
      if (end === -1) return found;
      if (depth === 1 && expectKey) {
        expectKey = false;
        const colon = skipWhitespace(json, end);
        if (json[colon] === ':' && keyEquals(json.slice(i, end), name)) {
          found = { keyStart: i, valueStart: skipWhitespace(json, colon + 1), precedingComma };
        }
      }
      i = end;
      continue;
    }
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return found;
    } else if (char === ',' && depth === 1) {
      expectKey = true;
      precedingComma = i;
    }
    i++;
  }
  return found;
}

/** The index just past the closing quote of the string starting at `start`, or -1 if unclosed. */
function stringEnd(json: string, start: number): number {
  for (let i = start + 1; i < json.length; i++) {
    const char = json[i];
    if (char === '\\') i++;
    else if (char === '"') return i + 1;
  }
  return -1;
}

function keyEquals(quoted: string, name: string): boolean {
  if (quoted === `"${name}"`) return true;
  if (!quoted.includes('\\')) return false;
  try {
    return JSON.parse(quoted) === name;
  } catch {
    return false;
  }
}

function skipWhitespace(json: string, from: number): number {
  let i = from;
  while (i < json.length && (json[i] === ' ' || json[i] === '\n' || json[i] === '\r' || json[i] === '\t')) i++;
  return i;
}

function isValueEnd(char: string | undefined): boolean {
  return char === undefined || char === ',' || char === '}' || char === ' ' || char === '\n' || char === '\r' || char === '\t';
}
