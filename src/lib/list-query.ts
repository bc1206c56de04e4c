// One list machinery for every collection (docs/contributing.md "Lists"). A resource declares
// its list once (table, scope, order, Ransack filters, pagination style) and gets:
//   - the query-string schema of its route (page, per_page and each q[...] filter),
//   - the SQL: one statement pair per combination of filters actually used, prepared on first use,
//   - totals from counters that triggers maintain (mock_counts) when a list is unfiltered (and
//     defineCounter for a counted subset of a table, read from other queries),
//   - pages near the end read from the other end of the index, and keyset cursors,
//   - the response in the spec's pagination style (body meta, headers, both, meta.current_page).
// The operator table below is the only place a Ransack predicate becomes SQL.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { PageQuery, queryText } from './schemas.js';
import { parseTimeFilter } from './time.js';

/** per_page above this is clamped to it (docs/behaviour.md "Lists", Kaminari's max_per_page). */
export const MAX_PER_PAGE = 100;

/** Ransack predicates the mock understands (the ones Kapso's spec uses). */
export type Predicate = 'eq' | 'cont' | 'gteq' | 'lteq' | 'in';

/**
 * body: `{data, meta: {page, per_page, total_pages, total_count}}`; headers: `{data}` plus Total,
 * Total-Pages, Per-Page, Page and Link; both; current_page: body meta with `current_page` instead of
 * `page`; none: every row, no paging at all; cursor: `limit`, `after`, `before` (opaque keyset cursors).
 */
export type Pagination = 'meta' | 'headers' | 'both' | 'current_page' | 'none' | 'cursor';

export interface FilterDecl {
  predicates: Predicate[];
  /** The SQL column (default: the attribute name, qualified with the list's alias). */
  column?: string;
  /** Query text -> stored value (a status filtered by number, a boolean). A value not in the map matches nothing. */
  values?: Record<string, string | number>;
  /** Words for the document (default: the attribute, humanised). */
  label?: string;
  /** Query text -> the stored form (a phone number's digits); undefined matches nothing. */
  normalize?: (text: string) => string | undefined;
}

export interface ListDecl<Row, Item> {
  /** Unique name: counters and the index check use it. */
  name: string;
  /** The base table. */
  table: string;
  /** Alias of the base table in the SQL (default: the table name). */
  alias?: string;
  /** More FROM clause after the base table (JOINs). */
  join?: string;
  /**
   * The join neither adds nor drops base rows (a LEFT JOIN on a unique key, an inner JOIN along a
   * NOT NULL foreign key): a total whose filters are all on base columns is then counted on the
   * base table alone, from its index, without joining every match.
   */
  joinKeepsRows?: boolean;
  /** The SELECT list. */
  columns: string;
  /** Base-table columns the caller pins, in order (project_id first): `WHERE project_id = ? AND customer_id = ?`. */
  scope: readonly string[];
  /** The base-table column the list is ordered by, newest first; ties broken by id (default created_at). */
  order?: string;
  /** Ransack filters by attribute: `{ name: 'cont', created_at: ['gteq', 'lteq'] }`. */
  filters?: Record<string, Predicate | Predicate[] | FilterDecl>;
  pagination: Pagination;
  /** Row -> API item (default: the row as it is). */
  map?: (row: Row) => Item;
}

/** A list as the repository runs it. */
export interface Lister<Item> {
  /** One page, as the query string asks (page-number styles). */
  page(scope: readonly string[], query: Record<string, unknown>): Page<Item>;
  /** Every matching row (the `none` style). */
  all(scope: readonly string[], query?: Record<string, unknown>): Item[];
  /** One keyset page (the `cursor` style). */
  cursor(scope: readonly string[], query: Record<string, unknown>): CursorPage<Item>;
  /** How many rows the scope holds, from the counter (no COUNT). */
  total(scope: readonly string[]): number;
}

export interface Page<Item> {
  pagination: Pagination;
  rows: Item[];
  total: number;
  page: number;
  perPage: number;
}

export interface CursorPage<Item> {
  rows: Item[];
  /** Cursor of the first row, when there are rows before it. */
  before: string | undefined;
  /** Cursor of the last row, when there are rows after it. */
  after: string | undefined;
  limit: number;
}

/** Every list declared in the app, for the index check in the tests. */
export const declaredLists: ListDecl<any, any>[] = [];

const words = (attribute: string) => {
  const text = attribute.split('_').map((w) => (w === 'id' ? 'ID' : w)).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** Column names ending in _at are times: `q[created_at_gteq]=2026-01-01` covers the day. */
const isTime = (attribute: string) => attribute.endsWith('_at');

function describe(attribute: string, predicate: Predicate, decl: FilterDecl): string {
  const label = decl.label ?? words(attribute);
  if (isTime(attribute) && (predicate === 'gteq' || predicate === 'lteq')) {
    const moment = label.replace(/ at$/, '');
    return `${moment} at or ${predicate === 'gteq' ? 'after' : 'before'} this time (RFC 3339 or YYYY-MM-DD).`;
  }
  const values = decl.values ? ` One of: ${Object.keys(decl.values).join(', ')}.` : '';
  switch (predicate) {
    case 'cont': return `${label} contains this text (case-insensitive).`;
    case 'eq': return `${label} equals this value.${values}`;
    case 'gteq': return `${label} is at least this value.`;
    case 'lteq': return `${label} is at most this value.`;
    case 'in': return `${label} is one of these values (repeat the parameter, or separate with commas).${values}`;
  }
}

interface Filter {
  key: string;
  param: string;
  attribute: string;
  predicate: Predicate;
  column: string;
  values: Record<string, string | number> | undefined;
  normalize: ((text: string) => string | undefined) | undefined;
}

/** The operator table: predicate -> SQL over one named parameter. */
const SQL: Record<Predicate, (column: string, param: string) => string> = {
  eq: (c, p) => `${c} = @${p}`,
  cont: (c, p) => `instr(fold(${c}), @${p}) > 0`,
  gteq: (c, p) => `${c} >= @${p}`,
  lteq: (c, p) => `${c} <= @${p}`,
  in: (c, p) => `${c} IN (SELECT value FROM json_each(@${p}))`,
};

/** A filter's query value as the SQL parameter, or undefined when the filter is not applied (Ransack drops blank values). */
function bind(filter: Filter, raw: unknown): string | number | undefined {
  if (filter.predicate === 'in') {
    const list = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [])
      .filter((v): v is string => typeof v === 'string')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (list.length === 0) return undefined;
    const mapped = filter.values ? list.map((v) => filter.values![v]).filter((v) => v !== undefined) : list;
    return JSON.stringify(mapped);
  }
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const text = raw.trim();
  if (isTime(filter.attribute) && (filter.predicate === 'gteq' || filter.predicate === 'lteq')) {
    return parseTimeFilter(text, filter.predicate === 'gteq' ? 'start' : 'end');
  }
  if (filter.values) return filter.values[text] ?? NO_MATCH;
  if (filter.normalize) return filter.normalize(text) ?? NO_MATCH;
  return filter.predicate === 'cont' ? text.toLowerCase() : text;
}

/** Bound for a mapped value the map does not know: no stored value equals it. */
const NO_MATCH = '\u0000no-match';

/** Opaque keyset cursor: base64url of [order value, id]. */
export const encodeCursor = (orderValue: unknown, id: string): string =>
  Buffer.from(JSON.stringify([orderValue, id])).toString('base64url');

export function decodeCursor(cursor: string): [string | number, string] | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string' && (typeof value[0] === 'string' || typeof value[0] === 'number')) {
      return [value[0], value[1]];
    }
  } catch {
    // not a cursor of ours
  }
  return undefined;
}

const positiveInt = (v: unknown): number | undefined =>
  typeof v === 'string' && /^\s*\d+\s*$/.test(v) && Number(v) >= 1 ? Number(v) : typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : undefined;

export interface DeclaredList<Row, Item> {
  decl: ListDecl<Row, Item>;
  /** The route's query-string schema. */
  query: z.ZodObject;
  /** Prepares the list's statements on a database (once, in the repository factory). */
  prepare(db: Db): Lister<Item>;
  /**
   * An SQL expression for the maintained row count of the scope named by `scope` (SQL expressions,
   * one per scope column: `['w.project_id', 'w.id']`), for another query's SELECT list: a counter
   * read instead of a COUNT(*) that grows with the rows. Only for lists with a counter (paged ones).
   */
  countSql(scope: readonly string[]): string;
}

/** Declares a list; see the file header. */
export function defineList<Row = Record<string, unknown>, Item = Row>(decl: ListDecl<Row, Item>): DeclaredList<Row, Item> {
  const alias = decl.alias ?? decl.table;
  const orderAttr = decl.order ?? 'created_at';
  const order = `${alias}.${orderAttr}`;
  const idColumn = `${alias}.id`;
  const filters: Filter[] = Object.entries(decl.filters ?? {}).flatMap(([attribute, spec]) => {
    const d: FilterDecl = typeof spec === 'string' ? { predicates: [spec] } : Array.isArray(spec) ? { predicates: spec } : spec;
    return d.predicates.map((predicate, n) => ({
      key: `q[${attribute}_${predicate}]`,
      param: `f_${attribute}_${predicate}_${n}`,
      attribute,
      predicate,
      column: d.column ?? `${alias}.${attribute}`,
      values: d.values,
      normalize: d.normalize,
    }));
  });

  const shape: Record<string, z.ZodType> = {};
  for (const f of filters) {
    const spec = decl.filters![f.attribute]!;
    const d: FilterDecl = typeof spec === 'string' ? { predicates: [spec] } : Array.isArray(spec) ? { predicates: spec } : spec;
    const schema = f.predicate === 'in'
      ? z.unknown().optional().meta({ type: 'string', description: describe(f.attribute, f.predicate, d) })
      : queryText(describe(f.attribute, f.predicate, d));
    shape[f.key] = isTime(f.attribute) && (f.predicate === 'gteq' || f.predicate === 'lteq') ? schema.meta({ format: 'date-time' }) : schema;
  }
  const base = decl.pagination === 'none'
    ? z.object({})
    : decl.pagination === 'cursor'
      ? CursorQuery
      : PageQuery;
  const query = base.extend(shape);
  declaredLists.push(decl as ListDecl<any, any>);

  return {
    decl,
    query,
    countSql(scope) {
      if (!keepsCounter(decl)) throw new Error(`list ${decl.name} keeps no counter`);
      return counterSql(decl, scope);
    },
    prepare(db: Db): Lister<Item> {
      const map = decl.map ?? ((row: Row) => row as unknown as Item);
      const scopeSql = decl.scope.map((c, i) => `${alias}.${c} = @s${i}`);
      const from = `${decl.table}${decl.alias ? ` ${decl.alias}` : ''}${decl.join ? ` ${decl.join}` : ''}`;
      const counter = keepsCounter(decl) ? ensureCounter(db, decl) : undefined;
      type Params = Record<string, unknown>;
      type Statements = {
        page: ReturnType<Db['prepare']>;
        tail: ReturnType<Db['prepare']>;
        all: ReturnType<Db['prepare']>;
        count: ReturnType<Db['prepare']>;
        after: ReturnType<Db['prepare']>;
        before: ReturnType<Db['prepare']>;
      };
      const bySignature = new Map<string, Statements>();
      const statementsFor = (used: Filter[]): Statements => {
        const signature = used.map((f) => f.param).join(',');
        let s = bySignature.get(signature);
        if (!s) {
          const where = [...scopeSql, ...used.map((f) => SQL[f.predicate](f.column, f.param))].join(' AND ');
          const baseOnly = decl.joinKeepsRows === true && used.every((f) => f.column.startsWith(`${alias}.`));
          const countFrom = baseOnly ? `${decl.table}${decl.alias ? ` ${decl.alias}` : ''}` : from;
          const select = `SELECT ${decl.columns} FROM ${from} WHERE ${where}`;
          const newest = `ORDER BY ${order} DESC, ${idColumn} DESC`;
          const oldest = `ORDER BY ${order} ASC, ${idColumn} ASC`;
          // Statements are prepared lazily and kept (database.ts retains them).
          s = {
            page: db.prepare(`${select} ${newest} LIMIT @limit OFFSET @offset`),
            tail: db.prepare(`${select} ${oldest} LIMIT @limit OFFSET @offset`),
            all: db.prepare(`${select} ${newest}`),
            count: db.prepare(`SELECT count(*) FROM ${countFrom} WHERE ${where}`).pluck(),
            after: db.prepare(`${select} AND (${order}, ${idColumn}) < (@c_order, @c_id) ${newest} LIMIT @limit`),
            before: db.prepare(`${select} AND (${order}, ${idColumn}) > (@c_order, @c_id) ${oldest} LIMIT @limit`),
          };
          bySignature.set(signature, s);
        }
        return s;
      };
      const paramsFor = (scope: readonly string[], query: Record<string, unknown>) => {
        const params: Params = {};
        scope.forEach((v, i) => (params[`s${i}`] = v));
        const used: Filter[] = [];
        for (const f of filters) {
          const value = bind(f, query[f.key]);
          if (value === undefined) continue;
          params[f.param] = value;
          used.push(f);
        }
        return { params, used };
      };
      const total = (scope: readonly string[]) => counter?.get(scope) ?? (statementsFor([]).count.get(paramsFor(scope, {}).params) as number);

      return {
        total,
        page(scope, query) {
          const page = positiveInt(query.page) ?? 1;
          const perPage = Math.min(positiveInt(query.per_page) ?? 20, MAX_PER_PAGE);
          const { params, used } = paramsFor(scope, query);
          const s = statementsFor(used);
          const count = used.length === 0 && counter ? counter.get(scope) : (s.count.get(params) as number);
          const offset = (page - 1) * perPage;
          let rows: Row[] = [];
          if (offset < count) {
            const end = Math.min(offset + perPage, count);
            // A page in the second half is read from the other end of the index: the last page
            // of a million rows costs what the first does.
            rows = offset > count / 2
              ? (s.tail.all({ ...params, limit: end - offset, offset: count - end }) as Row[]).reverse()
              : (s.page.all({ ...params, limit: perPage, offset }) as Row[]);
          }
          return { pagination: decl.pagination, rows: rows.map(map), total: count, page, perPage };
        },
        all(scope, query = {}) {
          const { params, used } = paramsFor(scope, query);
          return (statementsFor(used).all.all(params) as Row[]).map(map);
        },
        cursor(scope, query) {
          const limit = Math.min(positiveInt(query.limit) ?? 20, MAX_PER_PAGE);
          const { params, used } = paramsFor(scope, query);
          const s = statementsFor(used);
          const before = typeof query.before === 'string' ? decodeCursor(query.before) : undefined;
          const after = before ? undefined : typeof query.after === 'string' ? decodeCursor(query.after) : undefined;
          const keyOf = (row: Row) => encodeCursor((row as Record<string, unknown>)[orderAttr], String((row as Record<string, unknown>).id));
          let rows: Row[];
          let hasBefore: boolean;
          let hasAfter: boolean;
          if (before) {
            const found = s.before.all({ ...params, c_order: before[0], c_id: before[1], limit: limit + 1 }) as Row[];
            hasBefore = found.length > limit;
            rows = found.slice(0, limit).reverse();
            hasAfter = true;
          } else {
            const found = (after
              ? s.after.all({ ...params, c_order: after[0], c_id: after[1], limit: limit + 1 })
              : s.page.all({ ...params, limit: limit + 1, offset: 0 })) as Row[];
            hasAfter = found.length > limit;
            rows = found.slice(0, limit);
            hasBefore = after !== undefined;
          }
          return {
            rows: rows.map(map),
            before: hasBefore && rows.length > 0 ? keyOf(rows[0]!) : undefined,
            after: hasAfter && rows.length > 0 ? keyOf(rows[rows.length - 1]!) : undefined,
            limit,
          };
        },
      };
    },
  };
}

export const CursorQuery = z.object({
  limit: z.unknown().optional().meta({ type: 'integer', minimum: 1, maximum: MAX_PER_PAGE, default: 20, description: 'Records per page (at most 100).' }),
  after: z.string().optional().meta({ description: 'Cursor: the page after this one (paging.cursors.after).' }),
  before: z.string().optional().meta({ description: 'Cursor: the page before this one (paging.cursors.before).' }),
});

// ---------------------------------------------------------------------------------------------
// Counters: triggers keep mock_counts (list, scope key) -> rows, so an unfiltered page never pays a
// COUNT(*). They live in the database, so reset, restore, cascades and a second process on the
// same file all keep them right; mock_* tables are never part of a snapshot. Each list's triggers
// carry a hash of their SQL: a changed declaration replaces them and recounts once, at start-up.

/** Paged lists keep a counter of their rows by scope; `none` and `cursor` lists never show a total. */
const keepsCounter = (decl: ListDecl<any, any>) => decl.pagination !== 'none' && decl.pagination !== 'cursor';

/** A counter's scope key from SQL expressions: the scope's values joined by U+001F (null as ''). */
const counterKey = (exprs: readonly string[]) => exprs.map((e) => `ifnull(${e}, '')`).join(` || char(31) || `);

/** What a counter counts: the rows of `table` (those `where` accepts, when given) by `scope`. */
interface CounterDecl {
  name: string;
  table: string;
  scope: readonly string[];
  /** The condition on a row, for the row alias given (NEW, OLD or the table): only those rows are counted. */
  where?: (row: string) => string;
  /** The columns `where` reads: an update of one of them may move the row in or out. */
  whereColumns?: readonly string[];
}

/** The SQL expression reading a counter for the scope named by SQL expressions (0 when it holds nothing). */
function counterSql(decl: CounterDecl, scope: readonly string[]): string {
  if (scope.length !== decl.scope.length) throw new Error(`counter ${decl.name} is scoped by ${decl.scope.join(', ')}`);
  return `ifnull((SELECT n FROM mock_counts WHERE list = '${decl.name.replace(/'/g, "''")}' AND scope = ${counterKey(scope)}), 0)`;
}

/** A maintained count of a subset of a table's rows by scope, for other queries to read (see defineCounter). */
export interface DeclaredCounter {
  /** Creates or updates the counter's triggers (once, in the repository factory); a changed declaration recounts. */
  prepare(db: Db): void;
  /** The SQL expression of the count for the scope named by SQL expressions (`['w.project_id', 'w.id']`), as a list's countSql(). */
  countSql(scope: readonly string[]): string;
}

/**
 * A count of the rows of `table` (those `where` accepts, when given) by `scope`, kept by triggers in
 * mock_counts as the lists' totals are: read in O(1) by another query (`countSql()`), where a COUNT(*)
 * would grow with the rows (a conversation's unread messages in the inbox's list, a flow's
 * executions in every row of its executions' list).
 */
export function defineCounter(
  decl: Omit<CounterDecl, 'where' | 'whereColumns'> & ({ where?: undefined } | { where: (row: string) => string; whereColumns: readonly string[] }),
): DeclaredCounter {
  return { prepare: (db) => void ensureCounter(db, decl), countSql: (scope) => counterSql(decl, scope) };
}

function ensureCounter(db: Db, decl: CounterDecl) {
  const key = (row: 'NEW' | 'OLD') => counterKey(decl.scope.map((c) => `${row}.${c}`));
  const list = decl.name.replace(/'/g, "''");
  const where = decl.where;
  const inc = (row: 'NEW') => where
    // INSERT ... SELECT with an upsert needs a WHERE (SQLite's parsing rule), which is the condition here.
    ? `INSERT INTO mock_counts (list, scope, n) SELECT '${list}', ${key(row)}, 1 WHERE ${where(row)} ON CONFLICT (list, scope) DO UPDATE SET n = n + 1;`
    : `INSERT INTO mock_counts (list, scope, n) VALUES ('${list}', ${key(row)}, 1) ON CONFLICT (list, scope) DO UPDATE SET n = n + 1;`;
  const dec = (row: 'OLD') => `UPDATE mock_counts SET n = n - 1 WHERE list = '${list}' AND scope = ${key(row)}${where ? ` AND (${where(row)})` : ''};`;
  const moved = decl.scope.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  const body = {
    ins: `AFTER INSERT ON ${decl.table} BEGIN ${inc('NEW')} END`,
    del: `AFTER DELETE ON ${decl.table} BEGIN ${dec('OLD')} END`,
    upd: where
      // A row moves when it enters or leaves the subset, or changes scope while in it.
      ? `AFTER UPDATE OF ${[...decl.scope, ...(decl.whereColumns ?? [])].join(', ')} ON ${decl.table} `
        + `WHEN (${where('OLD')}) IS NOT (${where('NEW')}) OR ((${where('OLD')}) AND (${moved})) BEGIN ${dec('OLD')} ${inc('NEW')} END`
      : `AFTER UPDATE OF ${decl.scope.join(', ')} ON ${decl.table} WHEN ${moved} BEGIN ${dec('OLD')} ${inc('NEW')} END`,
  };
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12);
  const prefix = `count_${decl.name}_`;
  // Only this counter's own triggers (prefix, hash, kind): another's name may start with this prefix (whatsapp_messages_unread).
  const existing = db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'trigger'").pluck().all()
    .filter((name) => name.startsWith(prefix) && /^[0-9a-f]{12}_(ins|del|upd)$/.test(name.slice(prefix.length)));
  if (!existing.includes(`${prefix}${hash}_ins`)) {
    db.transaction(() => {
      for (const name of existing) db.exec(`DROP TRIGGER "${name}"`);
      for (const [kind, sql] of Object.entries(body)) db.exec(`CREATE TRIGGER "${prefix}${hash}_${kind}" ${sql}`);
      db.prepare('DELETE FROM mock_counts WHERE list = ?').run(decl.name);
      db.prepare(`INSERT INTO mock_counts (list, scope, n) SELECT ?, ${counterKey(decl.scope)}, count(*) FROM ${decl.table}${where ? ` WHERE ${where(decl.table)}` : ''} GROUP BY 2`).run(decl.name);
    }).immediate();
  }
  const get = db.prepare<[string, string], number>('SELECT n FROM mock_counts WHERE list = ? AND scope = ?').pluck();
  return { get: (scope: readonly string[]) => get.get(decl.name, scope.join('\u001f')) ?? 0 };
}

// ---------------------------------------------------------------------------------------------
// Responses in the spec's pagination styles.

/** Body meta `{page, per_page, total_pages, total_count}` (or `current_page` for setup links). */
function metaOf(p: Page<unknown>) {
  const total_pages = Math.ceil(p.total / p.perPage);
  return p.pagination === 'current_page'
    ? { current_page: p.page, per_page: p.perPage, total_pages, total_count: p.total }
    : { page: p.page, per_page: p.perPage, total_pages, total_count: p.total };
}

/**
 * The RFC 8288 Link header: first, prev (when there is one), next (when there is one), last;
 * absolute URLs that keep the request's other query parameters.
 */
function linkHeader(request: FastifyRequest, p: Page<unknown>, totalPages: number): string {
  const [path, search = ''] = request.url.split('?', 2) as [string, string?];
  const base = `${request.protocol}://${request.host}${path}`;
  const url = (page: number) => {
    const params = new URLSearchParams(search);
    params.set('page', String(page));
    params.set('per_page', String(p.perPage));
    return `<${base}?${params.toString()}>`;
  };
  const last = Math.max(totalPages, 1);
  const links = [`${url(1)}; rel="first"`];
  if (p.page > 1) links.push(`${url(Math.min(p.page - 1, last))}; rel="prev"`);
  if (p.page < totalPages) links.push(`${url(p.page + 1)}; rel="next"`);
  links.push(`${url(last)}; rel="last"`);
  return links.join(', ');
}

/**
 * The response body for a page, with the pagination headers set where the style has them. Typed
 * for the body-meta styles; the headers style answers `{data}` alone (its response schema has no meta).
 */
export function paginate<Item>(request: FastifyRequest, reply: FastifyReply, p: Page<Item>): { data: Item[]; meta: any } {
  const totalPages = Math.ceil(p.total / p.perPage);
  if (p.pagination === 'headers' || p.pagination === 'both') {
    reply.headers({
      total: String(p.total),
      'total-pages': String(totalPages),
      'per-page': String(p.perPage),
      page: String(p.page),
      link: linkHeader(request, p, totalPages),
    });
  }
  if (p.pagination === 'headers') return { data: p.rows } as { data: Item[]; meta: any };
  return { data: p.rows, meta: metaOf(p) };
}
