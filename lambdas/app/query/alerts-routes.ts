import { every } from 'hono/combine';
import { alertHistoryEntryJson, alertRuleDetailJson, alertRuleJson, alertRuleWithStateJson } from '../../core/query/alert-json.js';
import {
  alertHistorySchema,
  alertRuleBodySchema,
  alertRuleDetailSchema,
  alertRuleJsonSchema,
  alertRuleListSchema,
  alertTestResultSchema,
} from '../../core/query/schemas/alert-json-schemas.js';
import { alertHistoryParameters, alertIdPath, invalidAlertBody } from '../../core/query/schemas/alert-parameters.js';
import { noQueryParameters } from '../../core/query/schemas/query-parameters.js';
import { alertRuleCatalog } from './alert-rule-catalog.js';
import { sendTestNotification } from './alert-test-notification.js';
import { jsonBodyCheck } from './json-body-check.js';
import type { QueryApp, QueryRouteContext } from './query-route-context.js';
import { adminRoute, errorResponse, jsonResponse } from './route-config.js';

/** Each problem of a rule body named by its field (`invalidAlertBody`), before the route's own validation. */
const alertBodyCheck = jsonBodyCheck({
  noun: 'alert rule',
  invalidCode: 'invalid_alert',
  schema: alertRuleBodySchema,
  invalidBody: invalidAlertBody,
});

const bodyProblems =
  'A body that is not an alert rule is a 400 invalid_alert whose message names each bad field, what it must be and what ' +
  'was sent (windowSeconds: must be whole seconds from 60 to 2592000 (30 days), got 10), as the errors of lookout.config.ts do.';

const ruleBody = {
  required: true,
  content: { 'application/json': { schema: alertRuleBodySchema } },
} as const;

const notFoundResponse = errorResponse('No alert rule has this id');
const readOnlyResponse = errorResponse('A rule of lookout.config.ts (alert_read_only): change it there and deploy');
const unsupportedMediaResponse = errorResponse('A body not sent as application/json');

const listAlerts = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/alerts',
      operationId: 'listAlerts',
      summary: 'Every alert rule, those of lookout.config.ts (read-only) and those made here, with where each stands',
      description: 'state, value, requests, since and evaluatedAt are as in GET /v1/alerts/{id}, whose groups this leaves out.',
      request: { query: noQueryParameters },
      responses: { 200: jsonResponse('The rules', alertRuleListSchema) },
    },
    context.requireAdminKey,
  );

const createAlert = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'post',
      path: '/v1/alerts',
      operationId: 'createAlert',
      summary: 'Make an alert rule',
      description:
        "Its id is generated; names are unique across the config's rules and these. The evaluator takes it up on its next run " +
        `(every minute), and the rollups index the properties it filters or groups by within a minute. ${bodyProblems}`,
      request: { query: noQueryParameters, body: ruleBody },
      responses: {
        201: jsonResponse('The rule, with its id and defaults', alertRuleJsonSchema),
        409: errorResponse('Another rule has this name (alert_name_taken)'),
        415: unsupportedMediaResponse,
      },
    },
    every(context.requireAdminKey, alertBodyCheck),
  );

const getAlert = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/alerts/{id}',
      operationId: 'getAlert',
      summary: 'One alert rule, where it stands (ok, firing or resolved) and, for a rule with groupBy, each group',
      description: 'The figures are those of the last evaluation, stored with the state; GET /v1/alerts/{id}/history has what was sent.',
      request: { params: alertIdPath, query: noQueryParameters },
      responses: { 200: jsonResponse('The rule and its state', alertRuleDetailSchema), 404: notFoundResponse },
    },
    context.requireAdminKey,
  );

const replaceAlert = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'put',
      path: '/v1/alerts/{id}',
      operationId: 'replaceAlert',
      summary: 'Replace an alert rule made here',
      description:
        'It keeps its id, and so its state and history: a firing alert stays firing until the new rule finds it quiet for ' +
        `resolveAfterSeconds. ${bodyProblems}`,
      request: { params: alertIdPath, query: noQueryParameters, body: ruleBody },
      responses: {
        200: jsonResponse('The rule as replaced', alertRuleJsonSchema),
        404: notFoundResponse,
        409: errorResponse('A rule of lookout.config.ts (alert_read_only), or another rule has this name (alert_name_taken)'),
        415: unsupportedMediaResponse,
      },
    },
    every(context.requireAdminKey, alertBodyCheck),
  );

const deleteAlert = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'delete',
      path: '/v1/alerts/{id}',
      operationId: 'deleteAlert',
      summary: 'Delete an alert rule made here',
      description: 'It is no longer evaluated; nothing is sent to say so.',
      request: { params: alertIdPath, query: noQueryParameters },
      responses: { 204: { description: 'Deleted' }, 404: notFoundResponse, 409: readOnlyResponse },
    },
    context.requireAdminKey,
  );

const alertHistory = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/alerts/{id}/history',
      operationId: 'alertHistory',
      summary: "An alert rule's transitions (triggered, resolved, reminder) and each channel's delivery, newest first",
      request: { params: alertIdPath, query: alertHistoryParameters },
      responses: { 200: jsonResponse('The history (empty before the first notification)', alertHistorySchema), 404: notFoundResponse },
    },
    context.requireAdminKey,
  );

const testAlert = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'post',
      path: '/v1/alerts/{id}/test',
      operationId: 'testAlert',
      summary: "Send a test notification to every channel of an alert rule, with the rule's figures now",
      description:
        "The notification (kind test) carries the metric over the rule's window and filter as read now, its top contributors " +
        'and the link to its requests; a rule with groupBy is read as a whole. Each channel is tried as the evaluator tries it, ' +
        'with its retries; a disabled rule is sent too. Each delivery is recorded in the history; the state is untouched. A ' +
        'channel that fails is in the answer with its error (still a 200), so a misconfigured channel shows here. No body.',
      request: { params: alertIdPath, query: noQueryParameters },
      responses: { 200: jsonResponse("What became of each channel's delivery", alertTestResultSchema), 404: notFoundResponse },
    },
    context.requireAdminKey,
  );

/**
 * `GET/POST /v1/alerts`, `GET/PUT/DELETE /v1/alerts/{id}`, `GET /v1/alerts/{id}/history` and
 * `POST /v1/alerts/{id}/test`.
 */
export function registerAlertRoutes(app: QueryApp, context: QueryRouteContext): void {
  const catalog = alertRuleCatalog(context.configAlerts, context.alertRules);
  app.openapi(listAlerts(context), async (c) => {
    const rules = await catalog.list();
    const states = await Promise.all(rules.map((rule) => context.alertStates.readStates(rule.id)));
    return c.json({ alerts: rules.map((rule, index) => alertRuleWithStateJson(rule, states[index]!)) }, 200);
  });
  app.openapi(createAlert(context), async (c) => c.json(alertRuleJson(await catalog.create(c.req.valid('json'))), 201));
  // Before `/v1/alerts/{id}`, whose greedy id would otherwise take `.../history` and `.../test` too.
  app.openapi(alertHistory(context), async (c) => {
    const rule = await catalog.find(c.req.valid('param').id);
    const history = await context.alertStates.readHistory(rule.id, c.req.valid('query').limit);
    return c.json({ history: history.map(alertHistoryEntryJson) }, 200);
  });
  app.openapi(testAlert(context), async (c) => {
    const rule = await catalog.find(c.req.valid('param').id);
    const deliveries = await sendTestNotification(context, rule, context.now());
    return c.json(
      {
        deliveries: deliveries.map(({ channel, outcome, attempts, error }) => ({
          channel,
          outcome,
          attempts,
          ...(error !== undefined && { error }),
        })),
      },
      200,
    );
  });
  app.openapi(getAlert(context), async (c) => {
    const rule = await catalog.find(c.req.valid('param').id);
    return c.json(alertRuleDetailJson(rule, await context.alertStates.readStates(rule.id)), 200);
  });
  app.openapi(replaceAlert(context), async (c) =>
    c.json(alertRuleJson(await catalog.replace(c.req.valid('param').id, c.req.valid('json'))), 200),
  );
  app.openapi(deleteAlert(context), async (c) => {
    await catalog.delete(c.req.valid('param').id);
    return c.body(null, 204);
  });
}
