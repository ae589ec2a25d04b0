import type { RequestFilters } from '../../core/query/request-list-query.js';
import { OK_STATUS_RANGE } from '../../core/query/request-outcome-class.js';
import type { TimeWindow } from '../../core/query/time-window.js';
import { INDEX_SORT_ATTRIBUTE, indexPartitionAttribute, type IndexPositionKey, type RequestLogIndex } from './request-log-index.js';

/** Filters applied to items after DynamoDB reads them. */
export type ItemFilters = Partial<Omit<RequestFilters, 'properties'>> & {
  properties?: Readonly<Record<string, string>>;
};

/** One page read from one partition of an index. */
export interface IndexQuery {
  index: RequestLogIndex;
  /** The partition-key value: a `YYYY-MM-DD` day, a user id or a session id. */
  partition: string;
  /** Only items with `createdAtMs` in `[fromMs, toMs)`; null for the whole partition. */
  window: TimeWindow | null;
  newestFirst: boolean;
  filters: ItemFilters;
  /** Attributes to return; null for whole items. */
  projection: readonly string[] | null;
  startKey: IndexPositionKey | null;
  /** How many items DynamoDB may evaluate (before filters), not how many it returns. */
  limit: number;
}

/** The expression members of a DynamoDB Query for an `IndexQuery` (plain values: the document client marshals them). */
export interface IndexQueryExpressions {
  KeyConditionExpression: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * Builds the key condition (partition + `createdAtMs` range), filter and projection of a query.
 * Every attribute name goes through a placeholder, since `status`, `model`, `day` and others are
 * DynamoDB reserved words, and user-supplied values only ever appear as expression values.
 */
export function indexQueryExpressions(query: IndexQuery): IndexQueryExpressions {
  const builder = new ExpressionBuilder();
  const key = [`${builder.name(indexPartitionAttribute(query.index))} = ${builder.value(query.partition)}`];
  if (query.window) {
    const { fromMs, toMs } = query.window;
    // BETWEEN is inclusive on both ends; `to` is exclusive and times are integer milliseconds.
    if (!(fromMs < toMs)) throw new RangeError(`empty time window [${fromMs}, ${toMs})`);
    key.push(`${builder.name(INDEX_SORT_ATTRIBUTE)} BETWEEN ${builder.value(fromMs)} AND ${builder.value(toMs - 1)}`);
  }
  const conditions = filterConditions(query.filters, builder);
  const projection = query.projection?.map((attribute) => builder.name(attribute)).join(', ');
  return {
    KeyConditionExpression: key.join(' AND '),
    ...(conditions.length > 0 && { FilterExpression: conditions.join(' AND ') }),
    ...(projection && { ProjectionExpression: projection }),
    ExpressionAttributeNames: builder.names,
    ExpressionAttributeValues: builder.values,
  };
}

/** True when the query has a filter, i.e. DynamoDB may return fewer items than it evaluates. */
export function hasItemFilters(filters: ItemFilters): boolean {
  return filterConditions(filters, new ExpressionBuilder()).length > 0;
}

function filterConditions(filters: ItemFilters, builder: ExpressionBuilder): string[] {
  const conditions: string[] = [];
  const equals = (attribute: string, value: unknown) => conditions.push(`${builder.name(attribute)} = ${builder.value(value)}`);
  if (filters.userId !== undefined) equals('userId', filters.userId);
  if (filters.sessionId !== undefined) equals('sessionId', filters.sessionId);
  if (filters.model !== undefined) equals('model', filters.model);
  if (filters.provider !== undefined) equals('provider', filters.provider);
  if (typeof filters.status === 'number') equals('status', filters.status);
  if (filters.status === 'ok' || filters.status === 'error') {
    const status = builder.name('status');
    const outcome = builder.name('outcome');
    const min = builder.value(OK_STATUS_RANGE.min);
    const max = builder.value(OK_STATUS_RANGE.max);
    const completed = builder.value('completed');
    conditions.push(
      filters.status === 'ok'
        ? `(${status} BETWEEN ${min} AND ${max} AND ${outcome} = ${completed})`
        : `(${status} < ${min} OR ${status} > ${max} OR ${outcome} <> ${completed})`,
    );
  }
  if (filters.cacheHit === true) equals('cacheHit', true);
  if (filters.cacheHit === false) {
    // Items written before the field existed have no `cacheHit`: they were not cache hits.
    const cacheHit = builder.name('cacheHit');
    conditions.push(`(attribute_not_exists(${cacheHit}) OR ${cacheHit} = ${builder.value(false)})`);
  }
  for (const [property, value] of Object.entries(filters.properties ?? {})) {
    conditions.push(`${builder.name('properties')}.${builder.name(property)} = ${builder.value(value)}`);
  }
  return conditions;
}

class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private readonly placeholders = new Map<string, string>();

  name(attribute: string): string {
    let placeholder = this.placeholders.get(attribute);
    if (!placeholder) {
      // Numbered, not derived from the name: property names may hold `-` and `.`, which are not
      // allowed in placeholders.
      placeholder = `#n${this.placeholders.size}`;
      this.placeholders.set(attribute, placeholder);
      this.names[placeholder] = attribute;
    }
    return placeholder;
  }

  value(value: unknown): string {
    const placeholder = `:v${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    return placeholder;
  }
}
