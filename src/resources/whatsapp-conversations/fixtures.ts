import { z } from 'zod';
import { before, FixtureAgo, FixtureId } from '../../db/fixtures.js';
import { normalizePhone } from '../../lib/phone.js';
import { fixturePart } from '../../lib/resource.js';
import { JsonObject } from '../../lib/schemas.js';
import type { WhatsappConversationRepository } from './repository.js';
import { CONVERSATION_STATUSES } from './schemas.js';

/**
 * `projects[].whatsapp_conversations[]`: a number on one of the project's configs, with its
 * `messages` nested. `ago` (20m, 3h, 2d) places it relative to the moment the fixtures load,
 * instead of created_at. last_active_at follows its messages.
 */
export const whatsappConversationFixtures = fixturePart({
  key: 'whatsapp_conversations',
  schema: z.object({
    whatsapp_config_id: FixtureId,
    phone_number: z.string().refine((s) => normalizePhone(s) !== undefined, 'must be a phone number (7 to 15 digits)'),
    status: z.enum(CONVERSATION_STATUSES).default('active'),
    ago: FixtureAgo.optional(),
    metadata: JsonObject.default({}),
  }),
  insert: (repo: WhatsappConversationRepository, c, { projectId, now }) => {
    const created_at = c.ago === undefined ? c.created_at : before(now, c.ago);
    const updated_at = c.ago === undefined ? c.updated_at : created_at;
    repo.insert(projectId, {
      id: c.id, whatsapp_config_id: c.whatsapp_config_id, phone_number: normalizePhone(c.phone_number)!, status: c.status,
      last_active_at: created_at, last_inbound_at: null, last_outbound_at: null, ended_at: c.status === 'ended' ? updated_at : null,
      metadata: c.metadata, created_at, updated_at,
    });
  },
});
