import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, unprocessable } from '../../errors.js';
import { routes } from '../../lib/route.js';
import type { LinkLookup } from './repository.js';
import { LinkCreateBody, LinkListResponse, LinkParams, LinkResponse, LinksParams, LinkUpdateBody } from './schemas.js';

export const agentWhatsappConfigRoutes: FastifyPluginAsyncZod = async (app) => {
  const { agents, whatsappConfigs, agentWhatsappConfigs: links } = app.repos;
  const r = routes(app, ['Agent WhatsApp Configs']);

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

  r.get('/agents/:agent_id/agent_whatsapp_configs', {
    operationId: 'listAgentWhatsappConfigs', summary: 'List agent WhatsApp configurations',
    params: LinksParams, response: LinkListResponse,
  }, async (request) => {
    requireAgent(request.projectId, request.params.agent_id);
    return { data: links.list(request.projectId, request.params.agent_id) };
  });

  r.post('/agents/:agent_id/agent_whatsapp_configs', {
    operationId: 'createAgentWhatsappConfig', summary: 'Create agent WhatsApp configuration',
    description: 'Links a WhatsApp config of the project to the agent. is_primary: true makes it the only primary link.',
    params: LinksParams, body: LinkCreateBody, response: LinkResponse,
  }, async (request) => {
    const { agent_id } = request.params;
    const { whatsapp_config_id, is_primary = false } = request.body.agent_whatsapp_config;
    requireAgent(request.projectId, agent_id);
    if (!whatsappConfigs.exists(request.projectId, whatsapp_config_id)) throw unprocessable('Whatsapp config must exist');
    return { data: links.create(request.projectId, agent_id, whatsapp_config_id, is_primary) };
  });

  r.get('/agents/:agent_id/agent_whatsapp_configs/:id', {
    operationId: 'getAgentWhatsappConfig', summary: 'Get agent WhatsApp configuration',
    params: LinkParams, response: LinkResponse,
  }, async (request) => ({ data: linkOf(links.find(request.projectId, request.params.agent_id, request.params.id)) }));

  r.update('/agents/:agent_id/agent_whatsapp_configs/:id', {
    method: 'PUT', operationId: 'updateAgentWhatsappConfig', summary: 'Update agent WhatsApp configuration',
    description: 'is_primary: true makes this link the agent\'s only primary (the others are demoted in the same transaction); '
      + 'false leaves the agent without a primary. An empty agent_whatsapp_config changes nothing.',
    params: LinkParams, body: LinkUpdateBody, response: LinkResponse,
  }, async (request) => {
    const { agent_id, id } = request.params;
    return { data: linkOf(links.update(request.projectId, agent_id, id, request.body.agent_whatsapp_config.is_primary)) };
  });

  r.delete('/agents/:agent_id/agent_whatsapp_configs/:id', {
    operationId: 'deleteAgentWhatsappConfig', summary: 'Delete agent WhatsApp configuration',
    description: 'Deleting the primary link promotes no other link.',
    params: LinkParams,
  }, async (request) => {
    requireAgent(request.projectId, request.params.agent_id);
    if (!links.delete(request.projectId, request.params.agent_id, request.params.id)) throw notFound('Agent WhatsApp configuration');
  });
};
