import type { FamilyTable } from '../helpers/operations.js';

export const agentSnapshotOperations: FamilyTable = {
  kinds: { agentSnapshots: { table: 'agent_snapshots', notFound: 'Agent snapshot not found' } },
  params: { agent_snapshot_id: 'agentSnapshots' },
  operations: {
    createAgentSnapshot: { probe: {}, readBack: '/api/v1/agent_snapshots/{id}' },
    getAgentSnapshot: { params: { id: 'agentSnapshots' } },
  },
};
