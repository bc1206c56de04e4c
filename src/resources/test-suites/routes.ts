import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { AgentSuitesParams, TestSuiteCreateBody, TestSuiteListResponse, TestSuiteParams, TestSuiteResponse } from './schemas.js';

export const testSuiteRoutes: FastifyPluginAsyncZod = async (app) => {
  const { agents, testSuites: suites } = app.repos;
  const r = routes(app, ['Test Suites']);

  r.get('/agents/:agent_id/test_suites', {
    operationId: 'listAgentTestSuites', summary: 'List test suites for an agent', tags: ['Agents'],
    description: 'Every suite of the agent, newest first, each with its test cases (no pagination).',
    params: AgentSuitesParams, response: TestSuiteListResponse,
  }, async (request) => {
    if (!agents.exists(request.projectId, request.params.agent_id)) throw notFound('Agent');
    return { data: suites.listForAgent(request.projectId, request.params.agent_id) };
  });

  r.post('/test_suites', {
    operationId: 'createTestSuite', summary: 'Create a new test suite',
    description: 'An agent_id that names no agent of the project answers the spec\'s 404 "Agent not found".',
    body: TestSuiteCreateBody, response: TestSuiteResponse, errors: [400, 401, 404, 422],
  }, async (request) => {
    const input = request.body.test_suite;
    if (!agents.exists(request.projectId, input.agent_id)) throw notFound('Agent');
    return { data: suites.create(request.projectId, input) };
  });

  r.get('/test_suites/:test_suite_id', {
    operationId: 'getTestSuite', summary: 'Get test suite with test cases',
    params: TestSuiteParams, response: TestSuiteResponse,
  }, async (request) => {
    const suite = suites.get(request.projectId, request.params.test_suite_id);
    if (!suite) throw notFound('Test suite');
    return { data: suite };
  });
};
