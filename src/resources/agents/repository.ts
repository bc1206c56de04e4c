import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { newId } from '../../lib/ids.js';
import type { Agent, AgentGraph, AgentInput, AgentPatch } from './schemas.js';

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

type AgentRow = Omit<AgentRecord, 'graph'> & { graph: string | null };

/** "Creates a new agent with default graph structure": one start node answering with the system prompt. */
export const defaultGraph = (): AgentGraph => ({
  metadata: {},
  nodes: [{ id: 'start', name: 'start', type: 'DefaultNode', prompt: '' }],
  edges: [],
  tools: [],
});

function toAgent(row: AgentRow): Agent {
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

const COLUMNS = 'project_id, id, name, description, system_prompt, graph, created_at, updated_at';

export function createAgentRepository(db: Db, clock: Clock) {
  const insert = db.prepare<[AgentRow]>(
    `INSERT INTO agents (${COLUMNS}) VALUES (@project_id, @id, @name, @description, @system_prompt, @graph, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE project_id = ? AND id = ?`);
  const all = db.prepare<[string], AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE project_id = ? ORDER BY created_at DESC, id DESC`);
  const update = db.prepare<[AgentRow]>(
    'UPDATE agents SET name = @name, system_prompt = @system_prompt, graph = @graph, updated_at = @updated_at WHERE project_id = @project_id AND id = @id',
  );

  const exists = db.prepare<[string, string], number>('SELECT 1 FROM agents WHERE project_id = ? AND id = ?').pluck();

  return {
    exists(projectId: string, id: string): boolean {
      return exists.get(projectId, id) !== undefined;
    },

    /** Writes an agent as given (fixtures); API creates go through create(). */
    insert(record: AgentRecord): void {
      insert.run({ ...record, graph: record.graph === null ? null : JSON.stringify(record.graph) });
    },

    create(projectId: string, input: AgentInput): Agent {
      const now = clock.iso();
      const graph = defaultGraph();
      const record: AgentRecord = {
        id: newId(),
        project_id: projectId,
        name: input.name,
        description: null,
        system_prompt: input.system_prompt ?? null,
        graph,
        created_at: now,
        updated_at: now,
      };
      this.insert(record);
      return toAgent({ ...record, graph: null });
    },

    get(projectId: string, id: string): Agent | undefined {
      const row = byId.get(projectId, id);
      return row && toAgent(row);
    },

    /** Every agent of the project, newest first (the spec gives this list no pagination). */
    list(projectId: string): Agent[] {
      return all.all(projectId).map(toAgent);
    },

    /** Applies the fields given; updated_at moves only when a stored value really changes. */
    update(projectId: string, id: string, patch: AgentPatch): Agent | undefined {
      const current = byId.get(projectId, id);
      if (!current) return undefined;
      const next: AgentRow = {
        ...current,
        name: patch.name ?? current.name,
        system_prompt: patch.system_prompt ?? current.system_prompt,
        graph: patch.graph === undefined ? current.graph : JSON.stringify(patch.graph),
      };
      if (next.name === current.name && next.system_prompt === current.system_prompt && next.graph === current.graph) {
        return toAgent(current);
      }
      next.updated_at = clock.iso();
      update.run(next);
      return toAgent(next);
    },
  };
}

export type AgentRepository = ReturnType<typeof createAgentRepository>;
