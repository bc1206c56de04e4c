import { defineResource } from '../../lib/resource.js';
import { testSuiteFixtures } from './fixtures.js';
import { createTestSuiteRepository, type TestSuiteRepository } from './repository.js';
import { testSuiteRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    testSuites: TestSuiteRepository;
  }
}

export const testSuites = defineResource({
  name: 'testSuites',
  repository: createTestSuiteRepository,
  routes: testSuiteRoutes,
  fixtures: testSuiteFixtures,
});
