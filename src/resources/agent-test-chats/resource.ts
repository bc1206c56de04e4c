import { defineResource } from '../../lib/resource.js';
import { testChatFixtures } from './fixtures.js';
import { createAgentTestChatRepository, type AgentTestChatRepository } from './repository.js';
import { agentTestChatRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    agentTestChats: AgentTestChatRepository;
  }
}

export const agentTestChats = defineResource({
  name: 'agentTestChats',
  repository: createAgentTestChatRepository,
  routes: agentTestChatRoutes,
  fixtures: testChatFixtures,
});
