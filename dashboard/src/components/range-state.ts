import { navigate } from '../app/navigation.js';
import { rangeFromQuery, rangeIntoQuery, type TimeRange } from '../app/time-range.js';
import { useDashboard } from './dashboard-context.js';

/** The view's range, read from the URL, and how to change it (the URL changes, so the link shows it). */
export function useRangeInUrl(): [TimeRange, (range: TimeRange) => void] {
  const { query } = useDashboard();
  const range = rangeFromQuery(query);
  const setRange = (next: TimeRange) => {
    const updated = rangeIntoQuery(next, new URLSearchParams(query));
    navigate(`${location.pathname}${updated.size > 0 ? `?${updated}` : ''}`, { replace: true });
  };
  return [range, setRange];
}

/** Sets (or, with an empty value, removes) one parameter of the URL's query, keeping the rest. */
export function setQueryParameter(query: URLSearchParams, name: string, value: string | null): void {
  const updated = new URLSearchParams(query);
  if (value === null || value === '') updated.delete(name);
  else updated.set(name, value);
  navigate(`${location.pathname}${updated.size > 0 ? `?${updated}` : ''}`, { replace: true });
}
