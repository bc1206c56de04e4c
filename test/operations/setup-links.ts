import type { FamilyTable } from '../helpers/operations.js';

export const setupLinkOperations: FamilyTable = {
  // No operation names a setup link in its path; the kind lets the fuzzers and the tenancy sweeps see their IDs.
  kinds: { setupLinks: { table: 'setup_links', notFound: 'Setup link not found', parent: { kind: 'customers', column: 'customer_id' } } },
  operations: {},
};
