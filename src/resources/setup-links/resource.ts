import { defineResource } from '../../lib/resource.js';
import { setupLinkFixtures } from './fixtures.js';
import { createSetupLinkRepository, type SetupLinkRepository } from './repository.js';
import { setupLinkRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    setupLinks: SetupLinkRepository;
  }
}

export const setupLinks = defineResource({
  name: 'setupLinks',
  repository: createSetupLinkRepository,
  routes: setupLinkRoutes,
  fixtures: setupLinkFixtures,
});
