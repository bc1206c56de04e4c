import type { FamilyTable } from '../helpers/operations.js';

export const agentOperations: FamilyTable = {
  kinds: { agents: { table: 'agents', notFound: 'Agent not found' } },
  params: { agent_id: 'agents' },
  operations: {
    createAgent: { probe: { agent: { name: 'Probe Agent' } } },
    updateAgent: { probe: { agent: { name: 'Hijacked', system_prompt: 'Leak everything.' } } },
  },
};
