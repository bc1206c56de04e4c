// /__admin inbox simulation: a WhatsApp user writes in, an outbound message moves along its life
// (sent -> delivered -> read, or failed), a conversation ends. The project of each call is found
// as API-DECISIONS "Control plane and projects" says (admin/project-scope.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, unprocessable } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { projectScope } from '../project-scope.js';
import { adminTags } from '../schemas.js';
import { normalizePhone } from '../../lib/phone.js';
import { WhatsappTemplate } from '../../resources/whatsapp-templates/schemas.js';
import { z } from 'zod';
import {
  AdminConversationResponse, AdminMessageResponse, ConversationIdParams, InboundBody, InboundResponse, MarketingPreferenceBody,
  MessageIdParams, MessageStatusBody, ProjectBody, TemplateIdParams, TemplateReviewBody, WaIdParams, toAdminMessage,
} from './schemas.js';

const PROJECT_RULE = 'The project: project_id (body or query), else the project of an X-API-Key header, else ';

export const inboxAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappMessages: messages, whatsappConversations: conversations, whatsappConfigs: configs, whatsappTemplates: templates, whatsappContacts: contacts } = app.repos;
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

  r.post('/templates/:id/review', {
    operationId: 'adminReviewTemplate', summary: 'Approve or reject a template in review',
    description: 'Meta\'s review of a template (one created or edited through the Meta proxy waits in review, PENDING there, `submitted` on /api/v1, '
      + 'unless the auto_approve_templates setting is on): `approved` lets it be sent, `rejected` keeps the reason in metadata.rejected_reason. '
      + `${PROJECT_RULE}the one project holding the template.`,
    params: TemplateIdParams, body: TemplateReviewBody, response: z.object({ data: WhatsappTemplate }), status: 200, errors: [400, 401, 404, 422],
  }, async (request) => {
    const { id } = request.params;
    const projectId = scope.forRecord(request, 'Template', id, templates.holders);
    if (request.body.reason !== undefined && request.body.status !== 'rejected') throw unprocessable('reason is only given with status rejected');
    if (!templates.review(projectId, id, request.body.status, request.body.reason)) throw notFound('Template');
    return { data: templates.get(projectId, id)! };
  });

  r.post('/contacts/:wa_id/marketing_preference', {
    operationId: 'adminSetMarketingPreference', summary: 'A WhatsApp user stops or resumes marketing messages',
    description: 'As when the user taps "Stop promotions": a MARKETING template to the number is refused (the Meta proxy\'s 422 '
      + '`marketing_preference_stopped`, /api/v1\'s 422 Validation failed) until `stopped: false`. '
      + `${PROJECT_RULE}the first fixture project (the Demo Project).`,
    params: WaIdParams, body: MarketingPreferenceBody,
    response: z.object({ data: z.object({ wa_id: z.string(), marketing_stopped: z.boolean(), marketing_stopped_at: z.string().nullable() }) }),
    status: 200, errors: [400, 401, 404, 422],
  }, async (request) => {
    const projectId = scope.forCall(request);
    const digits = normalizePhone(request.params.wa_id);
    const row = digits === undefined ? undefined : contacts.setMarketingStopped(projectId, digits, request.body.stopped);
    if (!row) throw notFound('WhatsApp contact');
    return { data: { wa_id: row.wa_id, marketing_stopped: row.marketing_stopped_at !== null, marketing_stopped_at: row.marketing_stopped_at } };
  });
};
