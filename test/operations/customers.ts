import type { FamilyTable } from '../helpers/operations.js';

export const customerOperations: FamilyTable = {
  kinds: { customers: { table: 'customers', notFound: 'Customer not found' } },
  params: { customer_id: 'customers' },
  operations: {
    createCustomer: { probe: { customer: { name: 'Tenancy Probe', external_customer_id: 'PROBE-1' } } },
    updateCustomer: { probe: { customer: { name: 'Hijacked' } } },
  },
};
