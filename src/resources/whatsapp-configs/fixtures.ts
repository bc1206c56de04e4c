import { z } from 'zod';
import { fixturePart } from '../../lib/resource.js';
import { configRecord, type WhatsappConfigRepository } from './repository.js';
import { WhatsappConfig } from './schemas.js';

/**
 * `customers[].whatsapp_configs[]`: a customer's configs in the API's shape, plus the write-only
 * access_token (display_name is derived, customer_id is the parent's).
 */
export const whatsappConfigFixtures = fixturePart({
  key: 'whatsapp_configs',
  parent: 'customers',
  schema: WhatsappConfig.omit({ display_name: true, customer_id: true }).extend({ access_token: z.string().optional() }),
  insert: (repo: WhatsappConfigRepository, w, { projectId, parent }) => repo.insert(projectId, configRecord({ ...w, customer_id: parent.id })),
});
