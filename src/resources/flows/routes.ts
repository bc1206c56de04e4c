import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { FlowList } from './repository.js';
import { FlowListResponse, FlowParams, FlowResponse } from './schemas.js';

export const flowRoutes: FastifyPluginAsyncZod = async (app) => {
  const { flows } = app.repos;
  const r = routes(app, ['Flows']);

  r.get('/flows', {
    operationId: 'listFlows', summary: 'List all flows',
    description: 'Every flow of the project, newest first. Flows come from the fixtures: this revision of the API cannot create them.',
    query: FlowList.query, response: FlowListResponse,
  }, async (request) => ({ data: flows.list(request.projectId, request.query) }));

  r.get('/flows/:flow_id', {
    operationId: 'getFlow', summary: 'Get flow details',
    params: FlowParams, response: FlowResponse,
  }, async (request) => {
    const flow = flows.get(request.projectId, request.params.flow_id);
    if (!flow) throw notFound('Flow');
    return { data: flow };
  });
};
