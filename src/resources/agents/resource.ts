import { defineResource } from '../../lib/resource.js';
import { agentFixtures } from './fixtures.js';
import { createAgentRepository, type AgentRepository } from './repository.js';
import { agentRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    agents: AgentRepository;
  }
}

export const agents = defineResource({
  name: 'agents',
  repository: createAgentRepository,
  routes: agentRoutes,
  fixtures: agentFixtures,
});
