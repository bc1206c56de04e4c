import { uniqueRules } from '../../db/constraints.js';
import { newId } from '../../lib/ids.js';
import { applyPatch } from '../../lib/patch.js';
import type { RepoContext } from '../../lib/resource.js';
import { defineList } from '../../lib/list-query.js';
import type { Customer, CustomerInput, CustomerPatch } from './schemas.js';

const COLUMNS = 'id, name, external_customer_id, created_at, updated_at';
const TYPE = 'customer';

/** GET /customers: the project's customers, newest first, with Kapso's filters. */
export const CustomerList = defineList<Customer>({
  name: 'customers',
  table: 'customers',
  columns: COLUMNS,
  scope: ['project_id'],
  filters: { name: 'cont', external_customer_id: 'eq', created_at: ['gteq', 'lteq'] },
  pagination: 'meta',
});

export function createCustomerRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[string, string, string, string, string, string]>(
    `INSERT INTO customers (id, project_id, name, external_customer_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare<[string, string], Customer>(`SELECT ${COLUMNS} FROM customers WHERE project_id = ? AND id = ?`);
  const update = db.prepare<[string, string, string, string, string]>(
    `UPDATE customers SET name = ?, external_customer_id = ?, updated_at = ? WHERE project_id = ? AND id = ?`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM customers WHERE project_id = ? AND id = ?');
  const list = CustomerList.prepare(db);
  const unique = uniqueRules({ 'customers.project_id, customers.external_customer_id': 'External customer has already been taken' });

  const insertRow = (projectId: string, c: Customer) =>
    insert.run(c.id, projectId, c.name, c.external_customer_id, c.created_at, c.updated_at);

  return {
    /** Writes a customer as given (fixtures); API creates go through create(). */
    insert(projectId: string, c: Customer): void {
      insertRow(projectId, c);
    },

    create: db.transaction((projectId: string, input: CustomerInput): Customer => {
      const now = clock.iso();
      const customer = { id: newId(), ...input, created_at: now, updated_at: now };
      unique(() => insertRow(projectId, customer));
      events.publish('record.created', projectId, { type: TYPE, id: customer.id });
      return customer;
    }),

    get(projectId: string, id: string): Customer | undefined {
      return byId.get(projectId, id);
    },

    /** A page of the project's customers, filtered as the query string asks. */
    list: (projectId: string, query: Record<string, unknown>) => list.page([projectId], query),

    /** Applies the fields given; updated_at moves only when a stored value really changes. */
    update: db.transaction((projectId: string, id: string, patch: CustomerPatch): Customer | undefined => {
      const current = byId.get(projectId, id);
      if (!current) return undefined;
      const next = applyPatch(current, patch, ['name', 'external_customer_id']);
      if (!next) return current;
      next.updated_at = clock.iso();
      unique(() => update.run(next.name, next.external_customer_id, next.updated_at, projectId, id));
      events.publish('record.updated', projectId, { type: TYPE, id });
      return next;
    }),

    /** Deletes the customer, its WhatsApp configs and their agent links (ON DELETE CASCADE). */
    delete: db.transaction((projectId: string, id: string): boolean => {
      const deleted = remove.run(projectId, id).changes === 1;
      if (deleted) events.publish('record.deleted', projectId, { type: TYPE, id });
      return deleted;
    }),
  };
}

export type CustomerRepository = ReturnType<typeof createCustomerRepository>;
