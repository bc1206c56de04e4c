import { fixturePart } from '../../lib/resource.js';
import type { CustomerRepository } from './repository.js';
import { Customer } from './schemas.js';

/** `projects[].customers[]`: customers in the API's shape. */
export const customerFixtures = fixturePart({
  key: 'customers',
  schema: Customer,
  insert: (repo: CustomerRepository, c, { projectId }) =>
    repo.insert(projectId, { id: c.id, name: c.name, external_customer_id: c.external_customer_id, created_at: c.created_at, updated_at: c.updated_at }),
});
