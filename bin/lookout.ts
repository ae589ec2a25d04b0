import { App } from 'aws-cdk-lib';
import { loadLookoutConfig } from '../lib/config.js';
import { addLookoutStacks } from '../lib/lookout-app.js';

const config = await loadLookoutConfig();
const app = new App();
addLookoutStacks(app, config);
app.synth();
