import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { QueryApiClient } from '../app/query-api-client.js';

/** What every view needs: the API client signed in, where the dashboard is, and the URL's query. */
export interface DashboardContext {
  api: QueryApiClient;
  base: string;
  query: URLSearchParams;
}

export const DashboardContextValue = createContext<DashboardContext | null>(null);

export function useDashboard(): DashboardContext {
  const context = useContext(DashboardContextValue);
  if (!context) throw new Error('useDashboard outside the signed-in dashboard');
  return context;
}
