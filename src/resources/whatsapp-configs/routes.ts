import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { CustomerConfigList, ProjectConfigList } from './repository.js';
import {
  BusinessAccountQuery, ConfigCreateBody, ConfigListResponse, ConfigParams, ConfigResponse, ConfigUpdateBody, CustomerConfigsParams,
  ProjectConfigListResponse,
} from './schemas.js';

export const whatsappConfigRoutes: FastifyPluginAsyncZod = async (app) => {
  const { customers, whatsappConfigs } = app.repos;
  const r = routes(app, ['WhatsApp Configs']);
  const requireCustomer = (projectId: string, customerId: string) => {
    if (!customers.get(projectId, customerId)) throw notFound('Customer');
  };

  r.get('/customers/:customer_id/whatsapp_configs', {
    operationId: 'listCustomerWhatsappConfigs', summary: 'List WhatsApp configs for a customer',
    params: CustomerConfigsParams, query: CustomerConfigList.query, response: ConfigListResponse,
  }, async (request, reply) => {
    requireCustomer(request.projectId, request.params.customer_id);
    return paginate(request, reply, whatsappConfigs.listForCustomer(request.projectId, request.params.customer_id, request.query));
  });

  r.post('/customers/:customer_id/whatsapp_configs', {
    operationId: 'createCustomerWhatsappConfig', summary: 'Create a new WhatsApp config',
    params: CustomerConfigsParams, body: ConfigCreateBody, response: ConfigResponse,
  }, async (request) => {
    requireCustomer(request.projectId, request.params.customer_id);
    return { data: whatsappConfigs.create(request.projectId, request.params.customer_id, request.body.whatsapp_config) };
  });

  // From the API's later revision (openapi-whatsapp.yaml), in its shape: every config of the project.
  r.get('/whatsapp_configs', {
    operationId: 'listWhatsappConfigs', summary: 'List WhatsApp configs',
    description: 'Every WhatsApp configuration of the project, newest first, in the later revision\'s shape '
      + '(webhook_verify_token and webhook_destination_url are left out). business_account_id and '
      + 'q[business_account_id_eq] both narrow the list; given together, both apply.',
    query: ProjectConfigList.query.extend(BusinessAccountQuery), response: ProjectConfigListResponse,
  }, async (request, reply) => {
    const { business_account_id, ...query } = request.query;
    const businessAccount = typeof business_account_id === 'string' ? business_account_id : undefined;
    return paginate(request, reply, whatsappConfigs.listForProject(request.projectId, businessAccount, query));
  });

  r.get('/whatsapp_configs/:config_id', {
    operationId: 'getWhatsappConfig', summary: 'Get WhatsApp config details',
    params: ConfigParams, response: ConfigResponse,
  }, async (request) => {
    const config = whatsappConfigs.get(request.projectId, request.params.config_id);
    if (!config) throw notFound('WhatsApp configuration');
    return { data: config };
  });

  r.update('/whatsapp_configs/:config_id', {
    method: 'PATCH', operationId: 'updateWhatsappConfig', summary: 'Update WhatsApp config',
    params: ConfigParams, body: ConfigUpdateBody, response: ConfigResponse,
  }, async (request) => {
    const config = whatsappConfigs.update(request.projectId, request.params.config_id, request.body.whatsapp_config);
    if (!config) throw notFound('WhatsApp configuration');
    return { data: config };
  });

  r.delete('/whatsapp_configs/:config_id', {
    operationId: 'deleteWhatsappConfig', summary: 'Delete WhatsApp config',
    description: 'Also deletes its agent links; the agents stay.',
    params: ConfigParams,
  }, async (request) => {
    if (!whatsappConfigs.delete(request.projectId, request.params.config_id)) throw notFound('WhatsApp configuration');
  });
};
