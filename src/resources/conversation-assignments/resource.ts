import { defineResource } from '../../lib/resource.js';
import { conversationAssignmentFixtures } from './fixtures.js';
import { createConversationAssignmentRepository, type ConversationAssignmentRepository } from './repository.js';
import { conversationAssignmentRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    conversationAssignments: ConversationAssignmentRepository;
  }
}

export const conversationAssignments = defineResource({
  name: 'conversationAssignments',
  repository: createConversationAssignmentRepository,
  routes: conversationAssignmentRoutes,
  fixtures: conversationAssignmentFixtures,
});
