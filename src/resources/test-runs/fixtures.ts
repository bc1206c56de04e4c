import { z } from 'zod';
import { FixtureTime } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import type { TestRunRepository } from './repository.js';

/**
 * `test_cases[].test_runs[]`: runs of a case. A `completed` run is scored at load exactly as
 * running it would score it (the case against its agent's graph); a `failed` one has its `error`;
 * a `pending` one waits for the control plane.
 */
export const testRunFixtures = fixturePart({
  key: 'test_runs',
  parent: 'testCases',
  schema: z.object({
    status: z.enum(['completed', 'failed', 'pending']).default('completed'),
    error: z.string().min(1).optional(),
    started_at: FixtureTime.optional(),
    ended_at: FixtureTime.optional(),
  }),
  insert: (repo: TestRunRepository, run, { projectId, parent }) => repo.insert(projectId, parent.id, run),
});
