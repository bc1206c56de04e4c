// /__admin inbox simulation: a WhatsApp user writes in, an outbound message moves along its life
// (sent -> delivered -> read, or failed), a conversation ends. The project of each call is found
// as API-DECISIONS "Control plane and projects" says (admin/project-scope.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, unprocessable } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { projectScope } from '../project-scope.js';
import { adminTags } from '../schemas.js';
import {
  AdminConversationResponse, AdminMessageResponse, ConversationIdParams, InboundBody, InboundResponse, MessageIdParams, MessageStatusBody,
  ProjectBody, toAdminMessage,
} from './schemas.js';

const PROJECT_RULE = 'The project: project_id (body or query), else the project of an X-API-Key header, else ';

export const inboxAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappMessages: messages, whatsappConversations: conversations, whatsappConfigs: configs } = app.repos;
  const scope = projectScope(app);
  const r = routes(app, adminTags);

  r.post('/simulate/inbound-message', {
    operationId: 'adminSimulateInboundMessage', summary: 'A WhatsApp user writes to a config',
    description: 'Stores an inbound message as if the number wrote to the config: into the number\'s active conversation on it, or a new one, '
      + 'and its contact (made, or renamed with contact_name). Non-text types take their fields in the same body. '
      + `${PROJECT_RULE}the one project holding whatsapp_config_id, else the first fixture project (the Demo Project). `
      + 'The config defaults to the project\'s first.',
    body: InboundBody, response: InboundResponse, errors: [400, 401, 404, 422],
  }, async (request) => {
    const body = request.body;
    const projectId = body.whatsapp_config_id !== undefined && scope.named(request) === undefined
      ? scope.forRecord(request, 'WhatsApp configuration', body.whatsapp_config_id, messages.configHolders)
      : scope.forCall(request);
    const whatsappConfigId = body.whatsapp_config_id ?? messages.defaultConfig(projectId);
    if (whatsappConfigId === undefined) throw unprocessable('The project has no WhatsApp config to write to');
    if (!configs.get(projectId, whatsappConfigId)) throw unprocessable('Whatsapp config must exist');
    const { phone_number, contact_name, whatsapp_message_id, project_id: _project, whatsapp_config_id: _config, ...fields } = body;
    const received = messages.receive(projectId, {
      whatsappConfigId, phone: phone_number, profileName: contact_name, whatsappMessageId: whatsapp_message_id,
      fields: { ...fields, interactive_type: fields.message_type === 'interactive' ? (fields.interactive_type ?? 'button') : fields.interactive_type },
    });
    return {
      data: {
        message: received.message,
        conversation: conversations.get(projectId, received.conversation.id)!,
        is_new_conversation: received.isNewConversation,
      },
    };
  });

  r.post('/messages/:id/status', {
    operationId: 'adminSetMessageStatus', summary: 'Move an outbound message along its life',
    description: 'sent -> delivered -> read, forward only (skipped steps get their time and their event); failed (with Meta\'s error) '
      + 'from sent or delivered. The same status again changes nothing. Each move is a whatsapp.message.* event. '
      + `${PROJECT_RULE}the one project holding the message.`,
    params: MessageIdParams, body: MessageStatusBody, response: AdminMessageResponse, status: 200, errors: [400, 401, 404, 422],
  }, async (request) => {
    const { id } = request.params;
    const projectId = scope.forRecord(request, 'WhatsApp message', id, messages.holders);
    const { status, error } = request.body;
    const moved = messages.moveStatus(projectId, id, status, error && {
      code: error.code, title: error.title, message: error.message ?? error.title, error_data: { details: error.details ?? error.message ?? error.title },
    });
    if (!moved) throw notFound('WhatsApp message');
    return { data: toAdminMessage(moved) };
  });

  r.post('/conversations/:id/end', {
    operationId: 'adminEndConversation', summary: 'End a conversation',
    description: 'As PATCH /api/v1/whatsapp_conversations/{id} with status ended (whatsapp.conversation.ended); an ended one stays as it is. '
      + `${PROJECT_RULE}the one project holding the conversation.`,
    params: ConversationIdParams, body: ProjectBody, response: AdminConversationResponse, status: 200, errors: [400, 401, 404, 422],
  }, async (request) => {
    const { id } = request.params;
    const projectId = scope.forRecord(request, 'Conversation', id, conversations.holders);
    const ended = conversations.setStatus(projectId, id, 'ended');
    if (!ended) throw notFound('Conversation');
    return { data: ended };
  });

};
