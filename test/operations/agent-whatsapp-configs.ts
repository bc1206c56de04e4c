import type { FamilyTable } from '../helpers/operations.js';
import { ids } from '../helpers/app.js';

export const agentWhatsappConfigOperations: FamilyTable = {
  kinds: {
    agentWhatsappConfigs: {
      table: 'agent_whatsapp_configs', notFound: 'Agent WhatsApp configuration not found', parent: { kind: 'agents', column: 'agent_id' },
    },
  },
  operations: {
    createAgentWhatsappConfig: { probe: { agent_whatsapp_config: { whatsapp_config_id: ids.globexOrders, is_primary: true } } },
    getAgentWhatsappConfig: { params: { id: 'agentWhatsappConfigs' } },
    updateAgentWhatsappConfig: { params: { id: 'agentWhatsappConfigs' }, probe: { agent_whatsapp_config: { is_primary: true } } },
    deleteAgentWhatsappConfig: { params: { id: 'agentWhatsappConfigs' } },
  },
};
