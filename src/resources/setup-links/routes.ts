import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { SetupLinkList } from './repository.js';
import { SetupLinkListResponse, SetupLinkResponse, SetupLinksParams } from './schemas.js';

export const setupLinkRoutes: FastifyPluginAsyncZod = async (app) => {
  const { customers, setupLinks } = app.repos;
  const r = routes(app, ['Setup Links']);
  const requireCustomer = (projectId: string, customerId: string) => {
    if (!customers.get(projectId, customerId)) throw notFound('Customer');
  };

  r.get('/customers/:customer_id/setup_links', {
    operationId: 'listCustomerSetupLinks', summary: 'List setup links for a customer',
    description: 'Newest first. A link reads expired from 30 days after its creation (by the mock\'s clock).',
    params: SetupLinksParams, query: SetupLinkList.query, response: SetupLinkListResponse,
    // The status of an active link turns to expired as time passes.
    cache: false,
  }, async (request, reply) => {
    requireCustomer(request.projectId, request.params.customer_id);
    return paginate(request, reply, setupLinks.list(request.projectId, request.params.customer_id, request.query));
  });

  r.post('/customers/:customer_id/setup_links', {
    operationId: 'createCustomerSetupLink', summary: 'Create a new setup link',
    description: 'Creates an active link that expires in 30 days and revokes the customer\'s other active links. Takes no body.',
    params: SetupLinksParams, response: SetupLinkResponse,
  }, async (request) => {
    requireCustomer(request.projectId, request.params.customer_id);
    return { data: setupLinks.create(request.projectId, request.params.customer_id) };
  });
};
