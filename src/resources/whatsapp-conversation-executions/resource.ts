import { defineResource } from '../../lib/resource.js';
import { conversationExecutionFixtures } from './fixtures.js';
import { createConversationExecutionRepository, type ConversationExecutionRepository } from './repository.js';
import { conversationExecutionRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    conversationExecutions: ConversationExecutionRepository;
  }
}

export const conversationExecutions = defineResource({
  name: 'conversationExecutions',
  repository: createConversationExecutionRepository,
  routes: conversationExecutionRoutes,
  fixtures: conversationExecutionFixtures,
});
