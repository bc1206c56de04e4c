import { defineResource } from '../../lib/resource.js';
import { agentExecutionFixtures } from './fixtures.js';
import { createAgentExecutionRepository, type AgentExecutionRepository } from './repository.js';
import { agentExecutionRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    agentExecutions: AgentExecutionRepository;
  }
}

export const agentExecutions = defineResource({
  name: 'agentExecutions',
  repository: createAgentExecutionRepository,
  routes: agentExecutionRoutes,
  fixtures: agentExecutionFixtures,
});
