import type { FamilyTable } from '../helpers/operations.js';

export const whatsappConfigOperations: FamilyTable = {
  kinds: { whatsappConfigs: { table: 'whatsapp_configs', notFound: 'WhatsApp configuration not found' } },
  params: { config_id: 'whatsappConfigs', whatsapp_config_id: 'whatsappConfigs' },
  operations: {
    createCustomerWhatsappConfig: {
      probe: {
        whatsapp_config: {
          name: 'Probe', phone_number_id: '19990001111', business_account_id: '1999', webhook_verify_token: 'probe', access_token: 'EAAGprobe',
        },
      },
      readBack: '/api/v1/whatsapp_configs/{id}',
    },
    updateWhatsappConfig: { probe: { whatsapp_config: { name: 'Hijacked', access_token: 'EAAGhijacked' } } },
  },
};
