import type { FamilyTable } from '../helpers/operations.js';

// Probe URLs point at the discard port of the loopback: an active probe webhook that a later
// request of the same test fires is refused at once, and never leaves the machine.
export const whatsappWebhookOperations: FamilyTable = {
  kinds: {
    whatsappWebhooks: {
      table: 'whatsapp_webhooks', notFound: 'WhatsApp webhook not found', parent: { kind: 'whatsappConfigs', column: 'whatsapp_config_id' },
    },
  },
  operations: {
    createPlatformWhatsappWebhook: {
      probe: { whatsapp_webhook: { url: 'http://127.0.0.1:9/tenancy-probe', secret_key: 'probe-secret', events: ['whatsapp.message.received'] } },
    },
    getPlatformWhatsappWebhook: { params: { id: 'whatsappWebhooks' } },
    updatePlatformWhatsappWebhook: { params: { id: 'whatsappWebhooks' }, probe: { whatsapp_webhook: { url: 'http://127.0.0.1:9/hijacked', active: true } } },
    deletePlatformWhatsappWebhook: { params: { id: 'whatsappWebhooks' } },
  },
};
