import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { pageMeta, pageRequest } from '../../lib/pagination.js';
import { errors, NoContent } from '../../lib/schemas.js';
import { parseTimeFilter } from '../../lib/time.js';
import {
  CustomerCreateBody, CustomerListQuery, CustomerListResponse, CustomerParams, CustomerResponse, CustomerUpdateBody,
} from './schemas.js';

const tags = ['Customers'];

export const customerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { customers } = app.repos;

  app.get('/customers', {
    config: { cacheable: true },
    schema: {
      operationId: 'listCustomers', tags, summary: 'List customers',
      querystring: CustomerListQuery,
      response: { 200: CustomerListResponse, ...errors(401) },
    },
  }, async (request) => {
    const q = request.query;
    const page = pageRequest(q);
    const { rows, total } = customers.list(request.projectId, {
      nameContains: q['q[name_cont]'],
      externalIdEquals: q['q[external_customer_id_eq]'],
      createdFrom: parseTimeFilter(q['q[created_at_gteq]'], 'start'),
      createdTo: parseTimeFilter(q['q[created_at_lteq]'], 'end'),
    }, page);
    return { data: rows, meta: pageMeta(page, total) };
  });

  app.post('/customers', {
    schema: {
      operationId: 'createCustomer', tags, summary: 'Create a new customer',
      body: CustomerCreateBody,
      response: { 201: CustomerResponse, ...errors(400, 401, 422) },
    },
  }, async (request, reply) => {
    const customer = customers.create(request.projectId, request.body.customer);
    return reply.code(201).send({ data: customer });
  });

  app.get('/customers/:customer_id', {
    config: { cacheable: true },
    schema: {
      operationId: 'getCustomer', tags, summary: 'Get customer details',
      params: CustomerParams,
      response: { 200: CustomerResponse, ...errors(401, 404) },
    },
  }, async (request) => {
    const customer = customers.get(request.projectId, request.params.customer_id);
    if (!customer) throw notFound('Customer');
    return { data: customer };
  });

  // The spec names PATCH; Rails routes PUT to the same action, so both work (PUT is left out of the document).
  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: '/customers/:customer_id',
      schema: {
        operationId: 'updateCustomer', tags, summary: 'Update customer', hide: method === 'PUT',
        params: CustomerParams,
        body: CustomerUpdateBody,
        response: { 200: CustomerResponse, ...errors(400, 401, 404, 422) },
      },
      handler: async (request) => {
        const customer = customers.update(request.projectId, request.params.customer_id, request.body.customer);
        if (!customer) throw notFound('Customer');
        return { data: customer };
      },
    });
  }

  app.delete('/customers/:customer_id', {
    schema: {
      operationId: 'deleteCustomer', tags, summary: 'Delete customer',
      description: 'Also deletes its WhatsApp configs and their agent links.',
      params: CustomerParams,
      response: { 204: NoContent, ...errors(401, 404) },
    },
  }, async (request, reply) => {
    if (!customers.delete(request.projectId, request.params.customer_id)) throw notFound('Customer');
    return reply.code(204).send(null);
  });
};
