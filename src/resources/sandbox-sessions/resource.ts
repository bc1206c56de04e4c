import { defineResource } from '../../lib/resource.js';
import { sandboxSessionFixtures } from './fixtures.js';
import { createSandboxSessionRepository, type SandboxSessionRepository } from './repository.js';
import { sandboxSessionRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    sandboxSessions: SandboxSessionRepository;
  }
}

export const sandboxSessions = defineResource({
  name: 'sandboxSessions',
  repository: createSandboxSessionRepository,
  routes: sandboxSessionRoutes,
  fixtures: sandboxSessionFixtures,
});
