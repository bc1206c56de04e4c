// Flows come from the fixtures (this revision of the API has no create). What a flow shows about
// its executions (execution_count, last_executed_at) is read from them, so it is always true.
import { defineCounter, defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import type { Flow, FlowStep } from './schemas.js';

/** A stored flow: the API shape without what is read from its executions, plus its steps and API trigger. */
export interface FlowRecord {
  id: string;
  name: string;
  description: string | null;
  status: Flow['status'];
  /** Whether the flow has an active API trigger (createFlowExecution needs one). */
  api_trigger: boolean;
  steps: FlowStep[];
  created_by: { id: string; name: string } | null;
  created_at: string;
  updated_at: string;
}

type FlowRow = {
  project_id: string; id: string; name: string; description: string | null; status: Flow['status'];
  created_by_id: string | null; created_by_name: string | null; created_at: string; updated_at: string;
  execution_count: number; last_executed_at: string | null;
};

/** A flow's executions, counted by triggers: every flow row shows it, and its executions' list has a flow in every row. */
export const FlowExecutionCount = defineCounter({ name: 'flow_executions_by_flow', table: 'flow_executions', scope: ['project_id', 'flow_id'] });

/**
 * The SELECT list of a flow in the API's shape, from the flows row aliased `f`, each column
 * named with `prefix` (a flow embedded in its executions' rows). The count is a maintained counter
 * (a COUNT(*) here made a list of N executions cost N²); the last execution comes from the
 * executions' (project_id, flow_id, started_at) index.
 */
export const flowColumns = (f: string, prefix = ''): string => [
  ...['project_id', 'id', 'name', 'description', 'status', 'created_by_id', 'created_by_name', 'created_at', 'updated_at']
    .map((c) => `${f}.${c} AS ${prefix}${c}`),
  `${FlowExecutionCount.countSql([`${f}.project_id`, `${f}.id`])} AS ${prefix}execution_count`,
  `(SELECT x.started_at FROM flow_executions x WHERE x.project_id = ${f}.project_id AND x.flow_id = ${f}.id
     ORDER BY x.started_at DESC LIMIT 1) AS ${prefix}last_executed_at`,
].join(', ');

/** The flow of a row selected with flowColumns(alias, prefix). */
export function toFlow(row: Record<string, unknown>, prefix = ''): Flow {
  const r = (prefix === '' ? row : Object.fromEntries(Object.entries(row).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]))) as FlowRow;
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    status: r.status,
    project_id: r.project_id,
    created_at: r.created_at,
    updated_at: r.updated_at,
    created_by: r.created_by_id === null ? null : { id: r.created_by_id, name: r.created_by_name ?? '' },
    last_executed_at: r.last_executed_at,
    execution_count: r.execution_count,
  };
}

/** GET /flows: every flow of the project, newest first (no pagination in the spec). */
export const FlowList = defineList<FlowRow, Flow>({
  name: 'flows',
  table: 'flows',
  alias: 'f',
  columns: flowColumns('f'),
  scope: ['project_id'],
  filters: { status: 'eq' },
  pagination: 'none',
  map: (row) => toFlow(row),
});

export function createFlowRepository({ db }: RepoContext) {
  const insert = db.prepare(
    `INSERT INTO flows (project_id, id, name, description, status, api_trigger, steps, created_by_id, created_by_name, created_at, updated_at)
     VALUES (@project_id, @id, @name, @description, @status, @api_trigger, @steps, @created_by_id, @created_by_name, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], FlowRow>(`SELECT ${flowColumns('f')} FROM flows f WHERE f.project_id = ? AND f.id = ?`);
  const recordById = db.prepare<[string, string], { status: Flow['status']; api_trigger: 0 | 1; steps: string }>(
    'SELECT status, api_trigger, steps FROM flows WHERE project_id = ? AND id = ?',
  );
  const list = FlowList.prepare(db);
  FlowExecutionCount.prepare(db);

  return {
    /** Writes a flow as given (fixtures are the only source of flows). */
    insert(projectId: string, flow: FlowRecord): void {
      insert.run({
        project_id: projectId, id: flow.id, name: flow.name, description: flow.description, status: flow.status,
        api_trigger: flow.api_trigger ? 1 : 0, steps: JSON.stringify(flow.steps),
        created_by_id: flow.created_by?.id ?? null, created_by_name: flow.created_by?.name ?? null,
        created_at: flow.created_at, updated_at: flow.updated_at,
      });
    },

    get(projectId: string, id: string): Flow | undefined {
      const row = byId.get(projectId, id);
      return row && toFlow(row);
    },

    /** What starting an execution needs to know: the status, the API trigger and the steps. */
    runnable(projectId: string, id: string): { status: Flow['status']; api_trigger: boolean; steps: FlowStep[] } | undefined {
      const row = recordById.get(projectId, id);
      return row && { status: row.status, api_trigger: row.api_trigger === 1, steps: JSON.parse(row.steps) as FlowStep[] };
    },

    /** Every flow of the project, newest first, filtered by q[status_eq]. */
    list: (projectId: string, query: Record<string, unknown>): Flow[] => list.all([projectId], query),
  };
}

export type FlowRepository = ReturnType<typeof createFlowRepository>;
