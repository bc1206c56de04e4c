import { z } from 'zod';
import { fixturePart } from '../../lib/resource.js';
import { defaultGraph, type AgentRepository } from './repository.js';
import { Agent, AgentGraphInput } from './schemas.js';

/** `projects[].agents[]`: agents in the API's shape, plus their system prompt and graph (default: one start node). */
export const agentFixtures = fixturePart({
  key: 'agents',
  schema: Agent.omit({ project_id: true }).extend({ system_prompt: z.string().optional(), graph: AgentGraphInput.optional() }),
  insert: (repo: AgentRepository, a, { projectId }) =>
    repo.insert({
      id: a.id,
      project_id: projectId,
      name: a.name,
      description: a.description ?? null,
      system_prompt: a.system_prompt ?? null,
      graph: a.graph ?? defaultGraph(),
      created_at: a.created_at,
      updated_at: a.updated_at,
    }),
});
