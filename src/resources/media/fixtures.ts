import { fixturePart } from '../../lib/resource.js';
import type { MediaRepository } from './repository.js';
import { MediaFixture } from './schemas.js';

/** `projects[].media[]`: files on a phone number, bytes in base64. */
export const mediaFixtures = fixturePart({
  key: 'media',
  schema: MediaFixture,
  insert: (repo: MediaRepository, m, { projectId }) =>
    repo.insert(projectId, {
      id: m.id, media_id: m.media_id, whatsapp_config_id: m.whatsapp_config_id, mime_type: m.mime_type, filename: m.filename ?? null,
      bytes: Buffer.from(m.content_base64, 'base64'), created_at: m.created_at, updated_at: m.updated_at,
    }),
});
