import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, unprocessable } from '../../errors.js';
import { errors, NoContent } from '../../lib/schemas.js';
import type { LinkLookup } from './repository.js';
import { LinkCreateBody, LinkListResponse, LinkParams, LinkResponse, LinksParams, LinkUpdateBody } from './schemas.js';

const tags = ['Agent WhatsApp Configs'];

export const agentWhatsappConfigRoutes: FastifyPluginAsyncZod = async (app) => {
  const { agents, whatsappConfigs, agentWhatsappConfigs: links } = app.repos;

  /** Every operation here first finds the agent in the caller's project. */
  const requireAgent = (projectId: string, agentId: string) => {
    if (!agents.exists(projectId, agentId)) throw notFound('Agent');
  };
  /** The link of a lookup, or the 404 for whichever of agent and link is missing. */
  const linkOf = (found: LinkLookup) => {
    if (!found.agent) throw notFound('Agent');
    if (!found.link) throw notFound('Agent WhatsApp configuration');
    return found.link;
  };

  app.get('/agents/:agent_id/agent_whatsapp_configs', {
    config: { cacheable: true },
    schema: {
      operationId: 'listAgentWhatsappConfigs', tags, summary: 'List agent WhatsApp configurations',
      params: LinksParams,
      response: { 200: LinkListResponse, ...errors(401, 404) },
    },
  }, async (request) => {
    requireAgent(request.projectId, request.params.agent_id);
    return { data: links.list(request.projectId, request.params.agent_id) };
  });

  app.post('/agents/:agent_id/agent_whatsapp_configs', {
    schema: {
      operationId: 'createAgentWhatsappConfig', tags, summary: 'Create agent WhatsApp configuration',
      description: 'Links a WhatsApp config of the project to the agent. is_primary: true makes it the only primary link.',
      params: LinksParams,
      body: LinkCreateBody,
      response: { 201: LinkResponse, ...errors(400, 401, 404, 422) },
    },
  }, async (request, reply) => {
    const { agent_id } = request.params;
    const { whatsapp_config_id, is_primary = false } = request.body.agent_whatsapp_config;
    requireAgent(request.projectId, agent_id);
    if (!whatsappConfigs.exists(request.projectId, whatsapp_config_id)) throw unprocessable('Whatsapp config must exist');
    return reply.code(201).send({ data: links.create(request.projectId, agent_id, whatsapp_config_id, is_primary) });
  });

  app.get('/agents/:agent_id/agent_whatsapp_configs/:id', {
    config: { cacheable: true },
    schema: {
      operationId: 'getAgentWhatsappConfig', tags, summary: 'Get agent WhatsApp configuration',
      params: LinkParams,
      response: { 200: LinkResponse, ...errors(401, 404) },
    },
  }, async (request) => ({ data: linkOf(links.find(request.projectId, request.params.agent_id, request.params.id)) }));

  // The spec names PUT; Rails routes PATCH to the same action, so both work (PATCH is left out of the document).
  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/agents/:agent_id/agent_whatsapp_configs/:id',
      schema: {
        operationId: 'updateAgentWhatsappConfig', tags, summary: 'Update agent WhatsApp configuration', hide: method === 'PATCH',
        description: 'is_primary: true makes this link the agent\'s only primary (the others are demoted in the same transaction); '
          + 'false leaves the agent without a primary. An empty agent_whatsapp_config changes nothing.',
        params: LinkParams,
        body: LinkUpdateBody,
        response: { 200: LinkResponse, ...errors(400, 401, 404, 422) },
      },
      handler: async (request) => {
        const { agent_id, id } = request.params;
        return { data: linkOf(links.update(request.projectId, agent_id, id, request.body.agent_whatsapp_config.is_primary)) };
      },
    });
  }

  app.delete('/agents/:agent_id/agent_whatsapp_configs/:id', {
    schema: {
      operationId: 'deleteAgentWhatsappConfig', tags, summary: 'Delete agent WhatsApp configuration',
      description: 'Deleting the primary link promotes no other link.',
      params: LinkParams,
      response: { 204: NoContent, ...errors(401, 404) },
    },
  }, async (request, reply) => {
    requireAgent(request.projectId, request.params.agent_id);
    if (!links.delete(request.projectId, request.params.agent_id, request.params.id)) throw notFound('Agent WhatsApp configuration');
    return reply.code(204).send(null);
  });
};
