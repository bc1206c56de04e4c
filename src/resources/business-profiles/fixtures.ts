import { fixturePart } from '../../lib/resource.js';
import type { BusinessProfileRepository } from './repository.js';
import { BusinessProfileFixture } from './schemas.js';

/** `projects[].business_profiles[]`: what WhatsApp users see on a number's profile. */
export const businessProfileFixtures = fixturePart({
  key: 'business_profiles',
  schema: BusinessProfileFixture,
  insert: (repo: BusinessProfileRepository, { id, created_at, updated_at, whatsapp_config_id, ...profile }, { projectId }) =>
    repo.insert(projectId, whatsapp_config_id, profile, { id, created_at, updated_at }),
});
