import { defineResource } from '../../lib/resource.js';
import { whatsappWebhookFixtures } from './fixtures.js';
import { createWhatsappWebhookRepository, type WhatsappWebhookRepository } from './repository.js';
import { whatsappWebhookRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    whatsappWebhooks: WhatsappWebhookRepository;
  }
}

export const whatsappWebhooks = defineResource({
  name: 'whatsappWebhooks',
  repository: createWhatsappWebhookRepository,
  routes: whatsappWebhookRoutes,
  fixtures: whatsappWebhookFixtures,
});
