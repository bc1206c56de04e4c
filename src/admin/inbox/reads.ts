// /__admin/projects/{project_id}/...: a project's inbox read by project ID, for the inspector (and
// any script) that has no API key for it (a sandbox's key is shown only when it is made). The
// families' repositories and lists answer, with the API's ordering, filters and paging: a
// conversation's agent executions (with what /api/v1 does not show: a failure and its reason) and
// a config's WhatsApp webhooks (what the inspector sends a test event to) included.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { ContactList } from '../../resources/whatsapp-contacts/repository.js';
import { ConversationOverviewList } from '../../resources/whatsapp-conversations/repository.js';
import { ProjectConfigList } from '../../resources/whatsapp-configs/repository.js';
import { ProjectConfigListResponse } from '../../resources/whatsapp-configs/schemas.js';
import { MessageList } from '../../resources/whatsapp-messages/repository.js';
import { ConversationExecutionList } from '../../resources/whatsapp-conversation-executions/repository.js';
import { WebhookList } from '../../resources/whatsapp-webhooks/repository.js';
import { WebhookListResponse } from '../../resources/whatsapp-webhooks/schemas.js';
import { adminTags } from '../schemas.js';
import {
  AdminContactListResponse, AdminConversationExecutionListResponse, AdminConversationListResponse, AdminConversationOverviewResponse, AdminMessageListResponse,
  ProjectConfigParams, ProjectConversationParams, ProjectParams, toAdminMessage,
} from './schemas.js';

export const inboxReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const {
    projects, whatsappConversations: conversations, whatsappMessages: messages, whatsappContacts: contacts, whatsappConfigs: configs,
    conversationExecutions: links, agentExecutions: executions, agents, whatsappWebhooks: webhooks,
  } = app.repos;
  const r = routes(app, adminTags);

  const requireProject = (id: string) => {
    if (!projects.get(id)) throw notFound('Project');
  };
  const requireConversation = (projectId: string, id: string) => {
    requireProject(projectId);
    if (!conversations.get(projectId, id)) throw notFound('Conversation');
  };

  r.get('/projects/:project_id/whatsapp_configs', {
    operationId: 'adminListProjectWhatsappConfigs', summary: "A project's WhatsApp configs",
    description: 'As GET /api/v1/whatsapp_configs for the project: newest first, with its filters and paging.',
    params: ProjectParams, query: ProjectConfigList.query, response: ProjectConfigListResponse,
  }, async (request, reply) => {
    requireProject(request.params.project_id);
    return paginate(request, reply, configs.listForProject(request.params.project_id, undefined, request.query));
  });

  r.get('/projects/:project_id/conversations', {
    operationId: 'adminListConversations', summary: "A project's conversations, with their last message",
    description: 'Most recently active first, as GET /api/v1/whatsapp_conversations, with the last message, the unread count and the conversation\'s times. '
      + 'q[contact_name_or_phone_number_cont] searches the contact\'s name or the number (a number in any spelling is matched by its digits).',
    params: ProjectParams, query: ConversationOverviewList.query, response: AdminConversationListResponse,
  }, async (request, reply) => {
    requireProject(request.params.project_id);
    return paginate(request, reply, conversations.overviews(request.params.project_id, request.query));
  });

  r.get('/projects/:project_id/conversations/:conversation_id', {
    operationId: 'adminGetConversation', summary: 'One conversation, with its last message',
    params: ProjectConversationParams, response: AdminConversationOverviewResponse,
  }, async (request) => {
    const { project_id, conversation_id } = request.params;
    requireProject(project_id);
    const conversation = conversations.overview(project_id, conversation_id);
    if (!conversation) throw notFound('Conversation');
    return { data: conversation };
  });

  r.get('/projects/:project_id/conversations/:conversation_id/messages', {
    operationId: 'adminListConversationMessages', summary: "A conversation's messages, with their status times and errors",
    description: 'Newest first, as GET /api/v1/whatsapp_conversations/{id}/whatsapp_messages, in the control plane\'s shape (sent_at, delivered_at, read_at, failed_at, error).',
    params: ProjectConversationParams, query: MessageList.query, response: AdminMessageListResponse,
  }, async (request, reply) => {
    const { project_id, conversation_id } = request.params;
    requireConversation(project_id, conversation_id);
    const page = messages.list(project_id, conversation_id, request.query);
    // At most a page (100) of lookups by primary key, in process: the list stays the family's.
    return paginate(request, reply, { ...page, rows: page.rows.map((m) => toAdminMessage(messages.record(project_id, m.id)!)) });
  });

  r.get('/projects/:project_id/contacts', {
    operationId: 'adminListContacts', summary: "A project's WhatsApp contacts",
    description: 'As GET /api/v1/whatsapp_contacts: newest first, with its filters (q[profile_name_cont], q[wa_id_cont], q[customer_id_eq]) and paging.',
    params: ProjectParams, query: ContactList.query, response: AdminContactListResponse,
  }, async (request, reply) => {
    requireProject(request.params.project_id);
    return paginate(request, reply, contacts.list(request.params.project_id, request.query));
  });

  r.get('/projects/:project_id/conversations/:conversation_id/agent_executions', {
    operationId: 'adminListConversationAgentExecutions', summary: "A conversation's agent executions, with failures and their reasons",
    description: 'As GET /api/v1/whatsapp_conversations/{id}/agent_executions (newest first, body meta), each execution with what the control plane '
      + 'knows and /api/v1 does not show: failed (a failed execution reads ended there) and reason (of its handoff or failure), and the agent\'s name. '
      + 'Move one with POST /__admin/executions/{id}/status.',
    params: ProjectConversationParams, query: ConversationExecutionList.query, response: AdminConversationExecutionListResponse,
  }, async (request, reply) => {
    const { project_id, conversation_id } = request.params;
    requireConversation(project_id, conversation_id);
    const page = links.list(project_id, conversation_id, request.query);
    // A page (100 at most) of lookups by primary key, in process: the list stays the family's.
    return paginate(request, reply, {
      ...page,
      rows: page.rows.map((link) => {
        const record = executions.state(project_id, link.agent_execution.id)!.record;
        return {
          ...link,
          agent_execution: { ...link.agent_execution, failed: record.failed, reason: record.reason },
          agent_name: agents.get(project_id, link.agent_execution.agent_id)?.name ?? null,
        };
      }),
    });
  });

  r.get('/projects/:project_id/whatsapp_configs/:whatsapp_config_id/whatsapp_webhooks', {
    operationId: 'adminListProjectWhatsappWebhooks', summary: "A WhatsApp config's webhooks",
    description: 'As GET /api/v1/whatsapp_configs/{id}/whatsapp_webhooks for the project: newest first, with q[url_cont] and q[active_eq]. '
      + 'POST /__admin/webhooks/{id}/test sends one of them a sample event.',
    params: ProjectConfigParams, query: WebhookList.query, response: WebhookListResponse,
  }, async (request, reply) => {
    const { project_id, whatsapp_config_id } = request.params;
    requireProject(project_id);
    if (!configs.exists(project_id, whatsapp_config_id)) throw notFound('WhatsApp configuration');
    return paginate(request, reply, webhooks.list(project_id, whatsapp_config_id, request.query));
  });
};
