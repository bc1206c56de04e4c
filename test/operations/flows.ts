import type { FamilyTable } from '../helpers/operations.js';

export const flowOperations: FamilyTable = {
  kinds: {
    flows: { table: 'flows', notFound: 'Flow not found' },
    flowExecutions: { table: 'flow_executions', notFound: 'Flow execution not found' },
  },
  params: { flow_id: 'flows', execution_id: 'flowExecutions' },
  operations: {
    createFlowExecution: { probe: { phone_number: '+14155550190', variables: { order_id: 'ORD-PROBE' } } },
    // The first seeded execution is waiting, so the Demo key may resume it; the resumed execution reads back at its own URL.
    resumeFlowExecution: { probe: { input: 'yes' }, readBack: '/api/v1/flow_executions/{id}' },
  },
};
