import { Logger } from '@aws-lambda-powertools/logger';
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import type { AlertEvaluator, EvaluationSummary } from '../app/alerts/alert-evaluator.js';
import { parseRuntimeConfig } from '../core/runtime-config.js';
import { alertEvaluatorFromEnv } from './alert-dependencies.js';

type Env = Readonly<Record<string, string | undefined>>;

const logger = new Logger({ serviceName: 'lookout-alert-evaluator' });

/**
 * The alert evaluator Lambda, run every minute by an EventBridge schedule (under `npm start`, by
 * the local stack's timer): evaluates every enabled rule over the rollups and notifies. Its
 * dependencies are built on the first run, so importing it needs no complete environment.
 */
export function createAlertEvaluatorHandler(env: Env) {
  let built: ReturnType<typeof alertEvaluatorFromEnv> | undefined;
  let documents: ReturnType<typeof createDocumentClient> | undefined;
  const evaluator = (): AlertEvaluator => {
    if (!built) {
      documents = createDocumentClient(env);
      built = alertEvaluatorFromEnv(env, parseRuntimeConfig(env), documents, logger);
    }
    return built.evaluator;
  };
  const handler = async (): Promise<EvaluationSummary> => {
    const summary = await evaluator().evaluate();
    if (summary.failedRules > 0) logger.error('alerts: rules failed to evaluate', { ...summary });
    return summary;
  };
  // For a runtime that stops (`npm start`): a Lambda's clients end with its instance.
  return Object.assign(handler, {
    close: () => {
      built?.channels.destroy();
      documents?.destroy();
    },
  });
}

export const handler = createAlertEvaluatorHandler(process.env);
