import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { badRequest, executionActive, notFound, unprocessable, validationFailed } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { normalizePhone } from '../../lib/phone.js';
import { routes } from '../../lib/route.js';
import { answerRefusals } from './refusals.js';
import { MessageList } from './repository.js';
import {
  MarkAsReadQuery, MessageCreateBody, MessageListResponse, MessageParams, MessageResponse, MessagesParams, StandaloneMessageBody,
  StandaloneMessageQuery,
} from './schemas.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const asId = (s: string) => (UUID.test(s) ? s.toLowerCase() : s);

export const whatsappMessageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappConversations: conversations, whatsappMessages: messages, whatsappConfigs: configs, customers } = app.repos;
  const { settings } = app;
  const r = routes(app, ['WhatsApp Messages']);

  const requireConversation = (projectId: string, id: string) => {
    if (!conversations.get(projectId, id)) throw notFound('Conversation');
  };

  r.get('/whatsapp_conversations/:conversation_id/whatsapp_messages', {
    operationId: 'listWhatsappMessages', summary: 'List messages in a WhatsApp conversation',
    description: 'Newest first.',
    params: MessagesParams, query: MessageList.query, response: MessageListResponse,
  }, async (request, reply) => {
    requireConversation(request.projectId, request.params.conversation_id);
    return paginate(request, reply, messages.list(request.projectId, request.params.conversation_id, request.query));
  });

  r.post('/whatsapp_conversations/:conversation_id/whatsapp_messages', {
    operationId: 'createWhatsappMessage', summary: 'Send a new WhatsApp message',
    description: 'Every message_type the spec lists. A non-template message to a number that has not written within 24 hours (mock clock) '
      + 'is refused with 422; a template must exist on the config\'s business account, be approved and get its parameters. '
      + '409 while an agent execution is in charge of the conversation. The message is stored as sent, with a wamid.',
    params: MessagesParams, body: MessageCreateBody, response: MessageResponse, errors: [400, 401, 404, 409, 422],
  }, async (request) => {
    const { projectId } = request;
    const { conversation_id } = request.params;
    requireConversation(projectId, conversation_id);
    const sent = answerRefusals(
      () => messages.send(projectId, { conversationId: conversation_id }, { fields: request.body.message }, { enforceWindow: settings.messagingWindow }),
      (refusal) => (refusal.reason === 'blocked' ? executionActive() : validationFailed(refusal.message)),
    );
    return { data: sent.message };
  });

  r.post('/whatsapp_messages', {
    operationId: 'sendWhatsappMessage', summary: 'Send a WhatsApp message (standalone)',
    description: 'Sends to a phone number without a conversation ID: from whatsapp_config_id, else the customer\'s first config, else the '
      + 'project\'s first; into the number\'s active conversation on that config, or a new one (and a new contact). The same rules as a '
      + 'conversation\'s messages; a template that does not exist is 404.',
    query: StandaloneMessageQuery, body: StandaloneMessageBody, response: MessageResponse, errors: [400, 401, 404, 409, 422],
  }, async (request) => {
    const { projectId, body, query } = request;
    const spelled = body.message.phone_number ?? query.phone_number;
    if (spelled === undefined || spelled.trim() === '') throw badRequest('Phone number is required');
    const phone = normalizePhone(spelled);
    if (phone === undefined) throw validationFailed('phone_number is not a valid phone number (7 to 15 digits, e.g. +15550102030)');
    const configId = body.whatsapp_config_id ?? (query.whatsapp_config_id && asId(query.whatsapp_config_id));
    const customerId = body.customer_id ?? (query.customer_id && asId(query.customer_id));
    let whatsappConfigId: string | undefined;
    if (configId !== undefined) whatsappConfigId = configs.get(projectId, configId)?.id;
    else if (customerId !== undefined) whatsappConfigId = customers.get(projectId, customerId) && messages.defaultConfig(projectId, customerId);
    else whatsappConfigId = messages.defaultConfig(projectId);
    if (whatsappConfigId === undefined) throw unprocessable('WhatsApp configuration not found');
    const sent = answerRefusals(
      () => messages.send(projectId, { whatsappConfigId, phone }, { fields: body.message }, { enforceWindow: settings.messagingWindow }),
      (refusal) => refusal.reason === 'blocked' ? executionActive()
        : refusal.reason === 'template_missing' ? notFound('Template')
          : validationFailed(refusal.message),
    );
    return { data: sent.message };
  });

  r.update('/whatsapp_messages/:id/mark_as_read', {
    method: 'PATCH', operationId: 'markWhatsappMessageAsRead', summary: 'Mark WhatsApp message as read',
    description: 'Inbound messages only (an outbound one is 400); one already read is left as it is.',
    params: MessageParams, query: MarkAsReadQuery, response: MessageResponse, errors: [400, 401, 404],
  }, async (request) => {
    const result = messages.markRead(request.projectId, request.params.id);
    if (!result.found) throw notFound('WhatsApp message');
    if (!result.inbound) throw badRequest('Can only mark inbound messages as read');
    return { data: result.message };
  });
};
