import { createHash, randomBytes } from 'node:crypto';
import { uniqueRules } from '../../db/constraints.js';
import { RecordInvalid } from '../../errors.js';
import { newGraphId, newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import { checkFlowJson, type FlowValidationError } from './flow-json.js';
import type { FlowRecord, FlowStatus } from './schemas.js';

interface Row extends Omit<FlowRecord, 'categories' | 'validation_errors'> {
  categories: string;
  validation_errors: string;
}

const COLUMNS = `id, flow_id, business_account_id, name, status, categories, endpoint_uri, application_id, flow_json, validation_errors,
  preview_token, created_at, updated_at`;
const TYPE = 'whatsapp_flow';

const fromRow = (row: Row): FlowRecord => ({
  ...row, categories: JSON.parse(row.categories) as string[], validation_errors: JSON.parse(row.validation_errors) as FlowValidationError[],
});

/** GET /{business_account_id}/flows: a business account's Flows, newest first, by cursor. */
export const FlowList = defineList<Row, FlowRecord>({
  name: 'whatsapp_flows',
  table: 'whatsapp_flows',
  columns: COLUMNS,
  scope: ['project_id', 'business_account_id'],
  pagination: 'cursor',
  map: fromRow,
});

/** Preview links are signed by a token; invalidating the preview draws a new one. */
const newPreviewToken = () => randomBytes(12).toString('base64url');

export interface FlowInput {
  name: string;
  categories: string[];
  endpoint_uri?: string | undefined;
  flow_json?: string | undefined;
  clone_flow_id?: string | undefined;
  publish?: boolean | undefined;
}

export interface FlowPatch {
  name?: string | undefined;
  categories?: string[] | undefined;
  endpoint_uri?: string | undefined;
  application_id?: string | undefined;
}

// Meta's codes for refused Flow operations: 139001 a Flow JSON upload, 139002 a publish; other
// refusals (delete, deprecate, metadata) are parameter errors (100).
const UPLOAD_REFUSED = 139001;
const PUBLISH_REFUSED = 139002;

export function createFlowRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[Row & { project_id: string }]>(
    `INSERT INTO whatsapp_flows (project_id, ${COLUMNS}) VALUES (@project_id, @id, @flow_id, @business_account_id, @name, @status, @categories,
      @endpoint_uri, @application_id, @flow_json, @validation_errors, @preview_token, @created_at, @updated_at)`,
  );
  const byFlowId = db.prepare<[string, string], Row>(`SELECT ${COLUMNS} FROM whatsapp_flows WHERE project_id = ? AND flow_id = ?`);
  const save = db.prepare<[Row & { project_id: string }]>(
    `UPDATE whatsapp_flows SET name = @name, status = @status, categories = @categories, endpoint_uri = @endpoint_uri,
       application_id = @application_id, flow_json = @flow_json, validation_errors = @validation_errors, preview_token = @preview_token,
       updated_at = @updated_at
     WHERE project_id = @project_id AND id = @id`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM whatsapp_flows WHERE project_id = ? AND id = ?');
  const list = FlowList.prepare(db);
  const unique = uniqueRules({
    'whatsapp_flows.project_id, whatsapp_flows.business_account_id, whatsapp_flows.name': 'Flow name is not unique: another Flow of this WhatsApp Business Account has it',
    'whatsapp_flows.project_id, whatsapp_flows.flow_id': 'Flow ID has already been taken',
  });
  // The name rule is Meta's parameter error 100.
  const named = <T>(write: () => T): T => {
    try {
      return unique(write);
    } catch (err) {
      if (err instanceof RecordInvalid && err.graphCode === undefined) throw new RecordInvalid(err.message, { graphCode: 100 });
      throw err;
    }
  };
  const toRow = (f: FlowRecord): Row => ({ ...f, categories: JSON.stringify(f.categories), validation_errors: JSON.stringify(f.validation_errors) });

  const find = (projectId: string, flowId: string): FlowRecord | undefined => {
    const row = byFlowId.get(projectId, flowId);
    return row && fromRow(row);
  };
  const update = (projectId: string, flow: FlowRecord, changes: Partial<FlowRecord>): FlowRecord => {
    const next = { ...flow, ...changes, updated_at: clock.iso() };
    named(() => save.run({ ...toRow(next), project_id: projectId }));
    events.publish('record.updated', projectId, { type: TYPE, id: flow.id });
    return next;
  };
  const refuse = (code: number, message: string): never => {
    throw new RecordInvalid(message, { graphCode: code });
  };
  /** What stands between a Flow and publishing, or undefined. */
  const publishProblem = (f: FlowRecord): string | undefined => {
    if (f.status === 'PUBLISHED') return `Flow ${f.flow_id} is already published`;
    if (f.status !== 'DRAFT') return `Flow ${f.flow_id} is ${f.status}: only a DRAFT Flow can be published`;
    if (f.flow_json === null) return `Flow ${f.flow_id} has no Flow JSON: upload flow.json first`;
    if (f.validation_errors.length > 0) return `Flow ${f.flow_id} has ${f.validation_errors.length} Flow JSON validation error(s)`;
    if (checkFlowJson(f.flow_json).data_api_version !== undefined && f.endpoint_uri === null) {
      return `Flow ${f.flow_id} uses an endpoint (data_api_version) but has no endpoint_uri`;
    }
    return undefined;
  };

  return {
    /**
     * Writes a Flow as given (fixtures); its Flow JSON is checked as an upload is, and its preview
     * token comes from its record ID, so a reset puts back the same links.
     */
    insert(projectId: string, f: Omit<FlowRecord, 'validation_errors' | 'preview_token'>): void {
      const errors = f.flow_json === null ? [] : checkFlowJson(f.flow_json).errors;
      const token = createHash('sha256').update(f.id).digest('base64url').slice(0, 16);
      named(() => insert.run({ ...toRow({ ...f, validation_errors: errors, preview_token: token }), project_id: projectId }));
    },

    get: find,

    list: (projectId: string, businessAccountId: string, query: Record<string, unknown>) => list.cursor([projectId, businessAccountId], query),

    /**
     * A new DRAFT Flow in a business account: its name unique there; its Flow JSON given, or
     * copied from `clone_flow_id`. With `publish` and Flow JSON that passes, it is published at once.
     */
    create: db.transaction((projectId: string, businessAccountId: string, input: FlowInput): FlowRecord => {
      let flowJson = input.flow_json ?? null;
      if (input.clone_flow_id !== undefined) {
        const source = find(projectId, input.clone_flow_id);
        if (!source) refuse(100, `Invalid parameter: clone_flow_id ${input.clone_flow_id} is not a Flow of this project`);
        flowJson ??= source!.flow_json;
      }
      const now = clock.iso();
      let flow: FlowRecord = {
        id: newId(), flow_id: newGraphId('flow'), business_account_id: businessAccountId, name: input.name, status: 'DRAFT',
        categories: input.categories, endpoint_uri: input.endpoint_uri ?? null, application_id: null, flow_json: flowJson,
        validation_errors: flowJson === null ? [] : checkFlowJson(flowJson).errors, preview_token: newPreviewToken(), created_at: now, updated_at: now,
      };
      if (input.publish === true && publishProblem(flow) === undefined) flow = { ...flow, status: 'PUBLISHED' };
      named(() => insert.run({ ...toRow(flow), project_id: projectId }));
      events.publish('record.created', projectId, { type: TYPE, id: flow.id });
      return flow;
    }),

    /** Changes name, categories, endpoint or application: a DRAFT Flow only (a published Flow is immutable). */
    updateMetadata: db.transaction((projectId: string, flowId: string, patch: FlowPatch): FlowRecord | undefined => {
      const flow = find(projectId, flowId);
      if (!flow) return undefined;
      if (flow.status !== 'DRAFT') refuse(100, `Flow ${flowId} is ${flow.status}: only a DRAFT Flow's metadata can change`);
      const changes: Partial<FlowRecord> = {};
      if (patch.name !== undefined && patch.name !== flow.name) changes.name = patch.name;
      if (patch.categories !== undefined && JSON.stringify(patch.categories) !== JSON.stringify(flow.categories)) changes.categories = patch.categories;
      if (patch.endpoint_uri !== undefined && patch.endpoint_uri !== flow.endpoint_uri) changes.endpoint_uri = patch.endpoint_uri;
      if (patch.application_id !== undefined && patch.application_id !== flow.application_id) changes.application_id = patch.application_id;
      return Object.keys(changes).length === 0 ? flow : update(projectId, flow, changes);
    }),

    /** Replaces the Flow JSON of a DRAFT Flow; the answer lists what is wrong with it. */
    uploadAsset: db.transaction((projectId: string, flowId: string, flowJson: string): FlowRecord | undefined => {
      const flow = find(projectId, flowId);
      if (!flow) return undefined;
      if (flow.status !== 'DRAFT') refuse(UPLOAD_REFUSED, `Error uploading Flow JSON: Flow ${flowId} is ${flow.status}, and a published Flow and its assets cannot change`);
      return update(projectId, flow, { flow_json: flowJson, validation_errors: checkFlowJson(flowJson).errors });
    }),

    /** DRAFT -> PUBLISHED, once its Flow JSON passes (and an endpoint Flow has its endpoint_uri). Not reversible. */
    publish: db.transaction((projectId: string, flowId: string): FlowRecord | undefined => {
      const flow = find(projectId, flowId);
      if (!flow) return undefined;
      const problem = publishProblem(flow);
      if (problem !== undefined) refuse(PUBLISH_REFUSED, `Publishing failed: ${problem}`);
      return update(projectId, flow, { status: 'PUBLISHED' });
    }),

    /** PUBLISHED (or THROTTLED) -> DEPRECATED: it can no longer be sent. Not reversible. */
    deprecate: db.transaction((projectId: string, flowId: string): FlowRecord | undefined => {
      const flow = find(projectId, flowId);
      if (!flow) return undefined;
      const from: FlowStatus[] = ['PUBLISHED', 'THROTTLED'];
      if (!from.includes(flow.status)) refuse(100, `Flow ${flowId} is ${flow.status}: only a published Flow can be deprecated`);
      return update(projectId, flow, { status: 'DEPRECATED' });
    }),

    /** Draws a new preview token: links handed out before stop working. */
    invalidatePreview: db.transaction((projectId: string, flowId: string): FlowRecord | undefined => {
      const flow = find(projectId, flowId);
      return flow && update(projectId, flow, { preview_token: newPreviewToken() });
    }),

    /** Deletes a DRAFT Flow (only drafts can be deleted); false when there is no such Flow. */
    delete: db.transaction((projectId: string, flowId: string): boolean => {
      const flow = find(projectId, flowId);
      if (!flow) return false;
      if (flow.status !== 'DRAFT') refuse(100, `Flow ${flowId} is ${flow.status}: only a DRAFT Flow can be deleted (deprecate a published one)`);
      remove.run(projectId, flow.id);
      events.publish('record.deleted', projectId, { type: TYPE, id: flow.id });
      return true;
    }),
  };
}

export type FlowRepository = ReturnType<typeof createFlowRepository>;
