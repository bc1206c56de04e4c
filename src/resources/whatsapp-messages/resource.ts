import { defineResource } from '../../lib/resource.js';
import { whatsappMessageFixtures } from './fixtures.js';
import { createWhatsappMessageRepository, type WhatsappMessageRepository } from './repository.js';
import { whatsappMessageRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    whatsappMessages: WhatsappMessageRepository;
  }
}

export const whatsappMessages = defineResource({
  name: 'whatsappMessages',
  repository: createWhatsappMessageRepository,
  routes: whatsappMessageRoutes,
  fixtures: whatsappMessageFixtures,
});
