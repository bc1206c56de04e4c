import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { pageMeta, pageRequest } from '../../lib/pagination.js';
import { errors, NoContent } from '../../lib/schemas.js';
import {
  ConfigCreateBody, ConfigListQuery, ConfigListResponse, ConfigParams, ConfigResponse, ConfigUpdateBody, CustomerConfigsParams,
} from './schemas.js';

const tags = ['WhatsApp Configs'];

export const whatsappConfigRoutes: FastifyPluginAsyncZod = async (app) => {
  const { customers, whatsappConfigs } = app.repos;

  app.get('/customers/:customer_id/whatsapp_configs', {
    config: { cacheable: true },
    schema: {
      operationId: 'listCustomerWhatsappConfigs', tags, summary: 'List WhatsApp configs for a customer',
      params: CustomerConfigsParams,
      querystring: ConfigListQuery,
      response: { 200: ConfigListResponse, ...errors(401, 404) },
    },
  }, async (request) => {
    if (!customers.get(request.projectId, request.params.customer_id)) throw notFound('Customer');
    const page = pageRequest(request.query);
    const { rows, total } = whatsappConfigs.listForCustomer(request.projectId, request.params.customer_id, page);
    return { data: rows, meta: pageMeta(page, total) };
  });

  app.post('/customers/:customer_id/whatsapp_configs', {
    schema: {
      operationId: 'createCustomerWhatsappConfig', tags, summary: 'Create a new WhatsApp config',
      params: CustomerConfigsParams,
      body: ConfigCreateBody,
      response: { 201: ConfigResponse, ...errors(400, 401, 404, 422) },
    },
  }, async (request, reply) => {
    if (!customers.get(request.projectId, request.params.customer_id)) throw notFound('Customer');
    const config = whatsappConfigs.create(request.projectId, request.params.customer_id, request.body.whatsapp_config);
    return reply.code(201).send({ data: config });
  });

  app.get('/whatsapp_configs/:config_id', {
    config: { cacheable: true },
    schema: {
      operationId: 'getWhatsappConfig', tags, summary: 'Get WhatsApp config details',
      params: ConfigParams,
      response: { 200: ConfigResponse, ...errors(401, 404) },
    },
  }, async (request) => {
    const config = whatsappConfigs.get(request.projectId, request.params.config_id);
    if (!config) throw notFound('WhatsApp configuration');
    return { data: config };
  });

  // The spec names PATCH; Rails routes PUT to the same action, so both work (PUT is left out of the document).
  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: '/whatsapp_configs/:config_id',
      schema: {
        operationId: 'updateWhatsappConfig', tags, summary: 'Update WhatsApp config', hide: method === 'PUT',
        params: ConfigParams,
        body: ConfigUpdateBody,
        response: { 200: ConfigResponse, ...errors(400, 401, 404, 422) },
      },
      handler: async (request) => {
        const config = whatsappConfigs.update(request.projectId, request.params.config_id, request.body.whatsapp_config);
        if (!config) throw notFound('WhatsApp configuration');
        return { data: config };
      },
    });
  }

  app.delete('/whatsapp_configs/:config_id', {
    schema: {
      operationId: 'deleteWhatsappConfig', tags, summary: 'Delete WhatsApp config',
      description: 'Also deletes its agent links; the agents stay.',
      params: ConfigParams,
      response: { 204: NoContent, ...errors(401, 404) },
    },
  }, async (request, reply) => {
    if (!whatsappConfigs.delete(request.projectId, request.params.config_id)) throw notFound('WhatsApp configuration');
    return reply.code(204).send(null);
  });
};
