import { defineConfig } from './lambdas/contract/lookout-config.js';

// The deployment config, reviewed like the rest of the stack. Every field is optional; see
// lambdas/contract/lookout-config.ts for the defaults. `openai` and `anthropic` point at the
// real APIs unless overridden.
export default defineConfig({
  providers: {
    // An OpenAI-compatible provider gets the route /<name>/v1/*, e.g.:
    // groq: { baseUrl: 'https://api.groq.com/openai' },
  },
  // Origins the generic /gateway/* route may reach through the Lookout-Target-URL header.
  targetUrlAllowlist: [],
  retentionDays: 30,
  logRetentionDays: 30,
  stageName: 'prod',
  // Where the response cache lives: 'dynamodb' (no VPC, no fixed cost) or 'valkey' (ElastiCache
  // Serverless, with the gateway in a VPC: about $43 a month before any traffic). The README's
  // "Choosing a cache backend" compares them.
  cacheBackend: 'dynamodb',
  // With 'valkey' only: the NAT gateways the gateway reaches the providers through (1, or 2 to
  // survive a zone outage, about $36.50 a month each), and the cache's usage limits, its bill's cap.
  // natGateways: 1,
  // valkeyLimits: { maxDataStorageGb: 1, maxEcpuPerSecond: 5000 },
  // Server-side quotas, checked on every request they match (more can be made through /v1/quotas).
  // Each has the id config:<name>, so a name is given once. Each free user gets $1 a day:
  // quotas: [{ name: 'free-daily', unit: 'usd', limit: 1, windowSeconds: 86400, scope: 'user', match: { properties: { tier: 'free' } } }],
  // Custom properties (Lookout-Property-<Name>, lower-case here) whose values /v1/metrics can filter
  // and split by, as the guide's feature breakdown does; each value gets its own rollup series.
  // After adding one, `npm run rollups:rebuild -- --from DAY --to DAY` fills in the past days.
  // indexedProperties: ['environment', 'feature'],
  // Alert rules, evaluated every minute over the rollups (more can be made through /v1/alerts).
  // The monitoring guide's three, for production traffic (see the README's "Alerts"):
  // alerts: [
  //   { name: 'Production error rate', metric: 'error_rate', threshold: 5, windowSeconds: 600, minRequests: 10,
  //     filter: { properties: { environment: 'production' } }, severity: 'critical',
  //     channels: { slack: true, email: ['oncall@example.com'] } },
  //   { name: 'Daily cost', metric: 'cost', threshold: 100, windowSeconds: 86400, forecast: true,
  //     filter: { properties: { environment: 'production' } }, channels: { email: ['finance@example.com'], slack: true } },
  //   { name: 'Slow responses', metric: 'latency_p95', threshold: 10000, windowSeconds: 1800, minRequests: 20,
  //     filter: { properties: { environment: 'production' } }, channels: { slack: true } },
  // ],
  // The verified SES address alert e-mails come from, and who else hears from the alerts topic:
  // alertEmailFrom: 'alerts@example.com',
  // alertTopicSubscriptions: [{ protocol: 'email', endpoint: 'oncall@example.com' }],
});
