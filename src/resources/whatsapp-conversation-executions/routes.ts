import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { ConversationExecutionList } from './repository.js';
import {
  ConversationExecutionListResponse, ConversationExecutionParams, ConversationExecutionResponse, ConversationExecutionsParams,
} from './schemas.js';

export const conversationExecutionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappConversations: conversations, conversationExecutions: links } = app.repos;
  const r = routes(app, ['WhatsApp Conversations']);

  r.get('/whatsapp_conversations/:conversation_id/agent_executions', {
    operationId: 'listWhatsappConversationAgentExecutions', summary: 'List agent executions for a WhatsApp conversation',
    description: 'Every execution that ran in the conversation, newest first, with the execution embedded. active: the execution has not '
      + 'ended; handoff_reason: why it handed the conversation to a person.',
    params: ConversationExecutionsParams, query: ConversationExecutionList.query, response: ConversationExecutionListResponse,
  }, async (request, reply) => {
    const { projectId, params } = request;
    if (!conversations.get(projectId, params.conversation_id)) throw notFound('Conversation');
    return paginate(request, reply, links.list(projectId, params.conversation_id, request.query));
  });

  r.get('/whatsapp_conversations/:conversation_id/agent_executions/:id', {
    operationId: 'getWhatsappConversationAgentExecution', summary: 'Get agent execution association details',
    description: '`id` is the association\'s ID (the list\'s `id`), not the execution\'s. A missing conversation or association is the spec\'s '
      + '404 "Conversation or association not found".',
    params: ConversationExecutionParams, response: ConversationExecutionResponse,
  }, async (request) => {
    const { projectId, params } = request;
    const found = links.get(projectId, params.conversation_id, params.id);
    if (!found) throw notFound('Conversation or association');
    return { data: found };
  });
};
