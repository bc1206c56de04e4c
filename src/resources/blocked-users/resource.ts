// Users a phone number blocked (Meta proxy only).
import { defineResource } from '../../lib/resource.js';
import { blockedUserFixtures } from './fixtures.js';
import { createBlockedUserRepository, type BlockedUserRepository } from './repository.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    blockedUsers: BlockedUserRepository;
  }
}

export const blockedUsers = defineResource({ name: 'blockedUsers', repository: createBlockedUserRepository, fixtures: blockedUserFixtures });
