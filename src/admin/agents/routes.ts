// /__admin for the agents platform: a project's AI settings (credits, test-chat latency), test
// chats moved between processing, completed and error, and waiting test runs run or failed.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, validationFailed } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { projectScope } from '../project-scope.js';
import { adminTags } from '../schemas.js';
import {
  AdminTestChatResponse, AdminTestRunResponse, AgentSettingsBody, AgentSettingsResponse, ProjectParams, RecordParams, TestChatStatusBody,
  TestRunRunBody,
} from './schemas.js';

export const agentAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { projects, agentSettings: settings, agentTestChats: chats, testRuns: runs } = app.repos;
  const r = routes(app, adminTags);
  const scope = projectScope(app);

  const requireProject = (id: string) => {
    if (!projects.get(id)) throw notFound('Project');
  };

  r.get('/projects/:project_id/agent_settings', {
    operationId: 'adminGetAgentSettings', summary: "A project's AI settings: credits and test-chat latency",
    params: ProjectParams, response: AgentSettingsResponse,
  }, async (request) => {
    requireProject(request.params.project_id);
    return { data: settings.get(request.params.project_id) };
  });

  r.route('PATCH', '/projects/:project_id/agent_settings', {
    operationId: 'adminUpdateAgentSettings', summary: "Change a project's AI settings",
    description: 'credits: 0 makes resuming a test chat answer 402, a new test-chat message end the chat in error and a test run fail; '
      + 'test_chat_latency_ms keeps each new test-chat reply processing that long on the mock clock.',
    params: ProjectParams, body: AgentSettingsBody, response: AgentSettingsResponse,
  }, async (request) => {
    requireProject(request.params.project_id);
    return { data: settings.update(request.params.project_id, request.body) };
  });

  r.post('/test_chats/:id/status', {
    operationId: 'adminSetTestChatStatus', summary: 'Hold, release or fail an agent test chat',
    params: RecordParams, body: TestChatStatusBody, response: AdminTestChatResponse, status: 200,
  }, async (request) => {
    const projectId = scope.forRecord(request, 'Test chat', request.params.id, scope.holdersIn('agent_test_chats'));
    const chat = chats.setStatus(projectId, request.params.id, request.body.status, request.body.error);
    if (!chat) throw notFound('Test chat');
    return { data: chat };
  });

  r.post('/test_runs/:id/run', {
    operationId: 'adminRunTestRun', summary: 'Run (or fail) a test run that is waiting',
    description: 'Plays the case through the agent\'s graph as it is now and scores it, as run_now does; 422 when the run has already run.',
    params: RecordParams, body: TestRunRunBody, response: AdminTestRunResponse, status: 200,
  }, async (request) => {
    const projectId = scope.forRecord(request, 'Test run', request.params.id, scope.holdersIn('test_runs'));
    const result = runs.run(projectId, request.params.id, request.body.error);
    if (!result) throw notFound('Test run');
    if ('already' in result) throw validationFailed('This test run has already run');
    return { data: result.run };
  });
};
