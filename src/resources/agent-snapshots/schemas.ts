import { z } from 'zod';
import { data, PathId, Timestamp, Uuid } from '../../lib/schemas.js';
import { AgentGraph, AgentGraphInput } from '../agents/schemas.js';

export const AgentSnapshot = z
  .object({
    id: Uuid,
    agent_id: Uuid,
    name: z.string().meta({ description: '"<agent name> Snapshot (YYYY-MM-DD HH:MM)", UTC, at creation.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    graph: AgentGraph,
  })
  .meta({ id: 'AgentSnapshot' });
export type AgentSnapshot = z.infer<typeof AgentSnapshot>;

export const SnapshotsParams = z.object({ agent_id: PathId.meta({ example: 'a1000000-0000-4000-8000-000000000001' }) });
export const SnapshotParams = z.object({ id: PathId.meta({ example: '5a100000-0000-4000-8000-000000000001' }) });

/** Not a wrapper: `{graph}` is the whole body, and the body itself is optional. */
export const SnapshotCreateBody = z
  .object({
    graph: AgentGraphInput.optional().meta({ description: "Optional custom graph definition to use instead of the agent's current graph" }),
  })
  // Fastify hands a request without a body to validation as null.
  .nullish();

export const SnapshotResponse = data(AgentSnapshot);
