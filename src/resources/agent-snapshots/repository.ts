// Agent snapshots: an agent's graph (and system prompt) frozen at one moment, or a graph given
// instead. Immutable: no operation changes one, and later agent edits do not reach it.
import { newId } from '../../lib/ids.js';
import type { RepoContext } from '../../lib/resource.js';
import type { AgentRecord } from '../agents/repository.js';
import type { SimulatedAgent } from '../agents/simulator.js';
import type { AgentGraph } from '../agents/schemas.js';
import type { AgentSnapshot } from './schemas.js';

export interface SnapshotRecord extends AgentSnapshot {
  project_id: string;
  system_prompt: string | null;
}

type Row = Omit<SnapshotRecord, 'graph'> & { graph: string };

const COLUMNS = 'project_id, id, agent_id, name, system_prompt, graph, created_at, updated_at';
const TYPE = 'agent_snapshot';

const toSnapshot = (row: Row): AgentSnapshot => ({
  id: row.id,
  agent_id: row.agent_id,
  name: row.name,
  created_at: row.created_at,
  updated_at: row.updated_at,
  graph: JSON.parse(row.graph) as AgentGraph,
});

/** "Customer Support Agent Snapshot (2026-03-01 14:30)": the spec's example, in UTC. */
export const snapshotName = (agentName: string, at: string) => `${agentName} Snapshot (${at.slice(0, 10)} ${at.slice(11, 16)})`;

/** A snapshot in the fixtures: what it leaves out is taken from its agent as the fixtures give it. */
export interface SnapshotFixture {
  id: string;
  agent_id: string;
  name?: string | undefined;
  system_prompt?: string | undefined;
  graph?: AgentGraph | undefined;
  created_at: string;
  updated_at: string;
}

export function createAgentSnapshotRepository({ db, clock, events, repos }: RepoContext) {
  const insert = db.prepare<[Row]>(
    `INSERT INTO agent_snapshots (${COLUMNS}) VALUES (@project_id, @id, @agent_id, @name, @system_prompt, @graph, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], Row>(`SELECT ${COLUMNS} FROM agent_snapshots WHERE project_id = ? AND id = ?`);
  const toRow = (s: SnapshotRecord): Row => ({ ...s, graph: JSON.stringify(s.graph) });

  return {
    /** Writes a fixture snapshot; a missing agent is reported by name. */
    insert(projectId: string, s: SnapshotFixture): void {
      const agent = repos.agents.record(projectId, s.agent_id);
      if (!agent) throw new Error(`agent_id ${s.agent_id} is not an agent of the project`);
      insert.run(toRow({
        project_id: projectId,
        id: s.id,
        agent_id: s.agent_id,
        name: s.name ?? snapshotName(agent.name, s.created_at),
        system_prompt: s.system_prompt ?? agent.system_prompt,
        graph: s.graph ?? agent.graph ?? { nodes: [], edges: [] },
        created_at: s.created_at,
        updated_at: s.updated_at,
      }));
    },

    /** A snapshot of the agent as it is now, or of the graph given instead (the system prompt is the agent's). */
    create: db.transaction((agent: AgentRecord, graph: AgentGraph | undefined): AgentSnapshot => {
      const now = clock.iso();
      const row = toRow({
        project_id: agent.project_id,
        id: newId(),
        agent_id: agent.id,
        name: snapshotName(agent.name, now),
        system_prompt: agent.system_prompt,
        graph: graph ?? agent.graph ?? { nodes: [], edges: [] },
        created_at: now,
        updated_at: now,
      });
      insert.run(row);
      events.publish('record.created', agent.project_id, { type: TYPE, id: row.id });
      return toSnapshot(row);
    }),

    get(projectId: string, id: string): AgentSnapshot | undefined {
      const row = byId.get(projectId, id);
      return row && toSnapshot(row);
    },

    /** The snapshot as the simulated agent of its test chats. */
    simulated(projectId: string, id: string): (SimulatedAgent & { agent_id: string }) | undefined {
      const row = byId.get(projectId, id);
      return row && { agent_id: row.agent_id, name: row.name, system_prompt: row.system_prompt, graph: JSON.parse(row.graph) as AgentGraph };
    },
  };
}

export type AgentSnapshotRepository = ReturnType<typeof createAgentSnapshotRepository>;
