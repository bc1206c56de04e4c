import { fixturePart } from '../../lib/resource.js';
import type { BlockedUserRepository } from './repository.js';
import { BlockedUserFixture, waDigits } from './schemas.js';

/** `projects[].blocked_users[]`: users a phone number blocked. */
export const blockedUserFixtures = fixturePart({
  key: 'blocked_users',
  schema: BlockedUserFixture,
  insert: (repo: BlockedUserRepository, b, { projectId }) =>
    repo.insert(projectId, b.id, b.whatsapp_config_id, waDigits(b.user), b.created_at, b.updated_at),
});
