// WhatsApp Flows: list and create on a business account or a phone number (one route each), the
// flow.json asset (read with a download link, upload), publish, deprecate, delete. GET and POST
// /{flow_id} are one-segment routes: objects.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { graphError, unknownGraphObject } from '../../../errors.js';
import { graphKindOf } from '../../../lib/ids.js';
import { checkFlowJson, type FlowJsonCheck } from '../../../resources/whatsapp-flows/flow-json.js';
import { FLOW_CATEGORIES, type FlowRecord } from '../../../resources/whatsapp-flows/schemas.js';
import { graphRoutes, lookups, originOf } from '../context.js';
import { META_PROXY_PREFIX } from '../errors.js';
import { pick, requestedFields } from '../fields.js';
import { UploadedFile } from '../form.js';
import type { LinkSigner } from '../links.js';
import {
  CursorQuery, FlowOwnerParams, FlowParams, FlowSummary, FlowValidationError, GraphFlow, Paging, pagingOf, Success,
} from '../schemas.js';

export const FLOW_ASSET_DOWNLOAD_PATH = `${META_PROXY_PREFIX}/flow_asset_download`;
const ASSET_URL_MS = 60 * 60_000;
const PREVIEW_MS = 30 * 24 * 3600_000;

const Categories = z.array(z.enum(FLOW_CATEGORIES)).min(1);

const FLOW_FIELDS = [
  'id', 'name', 'status', 'categories', 'validation_errors', 'json_version', 'data_api_version', 'endpoint_uri', 'preview',
  'whatsapp_business_account', 'application', 'health_status',
] as const;
const DEFAULT_FLOW_FIELDS = ['id', 'name', 'status', 'categories', 'validation_errors'];

/** Where a flow can be sent: a published (or draft, for tests) Flow is available, a throttled one limited. */
const sendability = (f: FlowRecord) => (f.status === 'THROTTLED' ? 'LIMITED' : f.status === 'DEPRECATED' || f.status === 'BLOCKED' ? 'BLOCKED' : 'AVAILABLE');

export const flowSummary = (f: FlowRecord): z.input<typeof FlowSummary> =>
  ({ id: f.flow_id, name: f.name, status: f.status, categories: f.categories, validation_errors: f.validation_errors });

/** Every field of a Flow (`fields` picks from it). */
function flowView(f: FlowRecord, now: number): z.input<typeof GraphFlow> {
  const json: Partial<FlowJsonCheck> = f.flow_json === null ? {} : checkFlowJson(f.flow_json);
  const can = sendability(f);
  return {
    ...flowSummary(f),
    ...(json.json_version !== undefined && { json_version: json.json_version }),
    ...(json.data_api_version !== undefined && { data_api_version: json.data_api_version }),
    ...(f.endpoint_uri !== null && { endpoint_uri: f.endpoint_uri }),
    preview: {
      preview_url: `https://business.facebook.com/wa/manage/flows/${f.flow_id}/preview/?token=${f.preview_token}`,
      expires_at: new Date(now + PREVIEW_MS).toISOString(),
    },
    whatsapp_business_account: { id: f.business_account_id },
    ...(f.application_id !== null && { application: { id: f.application_id } }),
    health_status: {
      can_send_message: can,
      entities: [
        { entity_type: 'FLOW', id: f.flow_id, can_send_message: can },
        { entity_type: 'WABA', id: f.business_account_id, can_send_message: 'AVAILABLE' },
      ],
    },
  };
}

export const FlowQuery = {
  phone_number_id: z.string().optional().meta({ description: 'When given, the Flow must belong to this number\'s business account.' }),
  business_account_id: z.string().optional().meta({ description: 'When given, the Flow must belong to this business account.' }),
};

export const FlowMetadata = {
  name: z.string().min(1).optional(),
  categories: Categories.optional().meta({ description: 'At least one when given.' }),
  endpoint_uri: z.url().optional(),
  application_id: z.string().min(1).optional(),
};

export function flowHelpers(app: Parameters<FastifyPluginAsyncZod>[0]) {
  const { whatsappFlows } = app.repos;
  const find = lookups(app);
  return {
    /**
     * The Flow a path names, in the caller's project; when the request also names a phone number
     * or a business account (as the SDK may), the Flow must be theirs.
     */
    flow(request: FastifyRequest, flowId: string, scope: { phone_number_id?: string | undefined; business_account_id?: string | undefined } = {}): FlowRecord {
      const flow = graphKindOf(flowId) === 'flow' ? whatsappFlows.get(request.projectId, flowId) : undefined;
      if (!flow) throw unknownGraphObject(request.method, flowId);
      if (scope.phone_number_id !== undefined && find.phone(request, scope.phone_number_id).business_account_id !== flow.business_account_id) {
        throw unknownGraphObject(request.method, flowId);
      }
      if (scope.business_account_id !== undefined && scope.business_account_id !== flow.business_account_id) throw unknownGraphObject(request.method, flowId);
      return flow;
    },

    /** GET /{flow_id}: the fields asked for; `preview.invalidate(true)` draws a new preview link first. */
    view(request: FastifyRequest, flow: FlowRecord, fields: string | undefined) {
      const wanted = requestedFields(fields, FLOW_FIELDS, 'WhatsAppFlow', DEFAULT_FLOW_FIELDS);
      const preview = wanted.find((f) => f.name === 'preview');
      const current = preview?.modifiers.invalidate === 'true' ? whatsappFlows.invalidatePreview(request.projectId, flow.flow_id)! : flow;
      return pick(flowView(current, app.clock.now()), wanted, ['id']) as z.input<typeof GraphFlow>;
    },

    /** The business account a Flow route's owner ID names: a business account, or a phone number's. */
    owner(request: FastifyRequest, id: string): string {
      const config = app.repos.whatsappConfigs.byPhoneNumberId(request.projectId, id);
      if (config) return config.business_account_id;
      find.businessAccount(request, id);
      return id;
    },
  };
}

export const flowRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappFlows } = app.repos;
  const helpers = flowHelpers(app);
  const links = app.getDecorator<LinkSigner>('links');
  const r = graphRoutes(app, ['Flows']);

  r.get('/:id/flows', {
    operationId: 'listFlows', summary: 'List flows (of a business account or a phone number)',
    description: 'Kapso\'s listFlows and listFlowsByPhoneNumber in one route: the ID is a business account, or a phone number '
      + '(its business account\'s Flows). Newest first, by cursor.',
    params: FlowOwnerParams, query: z.object(CursorQuery),
    response: z.object({ data: z.array(FlowSummary), paging: Paging }),
  }, async (request) => {
    const page = whatsappFlows.list(request.projectId, helpers.owner(request, request.params.id), request.query);
    return { data: page.rows.map(flowSummary), paging: pagingOf(page) };
  });

  r.post('/:id/flows', {
    operationId: 'createFlow', summary: 'Create flow (on a business account or a phone number)',
    description: 'Kapso\'s createFlow and createFlowByPhoneNumber in one route. A new Flow is a DRAFT; with flow_json and publish: true '
      + 'it is published at once when its Flow JSON passes. Names are unique in a business account.',
    params: FlowOwnerParams,
    body: z.object({
      name: z.string().min(1),
      categories: Categories,
      clone_flow_id: z.string().optional(),
      endpoint_uri: z.url().optional(),
      flow_json: z.string().optional().meta({ description: 'The Flow JSON, as a string.' }),
      publish: z.boolean().optional(),
    }),
    response: z.object({ id: z.string(), success: z.boolean(), validation_errors: z.array(FlowValidationError) }),
  }, async (request) => {
    const flow = whatsappFlows.create(request.projectId, helpers.owner(request, request.params.id), request.body);
    return { id: flow.flow_id, success: true, validation_errors: flow.validation_errors };
  });

  r.get('/:flow_id/assets', {
    operationId: 'getFlowAssets', summary: 'Get flow assets',
    description: 'The flow.json asset, with a download link served by the mock (an hour); none before one is uploaded.',
    params: FlowParams, query: z.object(FlowQuery),
    response: z.object({
      data: z.array(z.object({ name: z.string(), asset_type: z.string(), download_url: z.string().meta({ format: 'uri' }) })),
      paging: Paging,
    }),
    cache: false,
  }, async (request) => {
    const flow = helpers.flow(request, request.params.flow_id, request.query);
    const token = links.sign({ kind: 'flow_asset', projectId: request.projectId, id: flow.flow_id, expiresAt: app.clock.now() + ASSET_URL_MS });
    const data = flow.flow_json === null
      ? []
      : [{ name: 'flow.json', asset_type: 'FLOW_JSON', download_url: `${originOf(request)}${FLOW_ASSET_DOWNLOAD_PATH}?token=${token}` }];
    return { data, paging: { cursors: {} } };
  });

  r.post('/:flow_id/assets', {
    operationId: 'uploadFlowAssets', summary: 'Upload flow JSON',
    description: 'multipart/form-data: `file` (flow.json, at most 10 MB), `name` "flow.json", `asset_type` "FLOW_JSON". '
      + 'A DRAFT Flow only: a published Flow and its assets cannot change. The answer lists what is wrong with the JSON.',
    params: FlowParams, query: z.object(FlowQuery),
    consumes: ['multipart/form-data'],
    body: z.object({
      file: z.custom<UploadedFile>((v) => v instanceof UploadedFile, { message: 'must be a file' }).meta({ type: 'string', format: 'binary' }),
      name: z.literal('flow.json'),
      asset_type: z.literal('FLOW_JSON'),
    }),
    response: z.object({ success: z.boolean(), validation_errors: z.array(FlowValidationError) }),
    config: { multipartOptions: { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10, parts: 11 } } },
  }, async (request) => {
    const flow = helpers.flow(request, request.params.flow_id, request.query);
    const text = request.body.file.data.toString('utf8');
    const updated = whatsappFlows.uploadAsset(request.projectId, flow.flow_id, text)!;
    return { success: true, validation_errors: updated.validation_errors };
  });

  r.post('/:flow_id/publish', {
    operationId: 'publishFlow', summary: 'Publish flow',
    description: 'DRAFT -> PUBLISHED, not reversible; the Flow JSON must pass, and an endpoint Flow needs its endpoint_uri (else 139002).',
    params: FlowParams, query: z.object(FlowQuery), response: Success,
  }, async (request) => {
    whatsappFlows.publish(request.projectId, helpers.flow(request, request.params.flow_id, request.query).flow_id);
    return { success: true };
  });

  r.post('/:flow_id/deprecate', {
    operationId: 'deprecateFlow', summary: 'Deprecate flow',
    description: 'PUBLISHED -> DEPRECATED, not reversible.',
    params: FlowParams, query: z.object(FlowQuery), response: Success,
  }, async (request) => {
    whatsappFlows.deprecate(request.projectId, helpers.flow(request, request.params.flow_id, request.query).flow_id);
    return { success: true };
  });

  r.route('DELETE', '/flows/:flow_id', {
    operationId: 'deleteFlow', summary: 'Delete flow',
    description: 'Only a DRAFT Flow can be deleted; a published one can be deprecated.',
    params: FlowParams, query: z.object(FlowQuery), response: Success,
  }, async (request) => {
    whatsappFlows.delete(request.projectId, helpers.flow(request, request.params.flow_id, request.query).flow_id);
    return { success: true };
  });
};

/** GET /meta/whatsapp/flow_asset_download?token=...: the flow.json a Flow's asset link names. */
export const flowAssetDownloadRoute: FastifyPluginAsyncZod = async (app) => {
  const { whatsappFlows } = app.repos;
  const links = app.getDecorator<LinkSigner>('links');
  const r = graphRoutes(app, ['Flows']);

  r.get('/flow_asset_download', {
    operationId: 'downloadFlowAsset', summary: 'Download a Flow\'s flow.json (the mock\'s download_url)',
    description: 'No API key: the token from getFlowAssets\' download_url is the credential.',
    query: z.object({ token: z.string().optional() }),
    response: z.string().meta({ format: 'binary' }),
    produces: ['application/octet-stream'],
    errors: [404],
    config: { auth: false },
    cache: false,
  }, async (request, reply) => {
    const link = request.query.token === undefined ? undefined : links.verify(request.query.token, 'flow_asset', app.clock.now());
    const flow = link && whatsappFlows.get(link.projectId, link.id);
    if (!link || !flow || flow.flow_json === null) throw graphError(404, 100, 'The download link is missing, invalid or expired, or its Flow JSON is gone');
    request.projectId = link.projectId;
    return reply.type('application/json; charset=utf-8').header('content-disposition', 'attachment; filename="flow.json"').send(Buffer.from(flow.flow_json));
  });
};

