import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { errors } from '../../lib/schemas.js';
import { AgentCreateBody, AgentListResponse, AgentParams, AgentResponse, AgentUpdateBody } from './schemas.js';

const tags = ['Agents'];

export const agentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { agents } = app.repos;

  app.get('/agents', {
    config: { cacheable: true },
    schema: {
      operationId: 'listAgents', tags, summary: 'List all agents',
      response: { 200: AgentListResponse, ...errors(401) },
    },
  }, async (request) => ({ data: agents.list(request.projectId) }));

  app.post('/agents', {
    schema: {
      operationId: 'createAgent', tags, summary: 'Create a new agent',
      description: 'Creates a new agent with a default graph (one start node).',
      body: AgentCreateBody,
      response: { 201: AgentResponse, ...errors(400, 401, 422) },
    },
  }, async (request, reply) => reply.code(201).send({ data: agents.create(request.projectId, request.body.agent) }));

  app.get('/agents/:agent_id', {
    config: { cacheable: true },
    schema: {
      operationId: 'getAgent', tags, summary: 'Get agent details',
      params: AgentParams,
      response: { 200: AgentResponse, ...errors(401, 404) },
    },
  }, async (request) => {
    const agent = agents.get(request.projectId, request.params.agent_id);
    if (!agent) throw notFound('Agent');
    return { data: agent };
  });

  // The spec names PATCH; Rails routes PUT to the same action, so both work (PUT is left out of the document).
  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: '/agents/:agent_id',
      schema: {
        operationId: 'updateAgent', tags, summary: 'Update an agent', hide: method === 'PUT',
        params: AgentParams,
        body: AgentUpdateBody,
        response: { 200: AgentResponse, ...errors(400, 401, 404, 422) },
      },
      handler: async (request) => {
        const agent = agents.update(request.projectId, request.params.agent_id, request.body.agent);
        if (!agent) throw notFound('Agent');
        return { data: agent };
      },
    });
  }
};
