import { z } from 'zod';
import { fixturePart } from '../../lib/resource.js';
import type { TestCaseRepository } from './repository.js';

/** `test_suites[].test_cases[]`: a suite's cases. */
export const testCaseFixtures = fixturePart({
  key: 'test_cases',
  parent: 'testSuites',
  schema: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    script: z.string().min(1),
    rubric: z.string().min(1),
  }),
  insert: (repo: TestCaseRepository, c, { projectId, parent }) =>
    repo.insert(projectId, {
      id: c.id, test_suite_id: parent.id, name: c.name, description: c.description ?? null, script: c.script, rubric: c.rubric,
      created_at: c.created_at, updated_at: c.updated_at,
    }),
});
