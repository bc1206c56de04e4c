// A flow's executions. They start through the API (createFlowExecution) or come from the
// fixtures, move waiting -> running on resume, and are moved through their lifecycle by the
// control plane (POST /__admin/flow_executions/{id}/status); ended and failed are final and set ended_at.
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import { flowColumns, toFlow } from '../flows/repository.js';
import type { FlowStep } from '../flows/schemas.js';
import { STATUS_CODES, type ExecutionStatus, type FlowExecution, type FlowExecutionInput, type FlowExecutionResumeInput } from './schemas.js';

type Json = Record<string, unknown>;

export interface FlowExecutionRecord {
  id: string;
  flow_id: string;
  status: ExecutionStatus;
  started_at: string;
  ended_at: string | null;
  last_event_at: string | null;
  tracking_id: string | null;
  current_step: FlowStep | null;
  execution_context: Json;
  variables: Json;
  created_at: string;
  updated_at: string;
}

type StoredRow = Omit<FlowExecutionRecord, 'current_step' | 'execution_context' | 'variables'> & {
  current_step: string | null; execution_context: string; variables: string;
};
type ExecutionRow = StoredRow & Record<`f_${string}`, unknown>;

const OWN = ['id', 'flow_id', 'status', 'started_at', 'ended_at', 'last_event_at', 'tracking_id', 'current_step', 'execution_context', 'variables', 'created_at', 'updated_at'];
const COLUMNS = `${OWN.map((c) => `e.${c}`).join(', ')}, ${flowColumns('f', 'f_')}`;
const JOIN = 'JOIN flows f ON f.project_id = e.project_id AND f.id = e.flow_id';
const TYPE = 'flow_execution';

const toExecution = (row: ExecutionRow): FlowExecution => ({
  id: row.id,
  flow_id: row.flow_id,
  status: row.status,
  started_at: row.started_at,
  ended_at: row.ended_at,
  last_event_at: row.last_event_at,
  tracking_id: row.tracking_id,
  current_step: row.current_step === null ? null : (JSON.parse(row.current_step) as FlowStep),
  execution_context: JSON.parse(row.execution_context) as Json,
  variables: JSON.parse(row.variables) as Json,
  flow: toFlow(row, 'f_'),
});

const toStored = (r: FlowExecutionRecord): StoredRow => ({
  ...r,
  current_step: r.current_step === null ? null : JSON.stringify(r.current_step),
  execution_context: JSON.stringify(r.execution_context),
  variables: JSON.stringify(r.variables),
});

/** GET /flows/{flow_id}/executions: newest first by started_at, every row (no pagination in the spec). */
export const FlowExecutionList = defineList<ExecutionRow, FlowExecution>({
  name: 'flow_executions',
  table: 'flow_executions',
  alias: 'e',
  join: JOIN,
  columns: COLUMNS,
  scope: ['project_id', 'flow_id'],
  order: 'started_at',
  filters: {
    status: { predicates: ['eq'], values: STATUS_CODES, label: 'Status (0=running, 1=waiting, 2=ended, 3=failed)' },
    started_at: ['gteq', 'lteq'],
  },
  pagination: 'none',
  map: toExecution,
});

/** A move asked of the control plane. */
export interface ExecutionMove {
  status: ExecutionStatus;
  /** One of the flow's steps. */
  current_step_id?: string | undefined;
  /** Merged into the execution's variables (top-level keys replaced). */
  variables?: Json | undefined;
}

export type MoveResult =
  | { outcome: 'missing' }
  | { outcome: 'final'; execution: FlowExecution }
  | { outcome: 'unknown_step' }
  | { outcome: 'moved' | 'unchanged'; execution: FlowExecution };

export type ResumeResult = { outcome: 'missing' } | { outcome: 'not_waiting' } | { outcome: 'resumed'; execution: FlowExecution };

const FINAL: readonly ExecutionStatus[] = ['ended', 'failed'];

export function createFlowExecutionRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[StoredRow & { project_id: string }]>(
    `INSERT INTO flow_executions (project_id, ${OWN.join(', ')})
     VALUES (@project_id, ${OWN.map((c) => `@${c}`).join(', ')})`,
  );
  const byId = db.prepare<[string, string], ExecutionRow>(`SELECT ${COLUMNS} FROM flow_executions e ${JOIN} WHERE e.project_id = ? AND e.id = ?`);
  const stored = db.prepare<[string, string], StoredRow>(`SELECT ${OWN.join(', ')} FROM flow_executions WHERE project_id = ? AND id = ?`);
  const stepsOf = db.prepare<[string, string], string>('SELECT steps FROM flows WHERE project_id = ? AND id = ?').pluck();
  const update = db.prepare<[StoredRow & { project_id: string }]>(
    `UPDATE flow_executions SET status = @status, ended_at = @ended_at, last_event_at = @last_event_at, current_step = @current_step,
       execution_context = @execution_context, variables = @variables, updated_at = @updated_at
     WHERE project_id = @project_id AND id = @id`,
  );
  const holders = db.prepare<[string], string>('SELECT project_id FROM flow_executions WHERE id = ? ORDER BY project_id').pluck();
  const list = FlowExecutionList.prepare(db);

  const write = (projectId: string, record: FlowExecutionRecord) => update.run({ ...toStored(record), project_id: projectId });
  const current = (projectId: string, id: string): FlowExecutionRecord | undefined => {
    const row = stored.get(projectId, id);
    return row && {
      ...row,
      current_step: row.current_step === null ? null : (JSON.parse(row.current_step) as FlowStep),
      execution_context: JSON.parse(row.execution_context) as Json,
      variables: JSON.parse(row.variables) as Json,
    };
  };
  const get = (projectId: string, id: string) => {
    const row = byId.get(projectId, id);
    return row && toExecution(row);
  };

  const createTx = db.transaction((projectId: string, flowId: string, firstStep: FlowStep | null, input: FlowExecutionInput): string => {
    const now = clock.iso();
    const record: FlowExecutionRecord = {
      id: newId(),
      flow_id: flowId,
      status: 'running',
      started_at: now,
      ended_at: null,
      last_event_at: now,
      tracking_id: newId(),
      current_step: firstStep,
      execution_context: { trigger: 'api', phone_number: input.phone_number, context: input.context ?? {}, initial_data: input.initial_data ?? {} },
      variables: input.variables ?? {},
      created_at: now,
      updated_at: now,
    };
    insert.run({ ...toStored(record), project_id: projectId });
    events.publish('record.created', projectId, { type: TYPE, id: record.id });
    return record.tracking_id!;
  });

  const resumeTx = db.transaction((projectId: string, id: string, input: FlowExecutionResumeInput): ResumeResult => {
    const record = current(projectId, id);
    if (!record) return { outcome: 'missing' };
    if (record.status !== 'waiting') return { outcome: 'not_waiting' };
    const now = clock.iso();
    const resume: Json = { resumed_at: now };
    if (input.input !== undefined) resume.input = input.input;
    if (input.message !== undefined) resume.message = input.message;
    write(projectId, {
      ...record, status: 'running', last_event_at: now, updated_at: now,
      execution_context: { ...record.execution_context, last_resume: resume },
    });
    events.publish('record.updated', projectId, { type: TYPE, id });
    return { outcome: 'resumed', execution: get(projectId, id)! };
  });

  const moveTx = db.transaction((projectId: string, id: string, move: ExecutionMove): MoveResult => {
    const record = current(projectId, id);
    if (!record) return { outcome: 'missing' };
    if (FINAL.includes(record.status)) return { outcome: 'final', execution: get(projectId, id)! };
    let step = record.current_step;
    if (move.current_step_id !== undefined) {
      const steps = JSON.parse(stepsOf.get(projectId, record.flow_id) ?? '[]') as FlowStep[];
      const found = steps.find((s) => s.id === move.current_step_id);
      if (!found) return { outcome: 'unknown_step' };
      step = found;
    }
    const variables = move.variables === undefined ? record.variables : { ...record.variables, ...move.variables };
    const changed = move.status !== record.status || JSON.stringify(step) !== JSON.stringify(record.current_step)
      || JSON.stringify(variables) !== JSON.stringify(record.variables);
    if (!changed) return { outcome: 'unchanged', execution: get(projectId, id)! };
    const now = clock.iso();
    write(projectId, {
      ...record, status: move.status, current_step: step, variables, last_event_at: now, updated_at: now,
      ended_at: FINAL.includes(move.status) ? now : null,
    });
    events.publish('record.updated', projectId, { type: TYPE, id });
    return { outcome: 'moved', execution: get(projectId, id)! };
  });

  return {
    /** Writes an execution as given (fixtures). */
    insert(projectId: string, record: FlowExecutionRecord): void {
      insert.run({ ...toStored(record), project_id: projectId });
    },

    /** Starts an execution of the flow (the route checks that it may run) at its first step; returns its tracking ID. */
    create: (projectId: string, flowId: string, firstStep: FlowStep | null, input: FlowExecutionInput): string =>
      createTx.immediate(projectId, flowId, firstStep, input),

    get,

    /** Every execution of the flow, newest first, filtered by q[status_eq] and q[started_at_*]. */
    list: (projectId: string, flowId: string, query: Record<string, unknown>): FlowExecution[] => list.all([projectId, flowId], query),

    /** waiting -> running, recording the input as execution_context.last_resume. */
    resume: (projectId: string, id: string, input: FlowExecutionResumeInput): ResumeResult => resumeTx.immediate(projectId, id, input),

    /** The control plane's move; ended and failed are final and set ended_at. */
    move: (projectId: string, id: string, move: ExecutionMove): MoveResult => moveTx.immediate(projectId, id, move),

    /** Projects holding an execution with this ID (the control plane's project rule). */
    projectsHolding: (id: string): string[] => holders.all(id),
  };
}

export type FlowExecutionRepository = ReturnType<typeof createFlowExecutionRepository>;
