// /__admin/faults: rules that make /api/v1 or Meta proxy requests fail, slow down or drop.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, validationFailed } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { adminTags } from '../schemas.js';
import { FaultBody, FaultListResponse, FaultParams, FaultResponse } from './schemas.js';

export const faultRoutes: FastifyPluginAsyncZod = async (app) => {
  const { faults, clock } = app;
  const r = routes(app, adminTags);

  r.post('/faults', {
    operationId: 'adminAddFault', summary: 'Add a fault rule',
    description: 'The first rule (in the order added) that matches a request and fires decides it. '
      + 'A rule answers a status, adds latency (then answers normally, or with its status), or drops the connection. '
      + 'For a one-off, send the header X-Kapso-Mock-Status: <status> with the request instead.',
    body: FaultBody, response: FaultResponse,
  }, async (request) => {
    const rule = request.body;
    if (rule.status === undefined && rule.latency_ms === undefined && !rule.drop) {
      throw validationFailed('a fault needs status, latency_ms or drop');
    }
    if (typeof rule.latency_ms === 'object' && rule.latency_ms.min > rule.latency_ms.max) {
      throw validationFailed('latency_ms.min must be at most latency_ms.max');
    }
    return { data: faults.add(rule, clock.iso()) };
  });

  r.get('/faults', {
    operationId: 'adminListFaults', summary: 'List fault rules with their hit counts', response: FaultListResponse,
  }, async () => ({ data: faults.list() }));

  r.delete('/faults/:id', {
    operationId: 'adminDeleteFault', summary: 'Remove a fault rule', params: FaultParams,
  }, async (request) => {
    if (!faults.remove(request.params.id)) throw notFound('Fault rule');
  });

  r.delete('/faults', {
    operationId: 'adminClearFaults', summary: 'Remove every fault rule', errors: [401],
  }, async () => {
    faults.clear();
  });
};
