import { defineResource } from '../../lib/resource.js';
import { whatsappTemplateFixtures } from './fixtures.js';
import { createWhatsappTemplateRepository, type WhatsappTemplateRepository } from './repository.js';
import { whatsappTemplateRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    whatsappTemplates: WhatsappTemplateRepository;
  }
}

export const whatsappTemplates = defineResource({
  name: 'whatsappTemplates',
  repository: createWhatsappTemplateRepository,
  routes: whatsappTemplateRoutes,
  fixtures: whatsappTemplateFixtures,
});
