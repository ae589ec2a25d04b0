import { App } from 'aws-cdk-lib';
import { LookoutConfigError, type LookoutConfig } from '../lambdas/contract/lookout-config.js';
import { loadLookoutConfig } from '../lambdas/contract/lookout-config-file.js';
import { addLookoutStacks } from '../lib/lookout-app.js';

// A config mistake is the user's to fix, not a crash: show what is wrong, without a stack trace.
let config: LookoutConfig;
try {
  config = await loadLookoutConfig();
} catch (error) {
  if (!(error instanceof LookoutConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const app = new App();
addLookoutStacks(app, config);
app.synth();
