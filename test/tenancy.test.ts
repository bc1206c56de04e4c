// Authentication and tenancy over every route of the generated document (docs/behaviour.md
// "Authentication and tenancy"): a bad key is 401 everywhere; another project's key on the
// Demo Project's IDs is 404 everywhere, indistinguishable from a missing ID, and writes nothing.
// A route added to the document without demo IDs for its path or a probe body fails here.
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderOpenApiYaml } from '../src/openapi.js';
import { client, DEMO_KEY, ids, makeApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';

type Json = Record<string, any>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  method: Method;
  /** The document's path template: /api/v1/customers/{customer_id}. */
  path: string;
  operationId: string;
  params: string[];
  hasBody: boolean;
  /** True for the PUT/PATCH twin the document leaves out (docs/behaviour.md "Transport"). */
  alias: boolean;
}

const doc = parse(await renderOpenApiYaml()) as Json;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const documented: Route[] = Object.entries<Json>(doc.paths)
  .filter(([path]) => path.startsWith('/api/v1/'))
  .flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((m) => ({
      method: m.toUpperCase() as Method,
      path,
      operationId: String(item[m].operationId),
      params: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!),
      hasBody: item[m].requestBody !== undefined,
      alias: false,
    })),
  );

// Both PUT and PATCH reach an update, though the document names one of them.
const routes: Route[] = documented.flatMap((route) => {
  if (route.method !== 'PUT' && route.method !== 'PATCH') return [route];
  const twin: Method = route.method === 'PUT' ? 'PATCH' : 'PUT';
  const documentedTwin = documented.some((r) => r.path === route.path && r.method === twin);
  return documentedTwin ? [route] : [route, { ...route, method: twin, alias: true }];
});

/**
 * The Demo Project's record for each path parameter, and how its absence is reported. A bare
 * `{id}` is named by the collection before it, so a new route reusing `{id}` is not filled blindly.
 */
const DEMO_PATH_IDS: Record<string, { id: string; notFound: string }> = {
  project_id: { id: ids.demoProject, notFound: 'Project not found' },
  customer_id: { id: ids.acme, notFound: 'Customer not found' },
  config_id: { id: ids.acmeSupport, notFound: 'WhatsApp configuration not found' },
  agent_id: { id: ids.supportAgent, notFound: 'Agent not found' },
  'agent_whatsapp_configs/{id}': { id: ids.supportSalesLink, notFound: 'Agent WhatsApp configuration not found' },
};

const paramKey = (path: string, param: string) => {
  if (param !== 'id') return param;
  const segments = path.split('/');
  return `${segments[segments.indexOf('{id}') - 1]}/{id}`;
};
const demoParam = (route: Route, param: string) => DEMO_PATH_IDS[paramKey(route.path, param)];

/** A body each write accepts from the Demo key, so a 404 from the other key is about tenancy, not input. */
const PROBE_BODIES: Record<string, unknown> = {
  createCustomer: { customer: { name: 'Tenancy Probe', external_customer_id: 'PROBE-1' } },
  updateCustomer: { customer: { name: 'Hijacked' } },
  createCustomerWhatsappConfig: {
    whatsapp_config: { name: 'Probe', phone_number_id: '19990001111', business_account_id: '1999', webhook_verify_token: 'probe', access_token: 'EAAGprobe' },
  },
  updateWhatsappConfig: { whatsapp_config: { name: 'Hijacked', access_token: 'EAAGhijacked' } },
  createAgent: { agent: { name: 'Probe Agent' } },
  updateAgent: { agent: { name: 'Hijacked', system_prompt: 'Leak everything.' } },
  createAgentWhatsappConfig: { agent_whatsapp_config: { whatsapp_config_id: ids.globexOrders, is_primary: true } },
  updateAgentWhatsappConfig: { agent_whatsapp_config: { is_primary: true } },
};

/** Every record of the Demo Project: none may appear in what another key sees. */
const DEMO_IDS = [
  ids.demoProject, ids.acme, ids.globex, ids.initech, ids.acmeSupport, ids.acmeSales, ids.globexOrders, ids.initechDispatch,
  ids.supportAgent, ids.orderAgent, ids.supportPrimaryLink, ids.supportSalesLink, ids.orderLink,
];
const OTHER_IDS = [ids.otherProject, ids.umbrella, ids.umbrellaConfig, ids.otherAgent, ids.otherLink];

function urlFor(route: Route, fill: (param: string) => string): string {
  return route.path.replace(/\{([^}]+)\}/g, (_match, param: string) => encodeURIComponent(fill(param)));
}
const demoUrl = (route: Route) =>
  urlFor(route, (param) => {
    const mapped = demoParam(route, param);
    if (!mapped) throw new Error(`${route.method} ${route.path}: no demo ID for {${param}}; add it to DEMO_PATH_IDS`);
    return mapped.id;
  });
const missingUrl = (route: Route) => urlFor(route, () => MISSING_ID);
const bodyFor = (route: Route) => (route.hasBody ? PROBE_BODIES[route.operationId] : undefined);
const successStatus = (route: Route) => (route.method === 'POST' ? 201 : route.method === 'DELETE' ? 204 : 200);
const label = (route: Route) => `${route.method} ${route.path}${route.alias ? ' (alias)' : ''}`;
const cases = routes.map((route) => [label(route), route] as const);

let app: Awaited<ReturnType<typeof makeApp>>;
let api: Client;

beforeEach(async () => {
  app = await makeApp();
  api = client(app);
});

type Dump = Record<string, unknown[]>;

/**
 * Every row of every table, in a stable order: the whole state the API serves. Tables named
 * mock_* hold the mock's own control-plane data (snapshots), never API records, so they are left out.
 */
function dump(): Dump {
  const tables = app.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'mock\\_%' ESCAPE '\\' ORDER BY name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(
    tables.map((table) => {
      const columns = (app.db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => `"${c.name}"`);
      return [table, app.db.prepare(`SELECT * FROM "${table}" ORDER BY ${columns.join(', ')}`).all()];
    }),
  );
}

const call = (route: Route, url: string, opts: { key?: string | null; headers?: Record<string, string> } = {}) =>
  api.call(route.method, url, { ...opts, ...(bodyFor(route) !== undefined && { body: bodyFor(route) }) });

describe('the route table', () => {
  it('dumps the API tables', () => {
    expect(Object.keys(dump())).toEqual(expect.arrayContaining(['agent_whatsapp_configs', 'agents', 'customers', 'projects', 'whatsapp_configs']));
  });

  it('covers the operations of the generated document', () => {
    expect(documented.length).toBeGreaterThanOrEqual(20);
    expect(routes.some((r) => r.alias)).toBe(true);
    expect(new Set(documented.map((r) => r.operationId)).size).toBe(documented.length);
  });

  it('has a demo ID for every path parameter in the document', () => {
    const unmapped = routes.flatMap((route) => route.params.filter((p) => !demoParam(route, p)).map((p) => `${label(route)}: {${p}}`));
    expect(unmapped, 'add these path parameters to DEMO_PATH_IDS').toEqual([]);
  });

  it('has a probe body for every operation that takes one', () => {
    const missing = documented.filter((r) => r.hasBody && !(r.operationId in PROBE_BODIES)).map((r) => `${label(r)} (${r.operationId})`);
    expect(missing, 'add these operations to PROBE_BODIES').toEqual([]);
    const stale = Object.keys(PROBE_BODIES).filter((op) => !documented.some((r) => r.operationId === op && r.hasBody));
    expect(stale, 'PROBE_BODIES names operations the document no longer has').toEqual([]);
  });
});

describe.each(cases)('%s', (_label, route) => {
  describe('authentication', () => {
    it.each([
      ['without X-API-Key', null],
      ['with an empty key', ''],
      ['with an unknown key', 'kapso-unknown-key'],
      ['with a key that differs only in case', DEMO_KEY.toUpperCase()],
      ['with a key and trailing garbage', `${DEMO_KEY}x`],
    ])('answers 401 %s and changes nothing', async (_case, key) => {
      const before = dump();
      const res = await call(route, demoUrl(route), { key });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Invalid or missing API key' });
      expect(dump()).toEqual(before);
    });

    it.each(['X-API-KEY', 'x-api-key', 'X-Api-Key'])('accepts the header spelled %s', async (header) => {
      const res = await call(route, demoUrl(route), { key: null, headers: { [header]: DEMO_KEY } });
      expect(res.status).toBe(successStatus(route));
    });
  });

  describe("another project's key on the Demo Project's IDs", () => {
    if (route.params.length > 0) {
      it('answers 404, exactly as for a missing ID, and writes nothing', async () => {
        const before = dump();
        const res = await call(route, demoUrl(route), { key: OTHER_KEY });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: demoParam(route, route.params[0]!)!.notFound });
        for (const id of DEMO_IDS) expect(res.raw).not.toContain(id);
        expect(dump()).toEqual(before);

        const missing = await call(route, missingUrl(route), { key: OTHER_KEY });
        expect(missing.status).toBe(res.status);
        expect(missing.raw).toBe(res.raw);
        expect(dump()).toEqual(before);
      });

      it('the same request with the Demo key succeeds (the IDs and the body are valid)', async () => {
        const res = await call(route, demoUrl(route), { key: DEMO_KEY });
        expect(res.status).toBe(successStatus(route));
      });
    } else if (route.method === 'GET') {
      it("lists only the other project's own records and writes nothing", async () => {
        const before = dump();
        const res = await call(route, demoUrl(route), { key: OTHER_KEY });
        expect(res.status).toBe(200);
        expect(res.body.data.length).toBeGreaterThan(0);
        for (const item of res.body.data) expect(OTHER_IDS).toContain(item.id);
        for (const id of DEMO_IDS) expect(res.raw).not.toContain(id);
        expect(dump()).toEqual(before);
      });
    } else {
      it("creates the record in the caller's project and touches no other row", async () => {
        const before = dump();
        const res = await call(route, demoUrl(route), { key: OTHER_KEY });
        expect(res.status).toBe(201);
        for (const id of DEMO_IDS) expect(res.raw).not.toContain(id);
        const after = dump();
        const added: { table: string; row: Json }[] = [];
        for (const [table, rows] of Object.entries(after)) {
          const old = (before[table] ?? []).map((r) => JSON.stringify(r));
          const now = rows.map((r) => JSON.stringify(r));
          // Every row that was there is still there, unchanged.
          expect(old.filter((r) => !now.includes(r)), `${table}: rows changed or removed`).toEqual([]);
          for (const row of rows.filter((_r, i) => !old.includes(now[i]!))) added.push({ table, row: row as Json });
        }
        expect(added).toHaveLength(1);
        expect(added[0]!.row.id).toBe(res.body.data.id);
        expect(added[0]!.row.project_id).toBe(ids.otherProject);
        expect((await api.call('GET', `${demoUrl(route)}/${res.body.data.id}`, { key: DEMO_KEY })).status).toBe(404);
      });
    }
  });
});
