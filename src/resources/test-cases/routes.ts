import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { TestCaseCreateBody, TestCaseParams, TestCaseResponse, TestCasesParams, TestCaseUpdateBody } from './schemas.js';

export const testCaseRoutes: FastifyPluginAsyncZod = async (app) => {
  const { testSuites: suites, testCases: cases } = app.repos;
  const r = routes(app, ['Test Suites']);

  r.post('/test_suites/:test_suite_id/test_cases', {
    operationId: 'createTestCase', summary: 'Create a new test case',
    params: TestCasesParams, body: TestCaseCreateBody, response: TestCaseResponse,
  }, async (request) => {
    if (!suites.exists(request.projectId, request.params.test_suite_id)) throw notFound('Test suite');
    return { data: cases.create(request.projectId, request.params.test_suite_id, request.body.test_case) };
  });

  r.get('/test_cases/:test_case_id', {
    operationId: 'getTestCase', summary: 'Get test case details',
    params: TestCaseParams, response: TestCaseResponse,
  }, async (request) => {
    const testCase = cases.get(request.projectId, request.params.test_case_id);
    if (!testCase) throw notFound('Test case');
    return { data: testCase };
  });

  r.update('/test_cases/:test_case_id', {
    method: 'PATCH', operationId: 'updateTestCase', summary: 'Update a test case',
    description: 'Changes the fields given; an empty test_case changes nothing. Runs already scored keep their score.',
    params: TestCaseParams, body: TestCaseUpdateBody, response: TestCaseResponse,
  }, async (request) => {
    const testCase = cases.update(request.projectId, request.params.test_case_id, request.body.test_case);
    if (!testCase) throw notFound('Test case');
    return { data: testCase };
  });
};
