import { FixtureId } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import type { WhatsappWebhookRepository } from './repository.js';
import { WebhookCreateBody } from './schemas.js';

/**
 * `projects[].whatsapp_webhooks[]`: a config's webhooks in the API's shape, with the config they
 * belong to (whatsapp_config_id). The same validation and defaults as a create.
 */
export const whatsappWebhookFixtures = fixturePart({
  key: 'whatsapp_webhooks',
  schema: WebhookCreateBody.shape.whatsapp_webhook.extend({ whatsapp_config_id: FixtureId }),
  insert: (repo: WhatsappWebhookRepository, w, { projectId }) =>
    repo.insert(projectId, { ...w, headers: w.headers ?? null }),
});
