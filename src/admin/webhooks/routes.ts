// /__admin for webhooks: what was sent (deliveries: list, wait, redeliver), a sample of an event to a
// webhook (test), and agent webhooks, which Kapso sets in its dashboard and the mock sets here.
// Routes that name a record find their project as API-DECISIONS "Control plane and projects" says.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, validationFailed } from '../../errors.js';
import { routes } from '../../lib/route.js';
import type { DeliveryFilter } from '../../webhooks/store.js';
import { projectScope } from '../project-scope.js';
import { adminTags } from '../schemas.js';
import {
  AgentParams, AgentWebhookCreateBody, AgentWebhookListResponse, AgentWebhookParams, AgentWebhookResponse, AgentWebhookUpdateBody, DeliveryListResponse,
  DeliveryParams, DeliveryQuery, DeliveryResponse, DeliveryWaitBody, DeliveryWaitResponse, ProjectBody, WebhookTestBody,
} from './schemas.js';

const PROJECT_RULE = 'The project: project_id (body or query), else the project of an X-API-Key header, else the one project holding the ID.';

export const webhookAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { webhooks, repos } = app;
  const scope = projectScope(app);
  const r = routes(app, adminTags);
  const webhookHolders = (id: string) => [...new Set([...repos.whatsappWebhooks.holders(id), ...repos.agentWebhooks.holders(id)])].sort();

  const filterOf = (request: Parameters<typeof scope.named>[0], f: { webhook_id?: string | undefined; event?: string | undefined; status?: DeliveryFilter['status']; conversation_id?: string | undefined }): DeliveryFilter => ({
    projectId: scope.named(request), webhookId: f.webhook_id, event: f.event, status: f.status, conversationId: f.conversation_id,
  });

  r.get('/webhook_deliveries', {
    operationId: 'adminListWebhookDeliveries', summary: 'Webhook deliveries, newest first',
    description: 'Every delivery made (pending ones always, finished ones up to webhook_history): URL, event, headers sent, payload, attempts. '
      + 'Filters: project_id (or an X-API-Key header), webhook_id, event, status, conversation_id.',
    query: DeliveryQuery, response: DeliveryListResponse, errors: [400, 401, 404, 422],
  }, async (request) => {
    const deliveries = webhooks.list(filterOf(request, request.query), request.query.limit);
    return { data: deliveries, meta: { count: deliveries.length } };
  });

  r.post('/webhook_deliveries/wait', {
    operationId: 'adminWaitForWebhookDeliveries', summary: 'Wait for matching webhook deliveries',
    description: 'Answers as soon as `count` deliveries match (those already there count), or after `timeout_ms` with timed_out: true and what matched. '
      + 'With status: delivered it waits for receivers to have answered 2xx.',
    body: DeliveryWaitBody, response: DeliveryWaitResponse, status: 200, errors: [400, 401, 404, 422],
  }, async (request) => {
    const { count, timeout_ms, ...filter } = request.body;
    const { deliveries, timedOut } = await webhooks.wait(filterOf(request, filter), count, timeout_ms);
    return { data: deliveries, meta: { count: deliveries.length, timed_out: timedOut } };
  });

  r.post('/webhook_deliveries/:id/redeliver', {
    operationId: 'adminRedeliverWebhook', summary: 'Send a delivery again',
    description: `A new delivery with the same URL, body, headers, signature and X-Idempotency-Key (it is the same event), sent at once. ${PROJECT_RULE}`,
    params: DeliveryParams, body: ProjectBody, response: DeliveryResponse, errors: [400, 401, 404, 422],
  }, async (request) => {
    const projectId = scope.forRecord(request, 'Webhook delivery', request.params.id, webhooks.holders);
    const delivery = webhooks.redeliver(projectId, request.params.id);
    if (delivery === 'missing') throw notFound('Webhook delivery');
    if (delivery === 'open') throw validationFailed('This batch is still collecting events: it has not been sent yet');
    return { data: delivery };
  });

  r.post('/webhooks/:id/test', {
    operationId: 'adminTestWebhook', summary: 'Send a sample event to a webhook',
    description: 'A sample of event_type (default whatsapp.message.received; agent_execution_started for an agent webhook), signed and sent like any '
      + 'delivery, whether or not the webhook is active or subscribes to it, as Kapso\'s test button does. The sample is made up: it stores nothing. '
      + PROJECT_RULE,
    params: AgentWebhookParams, body: WebhookTestBody, response: DeliveryResponse, errors: [400, 401, 404, 422],
  }, async (request) => {
    const projectId = scope.forRecord(request, 'Webhook', request.params.id, webhookHolders);
    const result = webhooks.test(projectId, request.params.id, request.body.event_type);
    if ('missing' in result) throw notFound('Webhook');
    if ('invalid' in result) throw validationFailed(`event_type ${result.invalid} is not an event of this kind of webhook`);
    return { data: result };
  });

  r.get('/agents/:agent_id/webhooks', {
    operationId: 'adminListAgentWebhooks', summary: 'An agent\'s outbound webhooks, newest first',
    description: PROJECT_RULE, params: AgentParams, response: AgentWebhookListResponse, errors: [400, 401, 404, 422],
  }, async (request) => {
    const projectId = scope.forRecord(request, 'Agent', request.params.agent_id, scope.holdersIn('agents'));
    if (!repos.agents.exists(projectId, request.params.agent_id)) throw notFound('Agent');
    return { data: repos.agentWebhooks.forAgent(projectId, request.params.agent_id) };
  });

  r.post('/agents/:agent_id/webhooks', {
    operationId: 'adminCreateAgentWebhook', summary: 'Add an outbound webhook to an agent',
    description: 'As the agent\'s "API & Webhooks" settings do in Kapso\'s dashboard: url, secret_key, events (default all four agent_execution_* events). '
      + PROJECT_RULE,
    params: AgentParams, body: AgentWebhookCreateBody, response: AgentWebhookResponse,
  }, async (request) => {
    const projectId = scope.forRecord(request, 'Agent', request.params.agent_id, scope.holdersIn('agents'));
    if (!repos.agents.exists(projectId, request.params.agent_id)) throw notFound('Agent');
    const { project_id: _project, ...input } = request.body;
    return { data: repos.agentWebhooks.create(projectId, request.params.agent_id, input) };
  });

  r.route('PATCH', '/agent_webhooks/:id', {
    operationId: 'adminUpdateAgentWebhook', summary: 'Change an agent webhook',
    description: PROJECT_RULE, params: AgentWebhookParams, body: AgentWebhookUpdateBody, response: AgentWebhookResponse, errors: [400, 401, 404, 422],
  }, async (request) => {
    const projectId = scope.forRecord(request, 'Agent webhook', request.params.id, repos.agentWebhooks.holders);
    const { project_id: _project, ...patch } = request.body;
    const webhook = repos.agentWebhooks.update(projectId, request.params.id, patch);
    if (!webhook) throw notFound('Agent webhook');
    return { data: webhook };
  });

  r.delete('/agent_webhooks/:id', {
    operationId: 'adminDeleteAgentWebhook', summary: 'Remove an agent webhook',
    description: `Its pending deliveries are cancelled. ${PROJECT_RULE}`, params: AgentWebhookParams, errors: [401, 404, 422],
  }, async (request) => {
    const projectId = scope.forRecord(request, 'Agent webhook', request.params.id, repos.agentWebhooks.holders);
    if (!repos.agentWebhooks.delete(projectId, request.params.id)) throw notFound('Agent webhook');
  });
};
