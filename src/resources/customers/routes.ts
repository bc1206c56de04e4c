import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { CustomerList } from './repository.js';
import { CustomerCreateBody, CustomerListResponse, CustomerParams, CustomerResponse, CustomerUpdateBody } from './schemas.js';

export const customerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { customers } = app.repos;
  const r = routes(app, ['Customers']);

  r.get('/customers', {
    operationId: 'listCustomers', summary: 'List customers',
    query: CustomerList.query, response: CustomerListResponse,
  }, async (request, reply) => paginate(request, reply, customers.list(request.projectId, request.query)));

  r.post('/customers', {
    operationId: 'createCustomer', summary: 'Create a new customer',
    body: CustomerCreateBody, response: CustomerResponse,
  }, async (request) => ({ data: customers.create(request.projectId, request.body.customer) }));

  r.get('/customers/:customer_id', {
    operationId: 'getCustomer', summary: 'Get customer details',
    params: CustomerParams, response: CustomerResponse,
  }, async (request) => {
    const customer = customers.get(request.projectId, request.params.customer_id);
    if (!customer) throw notFound('Customer');
    return { data: customer };
  });

  r.update('/customers/:customer_id', {
    method: 'PATCH', operationId: 'updateCustomer', summary: 'Update customer',
    params: CustomerParams, body: CustomerUpdateBody, response: CustomerResponse,
  }, async (request) => {
    const customer = customers.update(request.projectId, request.params.customer_id, request.body.customer);
    if (!customer) throw notFound('Customer');
    return { data: customer };
  });

  r.delete('/customers/:customer_id', {
    operationId: 'deleteCustomer', summary: 'Delete customer',
    description: 'Also deletes its WhatsApp configs and their agent links.',
    params: CustomerParams,
  }, async (request) => {
    if (!customers.delete(request.projectId, request.params.customer_id)) throw notFound('Customer');
  });
};
