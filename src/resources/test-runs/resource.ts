import { defineResource } from '../../lib/resource.js';
import { testRunFixtures } from './fixtures.js';
import { createTestRunRepository, type TestRunRepository } from './repository.js';
import { testRunRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    testRuns: TestRunRepository;
  }
}

export const testRuns = defineResource({
  name: 'testRuns',
  repository: createTestRunRepository,
  routes: testRunRoutes,
  fixtures: testRunFixtures,
});
