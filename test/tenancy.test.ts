// Authentication and tenancy over every operation of the document (docs/behaviour.md "Authentication
// and tenancy"): a bad key is 401 everywhere; another project's key on the Demo Project's IDs is
// 404 everywhere, indistinguishable from a missing ID, and writes nothing. An operation added to
// the document without a kind for its path parameters or a probe body fails here.
import { beforeEach, describe, expect, it } from 'vitest';
import { client, DEMO_KEY, MISSING_ID, OTHER_KEY, sharedApp, type Client } from './helpers/app.js';
import { fillPath, KINDS, label, operations, readBackUrl, seededUrl, type Json, type Operation } from './helpers/operations.js';
import { demo, other, seed } from './helpers/seed.js';

const documented = operations.filter((op) => !op.alias);
const cases = operations.map((op) => [label(op), op] as const);

/** Every record of the Demo Project: none may appear in what another key sees. */
const DEMO_IDS = seed.allIds(demo.id);
const OTHER_IDS = seed.allIds(other.id);

const missingUrl = (op: Operation) => fillPath(op, () => MISSING_ID);
/** The operation's probe body as text, and the same with every Demo Project ID replaced by the missing one. */
const probeText = (op: Operation) => JSON.stringify(op.data.probe ?? null);
const namesDemoRecord = (op: Operation) => DEMO_IDS.some((id) => probeText(op).includes(id));
const probeWithMissingIds = (op: Operation) => JSON.parse(DEMO_IDS.reduce((text, id) => text.split(id).join(MISSING_ID), probeText(op))) as unknown;
const notFoundOf = (op: Operation) => op.data.notFound ?? KINDS[op.kinds[0]!].notFound;

// One app for the file, back to its fixtures before each test.
const shared = sharedApp();
let api: Client;
beforeEach(() => {
  api = client(shared.app);
});

const dump = () => shared.app.state.dump();
const call = (op: Operation, url: string, opts: { key?: string | null; headers?: Record<string, string> } = {}) =>
  api.call(op.method, url, { ...opts, ...(op.bodySchema !== undefined && { body: op.data.probe }) });

describe('the operation table', () => {
  it('dumps the API tables', () => {
    expect(Object.keys(dump())).toEqual(expect.arrayContaining(['agent_whatsapp_configs', 'agents', 'customers', 'projects', 'whatsapp_configs']));
  });

  it('covers the operations of the document', () => {
    expect(documented.length).toBeGreaterThanOrEqual(20);
    expect(operations.some((op) => op.alias)).toBe(true);
    expect(new Set(documented.map((op) => op.operationId)).size).toBe(documented.length);
  });

  it('names the kind of record of every path parameter, with a seeded record for it', () => {
    const unmapped = operations.flatMap((op) => op.params.filter((_p, i) => op.kinds[i] === undefined).map((p) => `${label(op)}: {${p}}`));
    expect(unmapped, 'name these path parameters in the families\' tables (test/operations/)').toEqual([]);
    for (const op of operations) expect(() => seededUrl(op, demo.id)).not.toThrow();
  });

  it('has a probe body for every operation that takes one', () => {
    const missing = documented.filter((op) => op.bodySchema !== undefined && op.data.probe === undefined).map((op) => `${label(op)} (${op.operationId})`);
    expect(missing, 'add a probe body to these operations in test/operations/').toEqual([]);
    const stale = documented.filter((op) => op.bodySchema === undefined && op.data.probe !== undefined).map((op) => op.operationId);
    expect(stale, 'these probe bodies belong to operations that take no body').toEqual([]);
  });
});

describe.each(cases)('%s', (_label, op) => {
  describe('authentication', () => {
    it.each([
      ['without X-API-Key', null],
      ['with an empty key', ''],
      ['with an unknown key', 'kapso-unknown-key'],
      ['with a key that differs only in case', DEMO_KEY.toUpperCase()],
      ['with a key and trailing garbage', `${DEMO_KEY}x`],
    ])('answers 401 %s and changes nothing', async (_case, key) => {
      const before = dump();
      const res = await call(op, seededUrl(op, demo.id), { key });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Invalid or missing API key' });
      expect(dump()).toEqual(before);
    });

    it.each(['X-API-KEY', 'x-api-key', 'X-Api-Key'])('accepts the header spelled %s', async (header) => {
      const res = await call(op, seededUrl(op, demo.id), { key: null, headers: { [header]: DEMO_KEY } });
      expect(res.status).toBe(op.success);
    });
  });

  describe("another project's key on the Demo Project's IDs", () => {
    if (op.params.length > 0) {
      it('answers 404, exactly as for a missing ID, and writes nothing', async () => {
        const before = dump();
        const res = await call(op, seededUrl(op, demo.id), { key: OTHER_KEY });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: notFoundOf(op) });
        for (const id of DEMO_IDS) expect(res.raw).not.toContain(id);
        expect(dump()).toEqual(before);

        const missing = await call(op, missingUrl(op), { key: OTHER_KEY });
        expect(missing.status).toBe(res.status);
        expect(missing.raw).toBe(res.raw);
        expect(dump()).toEqual(before);
      });

      it('the same request with the Demo key succeeds (the IDs and the body are valid)', async () => {
        const res = await call(op, seededUrl(op, demo.id), { key: DEMO_KEY });
        expect(res.status).toBe(op.success);
      });
    } else if (op.method === 'GET') {
      it("lists only the other project's own records and writes nothing", async () => {
        const before = dump();
        const res = await call(op, seededUrl(op, demo.id), { key: OTHER_KEY });
        expect(res.status).toBe(200);
        expect(res.body.data.length).toBeGreaterThan(0);
        for (const item of res.body.data) expect(OTHER_IDS).toContain(item.id);
        for (const id of DEMO_IDS) expect(res.raw).not.toContain(id);
        expect(dump()).toEqual(before);
      });
    } else if (op.data.references !== undefined) {
      const kind = op.data.references;
      it(`answers the ${kind} 404 for the Demo Project's record the body names, and writes nothing`, async () => {
        const before = dump();
        const res = await call(op, seededUrl(op, demo.id), { key: OTHER_KEY });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: KINDS[kind].notFound });
        expect(dump()).toEqual(before);
      });

      it('the same request with the Demo key succeeds (the body is valid)', async () => {
        const res = await call(op, seededUrl(op, demo.id), { key: DEMO_KEY });
        expect(res.status).toBe(op.success);
      });
    } else if (namesDemoRecord(op)) {
      // A body that references a record (sandbox session's agent_id): another project's record
      // is refused exactly as a missing one is.
      it("refuses a body naming the Demo Project's records exactly as one naming a missing record, and writes nothing", async () => {
        const before = dump();
        const url = seededUrl(op, demo.id);
        const res = await call(op, url, { key: OTHER_KEY });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        for (const id of DEMO_IDS) expect(res.raw).not.toContain(id);
        const missing = await api.call(op.method, url, { key: OTHER_KEY, body: probeWithMissingIds(op) });
        expect(missing.status).toBe(res.status);
        expect(missing.raw).toBe(res.raw);
        expect(dump()).toEqual(before);
      });

      it('the same request with the Demo key succeeds (the IDs and the body are valid)', async () => {
        const res = await call(op, seededUrl(op, demo.id), { key: DEMO_KEY });
        expect(res.status).toBe(op.success);
      });
    } else {
      it("creates the record in the caller's project and touches no other row", async () => {
        const before = dump();
        const res = await call(op, seededUrl(op, demo.id), { key: OTHER_KEY });
        expect(res.status).toBe(op.success);
        for (const id of DEMO_IDS) expect(res.raw).not.toContain(id);
        const after = dump();
        const added: { table: string; row: Json }[] = [];
        const touches = new Set(op.data.touches ?? []);
        for (const [table, rows] of Object.entries(after)) {
          const old = (before[table] ?? []).map((r) => JSON.stringify(r));
          const now = rows.map((r) => JSON.stringify(r));
          const gone = (before[table] ?? []).filter((_r, i) => !now.includes(old[i]!)) as Json[];
          // Every row that was there is still there, unchanged (in the tables the operation touches, only the caller's rows may change).
          if (touches.has(table)) expect(gone.filter((r) => r.project_id !== other.id), `${table}: rows of another project changed or removed`).toEqual([]);
          else expect(gone, `${table}: rows changed or removed`).toEqual([]);
          for (const row of rows.filter((_r, i) => !old.includes(now[i]!))) added.push({ table, row: row as Json });
        }
        const created = added.filter((a) => a.row.id === res.body.data.id);
        expect(created).toHaveLength(1);
        expect(added.filter((a) => a !== created[0] && !touches.has(a.table)), 'rows added outside the tables the operation touches').toEqual([]);
        for (const a of added) expect(a.row.project_id).toBe(other.id);
        expect((await api.call('GET', readBackUrl(op, seededUrl(op, demo.id), res.body.data.id), { key: DEMO_KEY })).status).toBe(404);
      });
    }
  });
});
