import { defineResource } from '../../lib/resource.js';
import { whatsappContactFixtures } from './fixtures.js';
import { createWhatsappContactRepository, type WhatsappContactRepository } from './repository.js';
import { whatsappContactRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    whatsappContacts: WhatsappContactRepository;
  }
}

export const whatsappContacts = defineResource({
  name: 'whatsappContacts',
  repository: createWhatsappContactRepository,
  routes: whatsappContactRoutes,
  fixtures: whatsappContactFixtures,
});
