import { defineResource } from '../../lib/resource.js';
import { createProjectRepository, type ProjectRepository } from './repository.js';
import { projectRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    projects: ProjectRepository;
  }
}

/** Projects are the root of the fixtures (db/fixtures.ts), so they bring no fixture part. */
export const projects = defineResource({
  name: 'projects',
  repository: createProjectRepository,
  routes: projectRoutes,
});
