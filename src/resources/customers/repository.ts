import type { Clock } from '../../clock.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/database.js';
import { newId } from '../../lib/ids.js';
import type { PageRequest } from '../../lib/pagination.js';
import type { Customer, CustomerInput, CustomerPatch } from './schemas.js';

export interface CustomerFilters {
  nameContains?: string;
  externalIdEquals?: string;
  createdFrom?: string;
  createdTo?: string;
}

const COLUMNS = 'id, name, external_customer_id, created_at, updated_at';

export function createCustomerRepository(db: Db, clock: Clock) {
  const insert = db.prepare<[string, string, string, string, string, string]>(
    `INSERT INTO customers (id, project_id, name, external_customer_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare<[string, string], Customer>(`SELECT ${COLUMNS} FROM customers WHERE project_id = ? AND id = ?`);
  const update = db.prepare<[string, string, string, string, string]>(
    `UPDATE customers SET name = ?, external_customer_id = ?, updated_at = ? WHERE project_id = ? AND id = ?`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM customers WHERE project_id = ? AND id = ?');

  // One pair of statements per combination of filters actually given (prepared on first use),
  // so SQLite evaluates only the conditions that matter.
  type FilterParams = { project: string; name?: string; external?: string; from?: string; to?: string };
  const CONDITIONS: [keyof FilterParams, string][] = [
    ['name', 'instr(fold(name), @name) > 0'],
    ['external', 'external_customer_id = @external'],
    ['from', 'created_at >= @from'],
    ['to', 'created_at <= @to'],
  ];
  const byFilters = new Map<string, { page: Statement<[FilterParams & { limit: number; offset: number }], Customer>; count: Statement<[FilterParams], number> }>();
  const statementsFor = (params: FilterParams) => {
    const used = CONDITIONS.filter(([key]) => params[key] !== undefined);
    const signature = used.map(([key]) => key).join(',');
    let statements = byFilters.get(signature);
    if (!statements) {
      const where = ['project_id = @project', ...used.map(([, sql]) => sql)].join(' AND ');
      statements = {
        page: db.prepare(`SELECT ${COLUMNS} FROM customers WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`),
        count: db.prepare<[FilterParams], number>(`SELECT count(*) FROM customers WHERE ${where}`).pluck(),
      };
      byFilters.set(signature, statements);
    }
    return statements;
  };

  return {
    /** Writes a customer as given (fixtures); API creates go through create(). */
    insert(projectId: string, c: Customer): void {
      insert.run(c.id, projectId, c.name, c.external_customer_id, c.created_at, c.updated_at);
    },

    create(projectId: string, input: CustomerInput): Customer {
      const now = clock.iso();
      const customer = { id: newId(), ...input, created_at: now, updated_at: now };
      this.insert(projectId, customer);
      return customer;
    },

    get(projectId: string, id: string): Customer | undefined {
      return byId.get(projectId, id);
    },

    list(projectId: string, filters: CustomerFilters, page: PageRequest): { rows: Customer[]; total: number } {
      const params: FilterParams = { project: projectId };
      if (filters.nameContains !== undefined) params.name = filters.nameContains.toLowerCase();
      if (filters.externalIdEquals !== undefined) params.external = filters.externalIdEquals;
      if (filters.createdFrom !== undefined) params.from = filters.createdFrom;
      if (filters.createdTo !== undefined) params.to = filters.createdTo;
      const statements = statementsFor(params);
      const total = statements.count.get(params)!;
      const rows = page.offset < total ? statements.page.all({ ...params, limit: page.perPage, offset: page.offset }) : [];
      return { rows, total };
    },

    /** Applies the fields given; updated_at moves only when a stored value really changes. */
    update(projectId: string, id: string, patch: CustomerPatch): Customer | undefined {
      const current = byId.get(projectId, id);
      if (!current) return undefined;
      const next = { ...current, ...patch };
      if (next.name === current.name && next.external_customer_id === current.external_customer_id) return current;
      next.updated_at = clock.iso();
      update.run(next.name, next.external_customer_id, next.updated_at, projectId, id);
      return next;
    },

    /** Deletes the customer, its WhatsApp configs and their agent links (ON DELETE CASCADE). */
    delete(projectId: string, id: string): boolean {
      return remove.run(projectId, id).changes === 1;
    },
  };
}

export type CustomerRepository = ReturnType<typeof createCustomerRepository>;
