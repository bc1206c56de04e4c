import { defineResource } from '../../lib/resource.js';
import { whatsappConversationFixtures } from './fixtures.js';
import { createWhatsappConversationRepository, type WhatsappConversationRepository } from './repository.js';
import { whatsappConversationRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    whatsappConversations: WhatsappConversationRepository;
  }
}

export const whatsappConversations = defineResource({
  name: 'whatsappConversations',
  repository: createWhatsappConversationRepository,
  routes: whatsappConversationRoutes,
  fixtures: whatsappConversationFixtures,
});
