import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { TestRunCreateBody, TestRunParams, TestRunResponse, TestRunsParams } from './schemas.js';

export const testRunRoutes: FastifyPluginAsyncZod = async (app) => {
  const { testCases: cases, testRuns: runs } = app.repos;
  const r = routes(app, ['Test Runs']);

  r.post('/test_cases/:test_case_id/test_runs', {
    operationId: 'createTestRun', summary: 'Create a new test run',
    description: "Creates a run of the test case. run_now: true plays the case's script through the agent's current graph and "
      + 'scores it at once (the same case and graph always give the same score); otherwise the run waits, unscored, until '
      + 'POST /__admin/test_runs/{id}/run runs it. A run spends one AI credit; with none left it fails.',
    params: TestRunsParams, body: TestRunCreateBody, response: TestRunResponse,
  }, async (request) => {
    if (!cases.get(request.projectId, request.params.test_case_id)) throw notFound('Test case');
    return { data: runs.create(request.projectId, request.params.test_case_id, request.body.run_now ?? false) };
  });

  r.get('/test_runs/:test_run_id', {
    operationId: 'getTestRun', summary: 'Get test run details',
    params: TestRunParams, response: TestRunResponse,
  }, async (request) => {
    const run = runs.get(request.projectId, request.params.test_run_id);
    if (!run) throw notFound('Test run');
    return { data: run };
  });
};
