import { fixturePart } from '../../lib/resource.js';
import type { CallPermissionRepository } from './repository.js';
import { CallPermissionFixture } from './schemas.js';

/** `projects[].call_permissions[]`: users who let a number call them, counted from the moment the fixtures load. */
export const callPermissionFixtures = fixturePart({
  key: 'call_permissions',
  schema: CallPermissionFixture,
  insert: (repo: CallPermissionRepository, p, { projectId, now }) =>
    repo.insert(projectId, {
      id: p.id, whatsapp_config_id: p.whatsapp_config_id, user_wa_id: p.user_wa_id,
      expires_at: new Date(Date.parse(now) + p.expires_in_hours * 3600_000).toISOString(), created_at: p.created_at, updated_at: p.updated_at,
    }),
});
