import { z } from 'zod';
import { FixtureTime } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import { configRecord, DEFAULT_PLATFORM, type WhatsappConfigRepository } from './repository.js';
import { WhatsappConfig } from './schemas.js';

const bit = (value: boolean | undefined, fallback: 0 | 1): 0 | 1 => (value === undefined ? fallback : value ? 1 : 0);

/**
 * `customers[].whatsapp_configs[]`: a customer's configs in the API's shape, plus the write-only
 * access_token (display_name is derived, customer_id is the parent's) and the later revision's
 * fields the project-wide list shows (defaults: production, inbound processing on, calls off).
 */
export const whatsappConfigFixtures = fixturePart({
  key: 'whatsapp_configs',
  parent: 'customers',
  schema: WhatsappConfig.omit({ display_name: true, customer_id: true }).extend({
    access_token: z.string().optional(),
    kind: z.enum(['production', 'sandbox']).optional(),
    display_phone_number: z.string().optional(),
    is_coexistence: z.boolean().optional(),
    webhook_verified_at: FixtureTime.optional(),
    inbound_processing_enabled: z.boolean().optional(),
    calls_enabled: z.boolean().optional(),
  }),
  insert: (repo: WhatsappConfigRepository, w, { projectId, parent }) =>
    repo.insert(projectId, configRecord({ ...w, customer_id: parent.id }), {
      kind: w.kind ?? DEFAULT_PLATFORM.kind,
      display_phone_number: w.display_phone_number ?? null,
      is_coexistence: bit(w.is_coexistence, DEFAULT_PLATFORM.is_coexistence),
      webhook_verified_at: w.webhook_verified_at ?? null,
      inbound_processing_enabled: bit(w.inbound_processing_enabled, DEFAULT_PLATFORM.inbound_processing_enabled),
      calls_enabled: bit(w.calls_enabled, DEFAULT_PLATFORM.calls_enabled),
    }),
});
