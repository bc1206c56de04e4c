import { defineResource } from '../../lib/resource.js';
import { projectUserFixtures } from './fixtures.js';
import { createProjectUserRepository, type ProjectUserRepository } from './repository.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    projectUsers: ProjectUserRepository;
  }
}

/** No /api/v1 routes: the spec has no users endpoint (docs/families/conversation-assignments.md). */
export const projectUsers = defineResource({
  name: 'projectUsers',
  repository: createProjectUserRepository,
  fixtures: projectUserFixtures,
});
