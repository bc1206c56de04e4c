import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import { AgentGraphInput } from '../agents/schemas.js';
import type { AgentSnapshotRepository } from './repository.js';

/**
 * `projects[].agent_snapshots[]`: snapshots of the project's agents. Without `graph` and
 * `system_prompt` a snapshot freezes its agent's as the fixtures give them; without `name` it is
 * named as the API names one, from its created_at.
 */
export const snapshotFixtures = fixturePart({
  key: 'agent_snapshots',
  schema: z.object({
    agent_id: FixtureId,
    name: z.string().min(1).optional(),
    system_prompt: z.string().optional(),
    graph: AgentGraphInput.optional(),
  }),
  insert: (repo: AgentSnapshotRepository, s, { projectId }) => repo.insert(projectId, s),
});
