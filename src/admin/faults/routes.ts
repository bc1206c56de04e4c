// /__admin/faults: rules that make /api/v1 requests fail, slow down or drop.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, validationFailed } from '../../errors.js';
import { errors, NoContent } from '../../lib/schemas.js';
import { adminTags as tags } from '../schemas.js';
import { FaultBody, FaultListResponse, FaultParams, FaultResponse } from './schemas.js';

export const faultRoutes: FastifyPluginAsyncZod = async (app) => {
  const { faults, clock } = app;

  app.post('/faults', {
    schema: {
      operationId: 'adminAddFault', tags, summary: 'Add a fault rule',
      description: 'The first rule (in the order added) that matches a request and fires decides it. '
        + 'A rule answers a status, adds latency (then answers normally, or with its status), or drops the connection. '
        + 'For a one-off, send the header X-Kapso-Mock-Status: <status> with the request instead.',
      body: FaultBody,
      response: { 201: FaultResponse, ...errors(400, 401, 422) },
    },
  }, async (request, reply) => {
    const rule = request.body;
    if (rule.status === undefined && rule.latency_ms === undefined && !rule.drop) {
      throw validationFailed('a fault needs status, latency_ms or drop');
    }
    if (typeof rule.latency_ms === 'object' && rule.latency_ms.min > rule.latency_ms.max) {
      throw validationFailed('latency_ms.min must be at most latency_ms.max');
    }
    return reply.code(201).send({ data: faults.add(rule, clock.iso()) });
  });

  app.get('/faults', {
    schema: {
      operationId: 'adminListFaults', tags, summary: 'List fault rules with their hit counts',
      response: { 200: FaultListResponse, ...errors(401) },
    },
  }, async () => ({ data: faults.list() }));

  app.delete('/faults/:id', {
    schema: {
      operationId: 'adminDeleteFault', tags, summary: 'Remove a fault rule',
      params: FaultParams,
      response: { 204: NoContent, ...errors(401, 404) },
    },
  }, async (request, reply) => {
    if (!faults.remove(request.params.id)) throw notFound('Fault rule');
    return reply.code(204).send(null);
  });

  app.delete('/faults', {
    schema: {
      operationId: 'adminClearFaults', tags, summary: 'Remove every fault rule',
      response: { 204: NoContent, ...errors(401) },
    },
  }, async (_request, reply) => {
    faults.clear();
    return reply.code(204).send(null);
  });
};
