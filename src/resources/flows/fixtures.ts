import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import type { FlowRepository } from './repository.js';
import { Flow } from './schemas.js';

/**
 * `projects[].flows[]`: flows in the API's shape (execution_count and last_executed_at are read
 * from their executions), plus their steps (where an execution can be) and whether they have an
 * active API trigger (default true; createFlowExecution needs one).
 */
export const flowFixtures = fixturePart({
  key: 'flows',
  schema: Flow.pick({ name: true, status: true }).extend({
    description: z.string().nullable().default(null),
    created_by: z.object({ id: FixtureId, name: z.string().min(1) }).nullable().default(null),
    api_trigger: z.boolean().default(true),
    steps: z.array(z.object({ id: FixtureId, name: z.string().min(1), step_type: z.string().min(1) })).default([]),
  }),
  insert: (repo: FlowRepository, f, { projectId }) =>
    repo.insert(projectId, {
      id: f.id, name: f.name, description: f.description, status: f.status, api_trigger: f.api_trigger, steps: f.steps,
      created_by: f.created_by, created_at: f.created_at, updated_at: f.updated_at,
    }),
});
