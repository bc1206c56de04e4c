import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import { byCodeUnits } from '../../lib/order.js';
import { applyPatch } from '../../lib/patch.js';
import type { RepoContext } from '../../lib/resource.js';
import type { Agent, AgentGraph, AgentInput, AgentPatch, AgentWithGraph } from './schemas.js';

/** A stored agent: the API shape plus what only other operations (the graph endpoint) show. */
export interface AgentRecord {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  system_prompt: string | null;
  graph: AgentGraph | null;
  created_at: string;
  updated_at: string;
}

export type AgentRow = Omit<AgentRecord, 'graph'> & { graph: string | null };

/** "Creates a new agent with default graph structure": one start node answering with the system prompt. */
export const defaultGraph = (): AgentGraph => ({
  metadata: {},
  nodes: [{ id: 'start', name: 'start', type: 'DefaultNode', prompt: '' }],
  edges: [],
  tools: [],
});

export function toAgent(row: AgentRow): Agent {
  const agent: Agent = {
    id: row.id,
    name: row.name,
    project_id: row.project_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  if (row.description !== null) agent.description = row.description;
  return agent;
}

const toRecord = (row: AgentRow): AgentRecord => ({ ...row, graph: row.graph === null ? null : (JSON.parse(row.graph) as AgentGraph) });

function toAgentWithGraph(record: AgentRecord): AgentWithGraph {
  const agent: AgentWithGraph = {
    id: record.id,
    name: record.name,
    created_at: record.created_at,
    updated_at: record.updated_at,
    graph: record.graph ?? defaultGraph(),
  };
  if (record.system_prompt !== null) agent.system_prompt = record.system_prompt;
  return agent;
}

/** JSON text with every object's keys sorted: two values that differ only in key order have the same text. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => byCodeUnits(a, b))) : v);

const COLUMNS = 'project_id, id, name, description, system_prompt, graph, created_at, updated_at';

const TYPE = 'agent';

/** GET /agents: every agent of the project, newest first (the spec gives this list no pagination). */
export const AgentList = defineList<AgentRow, Agent>({
  name: 'agents',
  table: 'agents',
  columns: COLUMNS,
  scope: ['project_id'],
  pagination: 'none',
  map: toAgent,
});

export function createAgentRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[AgentRow]>(
    `INSERT INTO agents (${COLUMNS}) VALUES (@project_id, @id, @name, @description, @system_prompt, @graph, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE project_id = ? AND id = ?`);
  const update = db.prepare<[AgentRow]>(
    'UPDATE agents SET name = @name, system_prompt = @system_prompt, graph = @graph, updated_at = @updated_at WHERE project_id = @project_id AND id = @id',
  );
  const exists = db.prepare<[string, string], number>('SELECT 1 FROM agents WHERE project_id = ? AND id = ?').pluck();
  const list = AgentList.prepare(db);
  const toRow = (record: AgentRecord): AgentRow => ({ ...record, graph: record.graph === null ? null : JSON.stringify(record.graph) });

  return {
    exists(projectId: string, id: string): boolean {
      return exists.get(projectId, id) !== undefined;
    },

    /** Writes an agent as given (fixtures); API creates go through create(). */
    insert(record: AgentRecord): void {
      insert.run(toRow(record));
    },

    create: db.transaction((projectId: string, input: AgentInput): Agent => {
      const now = clock.iso();
      const row = toRow({
        id: newId(),
        project_id: projectId,
        name: input.name,
        description: null,
        system_prompt: input.system_prompt ?? null,
        graph: defaultGraph(),
        created_at: now,
        updated_at: now,
      });
      insert.run(row);
      events.publish('record.created', projectId, { type: TYPE, id: row.id });
      return toAgent(row);
    }),

    get(projectId: string, id: string): Agent | undefined {
      const row = byId.get(projectId, id);
      return row && toAgent(row);
    },

    /** The stored agent, system prompt and graph included (snapshots and the simulated agent read these). */
    record(projectId: string, id: string): AgentRecord | undefined {
      const row = byId.get(projectId, id);
      return row && toRecord(row);
    },

    /** GET /agents/{id}/graph: the agent with its system prompt and graph (a stored agent always has one). */
    withGraph(projectId: string, id: string): AgentWithGraph | undefined {
      const row = byId.get(projectId, id);
      return row && toAgentWithGraph(toRecord(row));
    },

    /** Every agent of the project, newest first. */
    list: (projectId: string): Agent[] => list.all([projectId]),

    /** Applies the fields given; updated_at moves only when a stored value really changes. */
    update: db.transaction((projectId: string, id: string, patch: AgentPatch): Agent | undefined => {
      const current = byId.get(projectId, id);
      if (!current) return undefined;
      // The same graph with its keys in another order (free-form objects included) is no change, as in a jsonb column.
      const sameGraph = patch.graph !== undefined && current.graph !== null && canonical(patch.graph) === canonical(JSON.parse(current.graph));
      const graph = patch.graph === undefined || sameGraph ? undefined : JSON.stringify(patch.graph);
      const next = applyPatch(current, { name: patch.name, system_prompt: patch.system_prompt, graph }, ['name', 'system_prompt', 'graph']);
      if (!next) return toAgent(current);
      next.updated_at = clock.iso();
      update.run(next);
      events.publish('record.updated', projectId, { type: TYPE, id });
      return toAgent(next);
    }),
  };
}

export type AgentRepository = ReturnType<typeof createAgentRepository>;
