import { defineResource } from '../../lib/resource.js';
import { whatsappContactNoteFixtures } from './fixtures.js';
import { createWhatsappContactNoteRepository, type WhatsappContactNoteRepository } from './repository.js';
import { whatsappContactNoteRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    whatsappContactNotes: WhatsappContactNoteRepository;
  }
}

export const whatsappContactNotes = defineResource({
  name: 'whatsappContactNotes',
  repository: createWhatsappContactNoteRepository,
  routes: whatsappContactNoteRoutes,
  fixtures: whatsappContactNoteFixtures,
});
