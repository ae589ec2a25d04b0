import type { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * DynamoDB's JSON protocol carries binary attribute values (`B`, `BS`) as base64 strings, where
 * `@aws-sdk/util-dynamodb` has `Uint8Array`s (the SDK's serde converts between them; the lean
 * client does it here). Everything else in a marshalled item is already its JSON form.
 */

/** Attribute values as `marshall` makes them and `unmarshall` takes them. */
export type AttributeValues = Parameters<typeof unmarshall>[0];

/** What `marshall` made, as the request body carries it. */
export function attributeValuesToJson(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const name of Object.keys(values)) json[name] = valueToJson(values[name] as Record<string, unknown>);
  return json;
}

/** An item from an answer's body, as `unmarshall` takes it. */
export function attributeValuesFromJson(json: Record<string, unknown>): AttributeValues {
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(json)) values[name] = valueFromJson(json[name] as Record<string, unknown>);
  return values as AttributeValues;
}

function valueToJson(value: Record<string, unknown>): unknown {
  if (value.B !== undefined) return { B: base64Of(value.B as Uint8Array) };
  if (value.BS !== undefined) return { BS: (value.BS as Uint8Array[]).map(base64Of) };
  if (value.M !== undefined) return { M: attributeValuesToJson(value.M as Record<string, unknown>) };
  if (value.L !== undefined) return { L: (value.L as Record<string, unknown>[]).map(valueToJson) };
  return value;
}

function valueFromJson(value: Record<string, unknown>): unknown {
  if (typeof value.B === 'string') return { B: bytesOf(value.B) };
  if (Array.isArray(value.BS)) return { BS: (value.BS as string[]).map(bytesOf) };
  if (value.M !== undefined) return { M: attributeValuesFromJson(value.M as Record<string, unknown>) };
  if (Array.isArray(value.L)) return { L: (value.L as Record<string, unknown>[]).map(valueFromJson) };
  return value;
}

function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function bytesOf(base64: string): Uint8Array {
  const buffer = Buffer.from(base64, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
