import { defineResource } from '../../lib/resource.js';
import { linkFixtures } from './fixtures.js';
import { createAgentWhatsappConfigRepository, type AgentWhatsappConfigRepository } from './repository.js';
import { agentWhatsappConfigRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    agentWhatsappConfigs: AgentWhatsappConfigRepository;
  }
}

export const agentWhatsappConfigs = defineResource({
  name: 'agentWhatsappConfigs',
  repository: createAgentWhatsappConfigRepository,
  routes: agentWhatsappConfigRoutes,
  fixtures: linkFixtures,
});
