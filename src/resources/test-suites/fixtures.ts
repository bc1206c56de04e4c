import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import type { TestSuiteRepository } from './repository.js';

/** `projects[].test_suites[]`: suites of the project's agents, with their `test_cases` nested. */
export const testSuiteFixtures = fixturePart({
  key: 'test_suites',
  schema: z.object({
    agent_id: FixtureId,
    name: z.string().min(1),
    description: z.string().optional(),
  }),
  insert: (repo: TestSuiteRepository, s, { projectId }) =>
    repo.insert(projectId, {
      id: s.id, agent_id: s.agent_id, name: s.name, description: s.description ?? null, created_at: s.created_at, updated_at: s.updated_at,
    }),
});
