import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';
import { normalizePhone } from '../../lib/phone.js';
import { fixturePart } from '../../lib/resource.js';
import { JsonObject } from '../../lib/schemas.js';
import type { WhatsappContactRepository } from './repository.js';

/** `projects[].whatsapp_contacts[]`: contacts in the API's shape; wa_id in any common spelling. */
export const whatsappContactFixtures = fixturePart({
  key: 'whatsapp_contacts',
  schema: z.object({
    wa_id: z.string().refine((s) => normalizePhone(s) !== undefined, 'must be a phone number (7 to 15 digits)'),
    profile_name: z.string().min(1).optional(),
    customer_id: FixtureId.nullable().default(null),
    metadata: JsonObject.default({}),
  }),
  insert: (repo: WhatsappContactRepository, c, { projectId }) =>
    repo.insert(projectId, {
      id: c.id, wa_id: normalizePhone(c.wa_id)!, profile_name: c.profile_name ?? null, customer_id: c.customer_id, metadata: c.metadata,
      created_at: c.created_at, updated_at: c.updated_at,
    }),
});
