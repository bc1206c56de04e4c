import { fixturePart } from '../../lib/resource.js';
import type { UsernameRepository } from './repository.js';
import { UsernameFixture } from './schemas.js';

/** `projects[].usernames[]`: a phone number's business username. */
export const usernameFixtures = fixturePart({
  key: 'usernames',
  schema: UsernameFixture,
  insert: (repo: UsernameRepository, u, { projectId }) => repo.insert(projectId, u),
});
