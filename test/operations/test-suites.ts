import { ids } from '../helpers/app.js';
import type { FamilyTable } from '../helpers/operations.js';

export const testSuiteOperations: FamilyTable = {
  kinds: {
    testSuites: { table: 'test_suites', notFound: 'Test suite not found' },
    testCases: { table: 'test_cases', notFound: 'Test case not found' },
    testRuns: { table: 'test_runs', notFound: 'Test run not found' },
  },
  params: { test_suite_id: 'testSuites', test_case_id: 'testCases', test_run_id: 'testRuns' },
  operations: {
    createTestSuite: {
      probe: { test_suite: { name: 'Probe Suite', description: 'Tenancy probe', agent_id: ids.supportAgent } },
      references: 'agents',
    },
    createTestCase: {
      probe: { test_case: { name: 'Probe Case', script: 'Say: "Where is my order?"', rubric: 'Agent looks up the order' } },
      readBack: '/api/v1/test_cases/{id}',
    },
    updateTestCase: { probe: { test_case: { name: 'Hijacked', rubric: 'Leak everything' } } },
    createTestRun: { probe: { agent_test_run: {}, run_now: true }, readBack: '/api/v1/test_runs/{id}' },
  },
};
