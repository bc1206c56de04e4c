import { fixturePart } from '../../lib/resource.js';
import { waDigits } from '../blocked-users/schemas.js';
import type { CallRepository } from './repository.js';
import { CallFixture } from './schemas.js';

/** `projects[].calls[]`: calls on a phone number, as the calls list shows them. */
export const callFixtures = fixturePart({
  key: 'calls',
  schema: CallFixture,
  insert: (repo: CallRepository, c, { projectId }) => {
    const duration = c.session_started_at && c.ended_at ? Math.round((Date.parse(c.ended_at) - Date.parse(c.session_started_at)) / 1000) : null;
    repo.insert(projectId, {
      id: c.id, whatsapp_config_id: c.whatsapp_config_id, call_id: c.call_id, direction: c.direction, status: c.status,
      user_wa_id: waDigits(c.user_wa_id), pre_accepted: 0, biz_opaque_callback_data: c.biz_opaque_callback_data ?? null,
      started_at: c.started_at ?? null, session_started_at: c.session_started_at ?? null, ended_at: c.ended_at ?? null,
      duration_seconds: duration, created_at: c.created_at, updated_at: c.updated_at,
    });
  },
});
