import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { WebhookList } from './repository.js';
import { ConfigWebhooksParams, WebhookCreateBody, WebhookListResponse, WebhookParams, WebhookResponse, WebhookUpdateBody } from './schemas.js';

const DELIVERY = 'Deliveries are sent as docs/webhooks.md describes: signed, retried, buffered when asked, in order per conversation.';

// From the API's later revision (openapi-platform.yaml): a config's WhatsApp webhooks.
export const whatsappWebhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappConfigs, whatsappWebhooks: webhooks } = app.repos;
  const r = routes(app, ['WhatsApp Webhooks']);
  const requireConfig = (projectId: string, configId: string) => {
    if (!whatsappConfigs.exists(projectId, configId)) throw notFound('WhatsApp configuration');
  };

  r.get('/whatsapp_configs/:whatsapp_config_id/whatsapp_webhooks', {
    operationId: 'listPlatformWhatsappWebhooks', summary: 'List WhatsApp webhooks',
    description: 'The config\'s webhooks, newest first. q[url_cont] (case-insensitive) and q[active_eq] (true or false) narrow the list.',
    params: ConfigWebhooksParams, query: WebhookList.query, response: WebhookListResponse,
  }, async (request, reply) => {
    requireConfig(request.projectId, request.params.whatsapp_config_id);
    return paginate(request, reply, webhooks.list(request.projectId, request.params.whatsapp_config_id, request.query));
  });

  r.post('/whatsapp_configs/:whatsapp_config_id/whatsapp_webhooks', {
    operationId: 'createPlatformWhatsappWebhook', summary: 'Create a WhatsApp webhook',
    description: `url, secret_key and events are required. ${DELIVERY}`,
    params: ConfigWebhooksParams, body: WebhookCreateBody, response: WebhookResponse,
  }, async (request) => {
    requireConfig(request.projectId, request.params.whatsapp_config_id);
    return { data: webhooks.create(request.projectId, request.params.whatsapp_config_id, request.body.whatsapp_webhook) };
  });

  r.get('/whatsapp_configs/:whatsapp_config_id/whatsapp_webhooks/:id', {
    operationId: 'getPlatformWhatsappWebhook', summary: 'Get WhatsApp webhook details',
    params: WebhookParams, response: WebhookResponse,
  }, async (request) => {
    const { whatsapp_config_id, id } = request.params;
    requireConfig(request.projectId, whatsapp_config_id);
    const webhook = webhooks.get(request.projectId, whatsapp_config_id, id);
    if (!webhook) throw notFound('WhatsApp webhook');
    return { data: webhook };
  });

  r.update('/whatsapp_configs/:whatsapp_config_id/whatsapp_webhooks/:id', {
    method: 'PATCH', operationId: 'updatePlatformWhatsappWebhook', summary: 'Update WhatsApp webhook',
    description: 'Changes apply to deliveries made from then on; a delivery already made keeps its URL, headers and signature.',
    params: WebhookParams, body: WebhookUpdateBody, response: WebhookResponse,
  }, async (request) => {
    const { whatsapp_config_id, id } = request.params;
    requireConfig(request.projectId, whatsapp_config_id);
    const webhook = webhooks.update(request.projectId, whatsapp_config_id, id, request.body.whatsapp_webhook);
    if (!webhook) throw notFound('WhatsApp webhook');
    return { data: webhook };
  });

  r.delete('/whatsapp_configs/:whatsapp_config_id/whatsapp_webhooks/:id', {
    operationId: 'deletePlatformWhatsappWebhook', summary: 'Delete WhatsApp webhook',
    description: 'Its pending deliveries are cancelled (failed); its delivery history stays in /__admin/webhook_deliveries.',
    params: WebhookParams,
  }, async (request) => {
    const { whatsapp_config_id, id } = request.params;
    requireConfig(request.projectId, whatsapp_config_id);
    if (!webhooks.delete(request.projectId, whatsapp_config_id, id)) throw notFound('WhatsApp webhook');
  });
};
