import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import { html, render } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { forgetAdminKey, storeAdminKey, storedAdminKey, takeKeyFromFragment } from './app/admin-key.js';
import { apiBase, dashboardBase, pathOf, routeOf, type ViewRoute } from './app/dashboard-location.js';
import { onNavigation } from './app/navigation.js';
import { QueryApiClient } from './app/query-api-client.js';
import { AppLink } from './components/app-link.js';
import { DashboardContextValue } from './components/dashboard-context.js';
import { checkAdminKey, SignIn } from './components/sign-in.js';
import { AlertsView } from './views/alerts-view.js';
import { CacheView } from './views/cache-view.js';
import { OverviewView } from './views/overview-view.js';
import { RequestsView } from './views/requests-view.js';
import { SessionsView } from './views/sessions-view.js';
import { UsersView } from './views/users-view.js';

const NAVIGATION: { view: ViewRoute['view']; label: string; path: string[] }[] = [
  { view: 'overview', label: 'Overview', path: [] },
  { view: 'requests', label: 'Requests', path: ['requests'] },
  { view: 'users', label: 'Users', path: ['users'] },
  { view: 'sessions', label: 'Sessions', path: ['sessions'] },
  { view: 'alerts', label: 'Alerts', path: ['alerts'] },
  { view: 'cache', label: 'Cache', path: ['cache'] },
];

function Dashboard() {
  const base = dashboardBase(location.pathname);
  const api = apiBase(base);
  const [url, setUrl] = useState(() => location.href);
  const [key, setKey] = useState<string | null>(() => storedAdminKey());
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => onNavigation(() => setUrl(location.href)), []);
  useEffect(() => {
    const handed = takeKeyFromFragment();
    if (!handed) return;
    void checkAdminKey(api, handed).then((refusal) => {
      if (refusal === null) {
        storeAdminKey(handed);
        setKey(handed);
      } else setProblem(refusal);
    });
  }, []);
  const client = useMemo(() => (key ? new QueryApiClient(api, key) : null), [key]);
  if (!client) {
    return html`<${SignIn}
      apiBase=${api}
      problem=${problem}
      onSignedIn=${(signedIn: string) => {
        storeAdminKey(signedIn);
        setKey(signedIn);
      }}
    />`;
  }
  const current = new URL(url);
  const route = routeOf(current.pathname, base);
  const signOut = () => {
    forgetAdminKey();
    setKey(null);
  };
  return html`<${DashboardContextValue.Provider} value=${{ api: client, base, query: current.searchParams }}>
    <header class="top-bar">
      <span class="brand">Lookout</span>
      <nav aria-label="Views">
        ${NAVIGATION.map(
          (item) =>
            html`<${AppLink} href=${pathOf(base, ...item.path)} class=${item.view === route.view ? 'current' : ''}>${item.label}<//>`,
        )}
      </nav>
      <button type="button" class="sign-out" onClick=${signOut}>Sign out</button>
    </header>
    <main class="view" data-view=${route.view}>${viewOf(route)}</main>
  <//>`;
}

function viewOf(route: ViewRoute) {
  switch (route.view) {
    case 'overview':
      return html`<${OverviewView} />`;
    case 'requests':
      return html`<${RequestsView} requestId=${route.requestId} />`;
    case 'users':
      return html`<${UsersView} />`;
    case 'sessions':
      return html`<${SessionsView} sessionId=${route.sessionId} />`;
    case 'alerts':
      return html`<${AlertsView} alertId=${route.alertId} />`;
    case 'cache':
      return html`<${CacheView} />`;
    case 'not-found':
      return html`<div class="notice error" role="alert">There is no dashboard page <code>${route.path}</code>.</div>`;
  }
}

render(html`<${Dashboard} />`, document.getElementById('app')!);
