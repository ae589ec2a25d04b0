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
});
