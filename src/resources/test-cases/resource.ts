import { defineResource } from '../../lib/resource.js';
import { testCaseFixtures } from './fixtures.js';
import { createTestCaseRepository, type TestCaseRepository } from './repository.js';
import { testCaseRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    testCases: TestCaseRepository;
  }
}

export const testCases = defineResource({
  name: 'testCases',
  repository: createTestCaseRepository,
  routes: testCaseRoutes,
  fixtures: testCaseFixtures,
});
