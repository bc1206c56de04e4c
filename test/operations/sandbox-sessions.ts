import { ids } from '../helpers/app.js';
import type { FamilyTable } from '../helpers/operations.js';

export const sandboxSessionOperations: FamilyTable = {
  kinds: { sandboxSessions: { table: 'whatsapp_sandbox_sessions', notFound: 'Sandbox session not found' } },
  operations: {
    // The Demo Project's agent: another project's key is refused as for an agent that does not exist.
    createSandboxSession: { probe: { whatsapp_sandbox_session: { phone_number: '+1 415-555-0177', agent_id: ids.supportAgent } } },
    getSandboxSession: { params: { id: 'sandboxSessions' } },
  },
};
