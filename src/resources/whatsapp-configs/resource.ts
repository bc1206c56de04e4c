import { defineResource } from '../../lib/resource.js';
import { whatsappConfigFixtures } from './fixtures.js';
import { createWhatsappConfigRepository, type WhatsappConfigRepository } from './repository.js';
import { whatsappConfigRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    whatsappConfigs: WhatsappConfigRepository;
  }
}

export const whatsappConfigs = defineResource({
  name: 'whatsappConfigs',
  repository: createWhatsappConfigRepository,
  routes: whatsappConfigRoutes,
  fixtures: whatsappConfigFixtures,
});
