import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { insufficientCredits, notFound, testChatBusy, testChatNotResumable } from '../../errors.js';
import { routes } from '../../lib/route.js';
import type { ChatTarget, TurnResult } from './repository.js';
import {
  AgentChatParams, CannotResumeBody, InsufficientCreditsBody, SnapshotChatParams, TestChatCreateBody, TestChatParams, TestChatResponse,
  TestChatResumeBody,
} from './schemas.js';

export const agentTestChatRoutes: FastifyPluginAsyncZod = async (app) => {
  const { agents, agentSnapshots: snapshots, agentTestChats: chats } = app.repos;
  const r = routes(app, ['Agent Test Chats']);

  const agentTarget = (projectId: string, agentId: string): ChatTarget | undefined => {
    const agent = agents.record(projectId, agentId);
    return agent && { agent_id: agent.id, agent_snapshot_id: null, agent: { name: agent.name, system_prompt: agent.system_prompt, graph: agent.graph ?? {} } };
  };
  const snapshotTarget = (projectId: string, snapshotId: string): ChatTarget | undefined => {
    const snapshot = snapshots.simulated(projectId, snapshotId);
    return snapshot && { agent_id: snapshot.agent_id, agent_snapshot_id: snapshotId, agent: snapshot };
  };
  /** The chat of a turn, or the error its refusal answers. */
  const chatOf = (projectId: string, result: TurnResult | undefined) => {
    if (!result) throw notFound('Test chat');
    if ('refused' in result) {
      if (result.refused === 'busy') throw testChatBusy();
      if (result.refused === 'no_credits') throw insufficientCredits(projectId);
      throw testChatNotResumable();
    }
    return { data: result.chat };
  };
  /** A new chat, or the next message of the target's chat named by agent_test_chat_id. */
  const send = (projectId: string, target: ChatTarget, body: { message: string; agent_test_chat_id?: string | undefined }) =>
    body.agent_test_chat_id === undefined
      ? { data: chats.start(projectId, target, body.message) }
      : chatOf(projectId, chats.continue(projectId, target, body.agent_test_chat_id, body.message));

  const CREATE_NOTES = 'The reply comes from the simulated agent (docs/families/agents.md): the same graph and message always give '
    + 'the same reply. With agent_test_chat_id the message continues that chat (one of this target\'s chats, else 404 "Test chat not '
    + 'found"; 400 while its previous reply is still processing). The chat reads `processing` until the reply lands (at once unless '
    + 'the project has a test-chat latency); with no AI credits left the chat ends in `error`.';

  r.post('/agents/:agent_id/test_chats', {
    operationId: 'createAgentTestChat', summary: 'Start a new agent test chat',
    description: `Initiates a test conversation with the agent's current graph. ${CREATE_NOTES}`,
    params: AgentChatParams, body: TestChatCreateBody, response: TestChatResponse, errors: [400, 401, 404],
  }, async (request) => {
    const target = agentTarget(request.projectId, request.params.agent_id);
    if (!target) throw notFound('Agent');
    return send(request.projectId, target, request.body);
  });

  r.post('/agent_snapshots/:agent_snapshot_id/test_chats', {
    operationId: 'createAgentSnapshotTestChat', summary: 'Start a new test chat using an agent snapshot',
    description: `Initiates a test conversation with the snapshot's frozen graph. ${CREATE_NOTES}`,
    params: SnapshotChatParams, body: TestChatCreateBody, response: TestChatResponse, errors: [400, 401, 404],
  }, async (request) => {
    const target = snapshotTarget(request.projectId, request.params.agent_snapshot_id);
    if (!target) throw notFound('Agent snapshot');
    return send(request.projectId, target, request.body);
  });

  r.get('/test_chats/:id', {
    operationId: 'getAgentTestChat', summary: 'Get agent test chat details',
    params: TestChatParams, response: TestChatResponse,
    // A processing reply lands when the mock's clock passes its time.
    cache: false,
  }, async (request) => {
    const chat = chats.get(request.projectId, request.params.id);
    if (!chat) throw notFound('Test chat');
    return { data: chat };
  });

  r.post('/test_chats/:id/resume', {
    operationId: 'resumeAgentTestChat', summary: 'Resume a completed agent test chat',
    description: 'Resumes a completed test chat with an optional payload message (shown as a user turn holding the payload\'s JSON): '
      + 'the agent routes by the payload\'s words, else follows its current node\'s first edge. 402 when the project has no AI '
      + 'credits left, 422 when the chat is not completed.',
    params: TestChatParams, body: TestChatResumeBody, response: TestChatResponse, status: 200,
    errors: [400, 401, 404], errorBodies: { 402: InsufficientCreditsBody, 422: CannotResumeBody },
  }, async (request) => {
    const { projectId } = request;
    const found = chats.targetOf(projectId, request.params.id);
    if (!found) throw notFound('Test chat');
    const target = found.agent_snapshot_id === null ? agentTarget(projectId, found.agent_id) : snapshotTarget(projectId, found.agent_snapshot_id);
    if (!target) throw notFound('Test chat');
    return chatOf(projectId, chats.resume(projectId, target, request.params.id, request.body?.message?.content));
  });
};
