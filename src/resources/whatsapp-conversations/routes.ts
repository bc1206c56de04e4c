import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { ConversationList } from './repository.js';
import { ConversationListResponse, ConversationParams, ConversationResponse, ConversationUpdateBody } from './schemas.js';

export const whatsappConversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappConversations: conversations } = app.repos;
  const r = routes(app, ['WhatsApp Conversations']);

  r.get('/whatsapp_conversations', {
    operationId: 'listWhatsappConversations', summary: 'List WhatsApp conversations',
    description: 'Most recently active first.',
    query: ConversationList.query, response: ConversationListResponse,
  }, async (request, reply) => paginate(request, reply, conversations.list(request.projectId, request.query)));

  r.get('/whatsapp_conversations/:conversation_id', {
    operationId: 'getWhatsappConversation', summary: 'Get WhatsApp conversation details',
    params: ConversationParams, response: ConversationResponse,
  }, async (request) => {
    const conversation = conversations.get(request.projectId, request.params.conversation_id);
    if (!conversation) throw notFound('Conversation');
    return { data: conversation };
  });

  r.update('/whatsapp_conversations/:conversation_id', {
    method: 'PATCH', operationId: 'updateWhatsappConversation', summary: 'Update WhatsApp conversation status',
    description: 'ended ends it (the next message from the number opens a new conversation); active opens an ended one again, '
      + 'unless another conversation of the number is active on the same config (422).',
    params: ConversationParams, body: ConversationUpdateBody, response: ConversationResponse,
  }, async (request) => {
    const conversation = conversations.setStatus(request.projectId, request.params.conversation_id, request.body.whatsapp_conversation.status);
    if (!conversation) throw notFound('Conversation');
    return { data: conversation };
  });
};
