// The list machinery: the Ransack operator table, totals from the counters the triggers keep,
// pages read from either end, keyset cursors, the pagination styles, and an index behind every
// declared list.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { declaredLists, decodeCursor, defineCounter, defineList, paginate, type Pagination } from '../../src/lib/list-query.js';
import { client, ids, makeApp } from '../helpers/app.js';
import { demo, seed } from '../helpers/seed.js';

interface Row {
  id: string;
  project_id: string;
  parent_id: string;
  name: string;
  status: string;
  active: number;
  created_at: string;
}

/** A table of `n` rows in two projects, created one minute apart (newest last). */
function tableWith(n: number): Db {
  const { db } = openDatabase(':memory:');
  db.exec(`CREATE TABLE things (
    project_id TEXT NOT NULL, id TEXT NOT NULL, parent_id TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
    active INTEGER NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (project_id, id)) STRICT;
    CREATE INDEX things_newest ON things (project_id, parent_id, created_at DESC, id DESC);`);
  const insert = db.prepare('INSERT INTO things VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      insert.run(i % 2 === 0 ? 'p1' : 'p2', `id-${String(i).padStart(5, '0')}`, 'parent', `Thing ${i} ${i % 3 === 0 ? 'Ünicode' : 'plain'}`, i % 4 === 0 ? 'ended' : 'active', i % 2, at);
    }
  })();
  return db;
}

let n = 0;
const list = (pagination: Pagination = 'meta') => defineList<Row>({
  name: `things_${pagination}_${n++}`,
  table: 'things',
  columns: 'id, project_id, name, status, active, created_at',
  scope: ['project_id', 'parent_id'],
  filters: {
    name: 'cont',
    status: ['eq', 'in'],
    active: { predicates: ['eq'], values: { true: 1, false: 0 } },
    created_at: ['gteq', 'lteq'],
  },
  pagination,
});

const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

describe('the query-string schema', () => {
  it('holds page, per_page and one key per filter, worded from the attribute', () => {
    const shape = list().query.shape as Record<string, { meta(): { description?: string } | undefined }>;
    expect(Object.keys(shape)).toEqual([
      'page', 'per_page', 'q[name_cont]', 'q[status_eq]', 'q[status_in]', 'q[active_eq]', 'q[created_at_gteq]', 'q[created_at_lteq]',
    ]);
    expect(shape['q[name_cont]']!.meta()?.description).toBe('Name contains this text (case-insensitive).');
    expect(shape['q[created_at_gteq]']!.meta()?.description).toBe('Created at or after this time (RFC 3339 or YYYY-MM-DD).');
    expect(shape['q[active_eq]']!.meta()?.description).toBe('Active equals this value. One of: true, false.');
  });

  it('a list without paging takes no page parameters; a cursor list takes limit, after and before', () => {
    expect(Object.keys(list('none').query.shape)).not.toContain('page');
    expect(Object.keys(list('cursor').query.shape)).toEqual(expect.arrayContaining(['limit', 'after', 'before']));
  });
});

describe('filters: one operator table', () => {
  const db = tableWith(40);
  const things = list().prepare(db);
  const all = (query: Record<string, unknown>) => things.page(['p1', 'parent'], { per_page: '100', ...query });

  it.each([
    ['cont is case-insensitive, also beyond ASCII', { 'q[name_cont]': 'üNICODE' }, (r: Row) => r.name.includes('Ünicode')],
    ['eq', { 'q[status_eq]': 'ended' }, (r: Row) => r.status === 'ended'],
    ['in, repeated', { 'q[status_in]': ['ended', 'missing'] }, (r: Row) => r.status === 'ended'],
    ['in, comma-separated', { 'q[status_in]': 'ended,active' }, () => true],
    ['a mapped value', { 'q[active_eq]': 'false' }, (r: Row) => r.active === 0],
    ['a time bound, a bare date covering the whole day', { 'q[created_at_lteq]': '2026-01-01' }, (r: Row) => r.created_at.startsWith('2026-01-01')],
    ['gteq and lteq together', { 'q[created_at_gteq]': '2026-01-01T00:10:00Z', 'q[created_at_lteq]': '2026-01-01T00:20:00Z' }, (r: Row) => r.created_at >= '2026-01-01T00:10' && r.created_at <= '2026-01-01T00:20:00.000Z'],
  ])('%s', (_case, query, keep) => {
    const everything = all({});
    const expected = idsOf(everything.rows.filter((r) => keep(r as Row)));
    const page = all(query);
    expect(expected.length).toBeGreaterThan(0);
    expect(idsOf(page.rows)).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });

  it.each([
    ['a blank value', { 'q[status_eq]': '  ' }],
    ['a time that is not one', { 'q[created_at_gteq]': 'yesterday' }],
    ['an unknown key', { 'q[api_key_hash_eq]': 'x' }],
    ['an empty in', { 'q[status_in]': [] }],
  ])('ignores %s (Ransack drops what it cannot use)', (_case, query) => {
    expect(all(query).total).toBe(20);
  });

  it('a value a mapped filter does not know matches nothing', () => {
    expect(all({ 'q[active_eq]': 'maybe' }).total).toBe(0);
  });

  it('filters never reach another scope', () => {
    expect(things.page(['p2', 'parent'], { 'q[status_eq]': 'ended' }).total).toBe(0);
    expect(things.page(['nobody', 'parent'], {}).total).toBe(0);
  });
});

describe('pages', () => {
  const db = tableWith(203);
  const things = list().prepare(db);
  const newestFirst = idsOf(things.all(['p1', 'parent']));

  it('are newest first, 20 by default, per_page clamped to 100, bad values falling back', () => {
    expect(newestFirst).toHaveLength(102);
    expect(idsOf(things.page(['p1', 'parent'], {}).rows)).toEqual(newestFirst.slice(0, 20));
    expect(things.page(['p1', 'parent'], { per_page: '500' }).perPage).toBe(100);
    expect(things.page(['p1', 'parent'], { page: '-1', per_page: 'x' })).toMatchObject({ page: 1, perPage: 20 });
  });

  it('read from the other end in the second half give the same rows as from the front', () => {
    for (const perPage of [1, 7, 20, 100]) {
      const pages = Math.ceil(newestFirst.length / perPage);
      for (let page = 1; page <= pages + 1; page++) {
        const got = things.page(['p1', 'parent'], { page: String(page), per_page: String(perPage) });
        expect(idsOf(got.rows), `page ${page} of ${perPage}`).toEqual(newestFirst.slice((page - 1) * perPage, page * perPage));
      }
    }
    // Filtered pages too (their total comes from a count).
    const ended = idsOf(things.all(['p1', 'parent'], { 'q[status_eq]': 'ended' }));
    const last = things.page(['p1', 'parent'], { 'q[status_eq]': 'ended', page: '3', per_page: '20' });
    expect(idsOf(last.rows)).toEqual(ended.slice(40, 60));
  });
});

describe('cursors', () => {
  const db = tableWith(95);
  const things = list('cursor').prepare(db);
  const newestFirst = idsOf(things.all(['p1', 'parent']));

  it('walk to the end by after and back by before, with no row missed or repeated', () => {
    const forward: string[] = [];
    const cursors: (string | undefined)[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = things.cursor(['p1', 'parent'], { limit: '10', ...(after && { after }) });
      forward.push(...idsOf(page.rows));
      cursors.push(page.before);
      after = page.after;
      pages++;
    } while (after);
    expect(forward).toEqual(newestFirst);
    expect(pages).toBe(5);
    expect(cursors[0]).toBeUndefined();

    const last = things.cursor(['p1', 'parent'], { limit: '10', after: things.cursor(['p1', 'parent'], { limit: '40' }).after! });
    const back = things.cursor(['p1', 'parent'], { limit: '10', before: last.before! });
    expect(idsOf(back.rows)).toEqual(newestFirst.slice(30, 40));
    expect(back.after).toBeDefined();
  });

  it('are opaque and refuse what they did not make', () => {
    const page = things.cursor(['p1', 'parent'], { limit: '5' });
    expect(page.after).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(page.after!)).toEqual([expect.any(String), newestFirst[4]]);
    expect(decodeCursor('not a cursor')).toBeUndefined();
    expect(idsOf(things.cursor(['p1', 'parent'], { limit: '5', after: 'garbage' }).rows)).toEqual(newestFirst.slice(0, 5));
  });
});

describe('totals from counters', () => {
  it('follow inserts, deletes and scope moves, and are rebuilt when a declaration changes', () => {
    const db = tableWith(10);
    const things = list().prepare(db);
    expect(things.total(['p1', 'parent'])).toBe(5);
    db.prepare("INSERT INTO things VALUES ('p1', 'x', 'parent', 'n', 'active', 1, '2027-01-01T00:00:00.000Z')").run();
    db.prepare("UPDATE things SET parent_id = 'other' WHERE id = 'id-00000'").run();
    expect(things.total(['p1', 'parent'])).toBe(5);
    expect(things.total(['p1', 'other'])).toBe(1);
    db.prepare("DELETE FROM things WHERE project_id = 'p2'").run();
    expect(things.total(['p2', 'parent'])).toBe(0);
    // A new declaration of the same list (another build of the mock) recounts once.
    db.exec('DELETE FROM mock_counts');
    const again = defineList<Row>({ name: 'recount', table: 'things', columns: 'id', scope: ['project_id'], pagination: 'meta' }).prepare(db);
    expect(again.total(['p1'])).toBe(6);
  });

  it('countSql reads the same counter from another query (0 for an empty scope), and only on lists that keep one', () => {
    const db = tableWith(10);
    const declared = list();
    declared.prepare(db);
    db.exec(`CREATE TABLE parents (project_id TEXT NOT NULL, id TEXT NOT NULL) STRICT;
      INSERT INTO parents VALUES ('p1', 'parent'), ('p2', 'parent'), ('p1', 'nobody')`);
    const counts = () => db.prepare(`SELECT p.project_id || '/' || p.id AS scope, ${declared.countSql(['p.project_id', 'p.id'])} AS n FROM parents p ORDER BY 1`).all();
    expect(counts()).toEqual([{ scope: 'p1/nobody', n: 0 }, { scope: 'p1/parent', n: 5 }, { scope: 'p2/parent', n: 5 }]);
    db.prepare("DELETE FROM things WHERE project_id = 'p1' AND id IN ('id-00000', 'id-00002')").run();
    db.prepare("INSERT INTO things VALUES ('p1', 'y', 'nobody', 'n', 'active', 1, '2027-01-01T00:00:00.000Z')").run();
    expect(counts()).toEqual([{ scope: 'p1/nobody', n: 1 }, { scope: 'p1/parent', n: 3 }, { scope: 'p2/parent', n: 5 }]);
    expect(() => declared.countSql(['p.project_id'])).toThrow(/scoped by project_id, parent_id/);
    expect(() => list('cursor').countSql(['a', 'b'])).toThrow(/keeps no counter/);
  });

  it('defineCounter keeps a subset\'s count: rows entering and leaving it, moving scope, deleted, and a recount when it changes', () => {
    const db = tableWith(10);
    const active = defineCounter({
      name: `active_things_${n++}`, table: 'things', scope: ['project_id', 'parent_id'],
      where: (row) => `${row}.status = 'active'`, whereColumns: ['status'],
    });
    active.prepare(db);
    const count = (project: string, parent: string) => db.prepare(`SELECT ${active.countSql(['?', '?'])}`).pluck().get(project, parent);
    const truth = (project: string, parent: string) => db.prepare("SELECT count(*) FROM things WHERE project_id = ? AND parent_id = ? AND status = 'active'").pluck().get(project, parent);
    const check = () => {
      for (const [p, parent] of [['p1', 'parent'], ['p2', 'parent'], ['p1', 'other'], ['p2', 'other']] as const) expect(count(p, parent), `${p}/${parent}`).toBe(truth(p, parent));
    };
    check();
    expect(count('p1', 'parent')).toBe(2); // ids 2, 6 (0, 4 and 8 are ended)
    db.prepare("UPDATE things SET status = 'active' WHERE id = 'id-00000'").run(); // enters
    db.prepare("UPDATE things SET status = 'ended' WHERE id = 'id-00001'").run(); // leaves
    db.prepare("UPDATE things SET parent_id = 'other' WHERE id = 'id-00002'").run(); // moves while in it
    db.prepare("UPDATE things SET parent_id = 'other' WHERE id = 'id-00004'").run(); // moves outside it
    db.prepare("UPDATE things SET name = 'renamed', status = 'active' WHERE id = 'id-00006'").run(); // stays
    db.prepare("INSERT INTO things VALUES ('p2', 'x', 'other', 'n', 'active', 1, '2027-01-01T00:00:00.000Z'), ('p2', 'y', 'other', 'n', 'ended', 1, '2027-01-01T00:00:00.000Z')").run();
    db.prepare("DELETE FROM things WHERE id IN ('id-00003', 'id-00008')").run();
    check();
    expect([count('p1', 'parent'), count('p1', 'other'), count('p2', 'other')]).toEqual([2, 1, 1]);
    // Another declaration under the same name (a changed condition) replaces the triggers and recounts.
    db.exec('DELETE FROM mock_counts');
    const ended = defineCounter({ name: active.countSql(['a', 'b']).match(/list = '([^']+)'/)![1]!, table: 'things', scope: ['project_id', 'parent_id'], where: (row) => `${row}.status = 'ended'`, whereColumns: ['status'] });
    ended.prepare(db);
    expect(db.prepare(`SELECT ${ended.countSql(["'p1'", "'parent'"])}`).pluck().get()).toBe(db.prepare("SELECT count(*) FROM things WHERE project_id = 'p1' AND parent_id = 'parent' AND status = 'ended'").pluck().get());
  });

  it('a list whose triggers are replaced leaves a counter alone whose name starts with the list\'s', () => {
    const db = tableWith(10);
    const name = `prefix_${n++}`;
    const triggers = () => db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name").pluck().all();
    defineList<Row>({ name, table: 'things', columns: 'id', scope: ['project_id'], pagination: 'meta' }).prepare(db);
    const sub = defineCounter({ name: `${name}_active`, table: 'things', scope: ['project_id'], where: (row) => `${row}.status = 'active'`, whereColumns: ['status'] });
    sub.prepare(db);
    const before = triggers().filter((t) => t.startsWith(`count_${name}_active_`));
    expect(before).toHaveLength(3);
    // The list's declaration changes (another build): its triggers are replaced, the counter's stay.
    defineList<Row>({ name, table: 'things', columns: 'id', scope: ['project_id', 'parent_id'], pagination: 'meta' }).prepare(db);
    expect(triggers().filter((t) => t.startsWith(`count_${name}_active_`))).toEqual(before);
    db.prepare("INSERT INTO things VALUES ('p1', 'z', 'parent', 'n', 'active', 1, '2027-01-01T00:00:00.000Z')").run();
    expect(db.prepare(`SELECT ${sub.countSql(["'p1'"])}`).pluck().get()).toBe(db.prepare("SELECT count(*) FROM things WHERE project_id = 'p1' AND status = 'active'").pluck().get());
  });

  it('the customers list: a page of an unfiltered list reads the counter, through create, delete, reset and restore', async () => {
    const app = await makeApp();
    const api = client(app);
    const admin = client(app, null);
    const total = async () => (await api.get('/api/v1/customers')).body.meta.total_count;
    const counter = () => app.db.prepare("SELECT n FROM mock_counts WHERE list = 'customers' AND scope = ?").pluck().get(demo.id);
    expect(await total()).toBe(seed.count('customers', demo.id));
    expect(counter()).toBe(seed.count('customers', demo.id));
    await admin.post('/__admin/snapshots', { name: 'before' });
    await api.post('/api/v1/customers', { customer: { name: 'New', external_customer_id: 'NEW-1' } });
    expect(await total()).toBe(seed.count('customers', demo.id) + 1);
    await api.delete(`/api/v1/customers/${ids.acme}`);
    await api.delete(`/api/v1/customers/${ids.globex}`);
    expect(await total()).toBe(seed.count('customers', demo.id) - 1);
    await admin.post('/__admin/snapshots/before/restore');
    expect(await total()).toBe(seed.count('customers', demo.id));
    await api.delete(`/api/v1/customers/${ids.acme}`);
    await admin.post('/__admin/reset');
    expect(await total()).toBe(seed.count('customers', demo.id));
    // Configs of a deleted customer go by cascade, and their counter with them.
    const configs = () => app.db.prepare("SELECT n FROM mock_counts WHERE list = 'customer_whatsapp_configs' AND scope = ?").pluck().get(`${demo.id}\u001f${ids.acme}`);
    expect(configs()).toBe(2);
    await api.delete(`/api/v1/customers/${ids.acme}`);
    expect(configs()).toBe(0);
  });
});

describe('every declared list', () => {
  it('is served by an index: no full scan and no sort, filtered or not', async () => {
    const app = await makeApp();
    expect(declaredLists.length).toBeGreaterThanOrEqual(4);
    for (const decl of declaredLists.filter((d) => !d.table.startsWith('things'))) {
      const alias = decl.alias ?? decl.table;
      const from = `${decl.table}${decl.alias ? ` ${decl.alias}` : ''}${decl.join ? ` ${decl.join}` : ''}`;
      const where = decl.scope.map((c) => `${alias}.${c} = ?`).join(' AND ');
      const order = `${alias}.${decl.order ?? 'created_at'}`;
      const plan = app.db.prepare(`EXPLAIN QUERY PLAN SELECT ${decl.columns} FROM ${from} WHERE ${where} ORDER BY ${order} DESC, ${alias}.id DESC LIMIT 20`)
        .all(...decl.scope.map(() => 'x')) as { detail: string }[];
      const text = plan.map((p) => p.detail).join('; ');
      expect(text, `${decl.name}: ${text}`).not.toMatch(new RegExp(`SCAN ${decl.alias ?? decl.table}\\b(?! USING)`));
      expect(text, `${decl.name}: ${text}`).not.toMatch(/TEMP B-TREE/);
    }
  });
});

describe('pagination styles', () => {
  const db = tableWith(45);
  const respond = async (pagination: Pagination, url: string) => {
    const things = list(pagination).prepare(db);
    const app = Fastify();
    app.get('/things', async (request, reply) => paginate(request, reply, things.page(['p1', 'parent'], request.query as Record<string, unknown>)));
    const res = await app.inject({ method: 'GET', url, headers: { host: 'mock.test:4400' } });
    await app.close();
    return { headers: res.headers, body: res.json() as { data: unknown[]; meta?: Record<string, number> } };
  };

  it('meta: the page in the body, no headers', async () => {
    const res = await respond('meta', '/things?page=2&per_page=10');
    expect(res.body.meta).toEqual({ page: 2, per_page: 10, total_pages: 3, total_count: 23 });
    expect(res.headers.total).toBeUndefined();
  });

  it('current_page: the setup links\' meta', async () => {
    const res = await respond('current_page', '/things');
    expect(res.body.meta).toEqual({ current_page: 1, per_page: 20, total_pages: 2, total_count: 23 });
  });

  it('headers: Total, Total-Pages, Per-Page, Page and an RFC 8288 Link that keeps the other parameters', async () => {
    const res = await respond('headers', '/things?q%5Bstatus_eq%5D=active&page=2&per_page=5');
    expect(res.body.meta).toBeUndefined();
    expect(res.body.data).toHaveLength(5);
    expect(res.headers).toMatchObject({ total: '11', 'total-pages': '3', 'per-page': '5', page: '2' });
    const base = 'http://mock.test:4400/things?q%5Bstatus_eq%5D=active';
    expect(res.headers.link).toBe([
      `<${base}&page=1&per_page=5>; rel="first"`,
      `<${base}&page=1&per_page=5>; rel="prev"`,
      `<${base}&page=3&per_page=5>; rel="next"`,
      `<${base}&page=3&per_page=5>; rel="last"`,
    ].join(', '));
  });

  it('headers on the last page and past it: no next; an empty set still has first and last', async () => {
    const last = await respond('headers', '/things?page=5&per_page=5');
    expect(last.headers.link).not.toContain('rel="next"');
    expect(last.headers.link).toContain('rel="prev"');
    const empty = await respond('headers', '/things?q%5Bstatus_eq%5D=nothing');
    expect(empty.headers).toMatchObject({ total: '0', 'total-pages': '0' });
    expect(empty.headers.link).toBe('<http://mock.test:4400/things?q%5Bstatus_eq%5D=nothing&page=1&per_page=20>; rel="first", <http://mock.test:4400/things?q%5Bstatus_eq%5D=nothing&page=1&per_page=20>; rel="last"');
  });

  it('both: headers and body meta', async () => {
    const res = await respond('both', '/things');
    expect(res.body.meta).toMatchObject({ page: 1, total_count: 23 });
    expect(res.headers.total).toBe('23');
  });
});
