import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { AgentCreateBody, AgentListResponse, AgentParams, AgentResponse, AgentUpdateBody, AgentWithGraphResponse } from './schemas.js';

export const agentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { agents } = app.repos;
  const r = routes(app, ['Agents']);

  r.get('/agents', {
    operationId: 'listAgents', summary: 'List all agents',
    response: AgentListResponse,
  }, async (request) => ({ data: agents.list(request.projectId) }));

  r.post('/agents', {
    operationId: 'createAgent', summary: 'Create a new agent',
    description: 'Creates a new agent with a default graph (one start node).',
    body: AgentCreateBody, response: AgentResponse,
  }, async (request) => ({ data: agents.create(request.projectId, request.body.agent) }));

  r.get('/agents/:agent_id', {
    operationId: 'getAgent', summary: 'Get agent details',
    params: AgentParams, response: AgentResponse,
  }, async (request) => {
    const agent = agents.get(request.projectId, request.params.agent_id);
    if (!agent) throw notFound('Agent');
    return { data: agent };
  });

  r.get('/agents/:agent_id/graph', {
    operationId: 'getAgentWithGraph', summary: 'Get agent with graph',
    description: 'Returns agent details including the langgraph definition: the graph as the last update wrote it '
      + '(a new agent has one start node), and the system prompt when it has one.',
    params: AgentParams, response: AgentWithGraphResponse,
  }, async (request) => {
    const agent = agents.withGraph(request.projectId, request.params.agent_id);
    if (!agent) throw notFound('Agent');
    return { data: agent };
  });

  r.update('/agents/:agent_id', {
    method: 'PATCH', operationId: 'updateAgent', summary: 'Update an agent',
    description: 'Changes the name, the system prompt and the graph (a graph replaces the whole graph; its nodes, edges and '
      + 'their references are validated: docs/families/agents.md).',
    params: AgentParams, body: AgentUpdateBody, response: AgentResponse,
  }, async (request) => {
    const agent = agents.update(request.projectId, request.params.agent_id, request.body.agent);
    if (!agent) throw notFound('Agent');
    return { data: agent };
  });
};
