import { every } from 'hono/combine';
import { quotaJson } from '../../core/query/quota-json.js';
import { quotaBodySchema, quotaJsonSchema, quotaListSchema, quotaUsageSchema } from '../../core/query/schemas/quota-json-schemas.js';
import { invalidQuotaBody, quotaIdPath, quotaUsageParameters } from '../../core/query/schemas/quota-parameters.js';
import { noQueryParameters } from '../../core/query/schemas/query-parameters.js';
import { jsonBodyCheck } from './json-body-check.js';
import { quotaCatalog } from './quota-catalog.js';
import { readQuotaUsage } from './quota-usage.js';
import type { QueryApp, QueryRouteContext } from './query-route-context.js';
import { adminRoute, errorResponse, jsonResponse } from './route-config.js';

/** Each problem of a quota body named by its field (`invalidQuotaBody`), before the route's own validation. */
const quotaBodyCheck = jsonBodyCheck({
  noun: 'quota',
  invalidCode: 'invalid_quota',
  schema: quotaBodySchema,
  invalidBody: invalidQuotaBody,
});

const bodyProblems =
  'A body that is not a quota is a 400 invalid_quota whose message names each bad field, what it must be and what was sent ' +
  '(limit: must be a number above 0, got -1), as the errors of lookout.config.ts do.';

const quotaBody = {
  required: true,
  content: { 'application/json': { schema: quotaBodySchema } },
} as const;

const readOnlyResponse = errorResponse('A quota of lookout.config.ts (quota_read_only): change it there and deploy');
const nameTakenResponse = errorResponse('Another quota has this name (quota_name_taken)');

const listQuotas = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/quotas',
      operationId: 'listQuotas',
      summary: 'Every quota the gateway enforces: those of lookout.config.ts (read-only) and those made here',
      request: { query: noQueryParameters },
      responses: { 200: jsonResponse('The quotas', quotaListSchema) },
    },
    context.requireAdminKey,
  );

const createQuota = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'post',
      path: '/v1/quotas',
      operationId: 'createQuota',
      summary: 'Make a quota',
      description: `Its id is generated; names are unique across the config's quotas and these. ${bodyProblems}`,
      request: { query: noQueryParameters, body: quotaBody },
      responses: {
        201: jsonResponse('The quota, with its id', quotaJsonSchema),
        409: nameTakenResponse,
        415: errorResponse('A body not sent as application/json'),
      },
    },
    every(context.requireAdminKey, quotaBodyCheck),
  );

const getQuota = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/quotas/{id}',
      operationId: 'getQuota',
      summary: 'One quota',
      request: { params: quotaIdPath, query: noQueryParameters },
      responses: { 200: jsonResponse('The quota', quotaJsonSchema), 404: errorResponse('No quota has this id') },
    },
    context.requireAdminKey,
  );

const replaceQuota = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'put',
      path: '/v1/quotas/{id}',
      operationId: 'replaceQuota',
      summary: 'Replace a quota made here',
      description: `It keeps its id, and so its counters: what they have counted counts against the new limit. ${bodyProblems}`,
      request: { params: quotaIdPath, query: noQueryParameters, body: quotaBody },
      responses: {
        200: jsonResponse('The quota as replaced', quotaJsonSchema),
        404: errorResponse('No quota has this id'),
        409: errorResponse('A quota of lookout.config.ts (quota_read_only), or another quota has this name (quota_name_taken)'),
        415: errorResponse('A body not sent as application/json'),
      },
    },
    every(context.requireAdminKey, quotaBodyCheck),
  );

const deleteQuota = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'delete',
      path: '/v1/quotas/{id}',
      operationId: 'deleteQuota',
      summary: 'Delete a quota made here',
      request: { params: quotaIdPath, query: noQueryParameters },
      responses: { 204: { description: 'Deleted' }, 404: errorResponse('No quota has this id'), 409: readOnlyResponse },
    },
    context.requireAdminKey,
  );

const quotaUsage = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/quotas/{id}/usage',
      operationId: 'quotaUsage',
      summary: "One scope value's live counter of a quota: used, reserved, limit, remaining and window end",
      description:
        'Amounts are in the quota\'s unit (USD for "usd"). reserved is what requests still running hold; the gateway ' +
        'settles each to its real cost when its answer ends.',
      request: { params: quotaIdPath, query: quotaUsageParameters },
      responses: {
        200: jsonResponse('The counter (all zero when nothing is counted)', quotaUsageSchema),
        404: errorResponse('No quota has this id, or (scope key) no gateway key has this name'),
      },
    },
    context.requireAdminKey,
  );

/** `GET/POST /v1/quotas`, `GET/PUT/DELETE /v1/quotas/{id}` and `GET /v1/quotas/{id}/usage`. */
export function registerQuotaRoutes(app: QueryApp, context: QueryRouteContext): void {
  const catalog = quotaCatalog(context.configQuotas, context.quotaStore);
  app.openapi(listQuotas(context), async (c) => c.json({ quotas: (await catalog.list()).map(quotaJson) }, 200));
  app.openapi(createQuota(context), async (c) => c.json(quotaJson(await catalog.create(c.req.valid('json'))), 201));
  // Before `/v1/quotas/{id}`, whose greedy id would otherwise take `.../usage` too.
  app.openapi(quotaUsage(context), async (c) => {
    const quota = await catalog.find(c.req.valid('param').id);
    return c.json(await readQuotaUsage(context, quota, c.req.valid('query').scopeValue, context.now()), 200);
  });
  app.openapi(getQuota(context), async (c) => c.json(quotaJson(await catalog.find(c.req.valid('param').id)), 200));
  app.openapi(replaceQuota(context), async (c) =>
    c.json(quotaJson(await catalog.replace(c.req.valid('param').id, c.req.valid('json'))), 200),
  );
  app.openapi(deleteQuota(context), async (c) => {
    await catalog.delete(c.req.valid('param').id);
    return c.body(null, 204);
  });
}
