// Business usernames of phone numbers (Meta proxy only), unique in a project.
import { defineResource } from '../../lib/resource.js';
import { usernameFixtures } from './fixtures.js';
import { createUsernameRepository, type UsernameRepository } from './repository.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    usernames: UsernameRepository;
  }
}

export const usernames = defineResource({ name: 'usernames', repository: createUsernameRepository, fixtures: usernameFixtures });
