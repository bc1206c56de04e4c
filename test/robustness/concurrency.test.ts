// Issue 4, item 2: hundreds of concurrent mixed requests over real HTTP against the real
// server process (create configs, link, set and unset primary, delete links, delete configs,
// delete customers, list) on agents they all share. No 5xx, every response in the contract, and
// at the end: zero or one primary per agent, no orphan links, SQLite's checks pass, and the
// final state agrees with every acknowledged write (a link acknowledged as created exists unless
// it, its config or its customer was acknowledged as deleted; an acknowledged delete stays deleted).
import http from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_KEY } from '../helpers/app.js';
import { Findings, violationsOf } from './helpers/check.js';
import { checkDatabase } from './helpers/db.js';
import { figure, percentile, send, type WireResult } from './helpers/http.js';
import { ids } from './helpers/routes.js';
import { spawnServer, tempDir } from './helpers/server.js';
import { SCALE, SEED } from './helpers/knobs.js';

const OPS = Math.round(500 * SCALE);
const IN_FLIGHT = 200;
const RUNS = 2;

type Kind = 'link' | 'setPrimary' | 'unsetPrimary' | 'deleteLink' | 'deleteConfig' | 'createConfig' | 'deleteCustomer' | 'list';
interface Op { kind: Kind; a: number; b: number; primary: boolean; method: 'PUT' | 'PATCH' }

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.oneof(
    { weight: 30, arbitrary: fc.constant<Kind>('link') },
    { weight: 30, arbitrary: fc.constant<Kind>('setPrimary') },
    { weight: 8, arbitrary: fc.constant<Kind>('unsetPrimary') },
    { weight: 8, arbitrary: fc.constant<Kind>('deleteLink') },
    { weight: 3, arbitrary: fc.constant<Kind>('deleteConfig') },
    { weight: 12, arbitrary: fc.constant<Kind>('createConfig') },
    { weight: 1, arbitrary: fc.constant<Kind>('deleteCustomer') },
    { weight: 6, arbitrary: fc.constant<Kind>('list') },
  ),
  a: fc.nat(),
  b: fc.nat(),
  primary: fc.boolean(),
  method: fc.constantFrom('PUT', 'PATCH'),
});

const headers = { 'x-api-key': DEMO_KEY, 'content-type': 'application/json' };
const totals = { runs: 0, requests: 0, inFlightMax: 0 };

interface Model {
  customers: string[];
  /** Customers created for the run, the only ones deleteCustomer picks (the seeded ones keep the rest busy). */
  doomed: string[];
  /** Every config and link ever acknowledged (for the final check). */
  configs: { id: string; customer: string }[];
  agents: string[];
  links: { id: string; agent: string; config: string }[];
  /** IDs acknowledged as deleted: targets are picked among the others (races still reach deleted ones). */
  dead: Set<string>;
}

async function setup(base: string, agent: http.Agent, tag: string): Promise<Model> {
  const post = async (path: string, body: unknown) => {
    const r = await send(base, 'POST', path, { headers, body: JSON.stringify(body), agent });
    if (r.status !== 201) throw new Error(`setup ${path} -> ${r.status} ${r.raw}`);
    return (JSON.parse(r.raw!) as { data: { id: string } }).data.id;
  };
  const doomed = [
    await post('/api/v1/customers', { customer: { name: `Doomed ${tag}-a`, external_customer_id: `DOOMED-${tag}-A` } }),
    await post('/api/v1/customers', { customer: { name: `Doomed ${tag}-b`, external_customer_id: `DOOMED-${tag}-B` } }),
  ];
  const customers: string[] = [ids.acme, ids.globex, ids.initech, ...doomed];
  const agents: string[] = [ids.supportAgent, ids.orderAgent];
  for (let i = 0; i < 3; i++) agents.push(await post('/api/v1/agents', { agent: { name: `Shared ${tag}-${i}` } }));
  const configs: { id: string; customer: string }[] = [
    { id: ids.acmeSupport, customer: ids.acme }, { id: ids.acmeSales, customer: ids.acme },
    { id: ids.globexOrders, customer: ids.globex }, { id: ids.initechDispatch, customer: ids.initech },
  ];
  for (let i = 0; i < 12; i++) {
    const customer = customers[i % customers.length]!;
    const id = await post(`/api/v1/customers/${customer}/whatsapp_configs`, {
      whatsapp_config: { name: `Line ${tag}-${i}`, phone_number_id: `7${tag}${String(i).padStart(4, '0')}`, business_account_id: '1', webhook_verify_token: 'v' },
    });
    configs.push({ id, customer });
  }
  const links: { id: string; agent: string; config: string }[] = [
    { id: ids.supportPrimaryLink, agent: ids.supportAgent, config: ids.acmeSupport },
    { id: ids.supportSalesLink, agent: ids.supportAgent, config: ids.acmeSales },
    { id: ids.orderLink, agent: ids.orderAgent, config: ids.globexOrders },
  ];
  // Every agent starts with a few links to fight over.
  for (const [i, c] of configs.slice(4).entries()) {
    for (const a of [agents[i % agents.length]!, agents[(i + 2) % agents.length]!]) {
      const id = await post(`/api/v1/agents/${a}/agent_whatsapp_configs`, { agent_whatsapp_config: { whatsapp_config_id: c.id, is_primary: i % 3 === 0 } });
      links.push({ id, agent: a, config: c.id });
    }
  }
  return { customers, doomed, configs, agents, links, dead: new Set() };
}

interface Done { op: Op; target: Record<string, string>; result: WireResult }

async function storm(base: string, agent: http.Agent, model: Model, ops: Op[], tag: string): Promise<{ done: Done[]; maxInFlight: number }> {
  const done: Done[] = [];
  let next = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let created = 0;
  const pick = <T extends string | { id: string }>(list: T[], n: number): T => {
    const live = list.filter((x) => !model.dead.has(typeof x === 'string' ? x : x.id));
    const from = live.length > 0 ? live : list;
    return from[n % from.length]!;
  };
  const worker = async () => {
    while (next < ops.length) {
      const op = ops[next++]!;
      let method = 'GET';
      let path = '';
      let body: unknown;
      const target: Record<string, string> = {};
      // Targets are chosen when the request leaves, from everything known so far (acknowledged or not).
      switch (op.kind) {
        case 'link': {
          target.agent = pick(model.agents, op.a);
          target.config = pick(model.configs, op.b).id;
          method = 'POST';
          path = `/api/v1/agents/${target.agent}/agent_whatsapp_configs`;
          body = { agent_whatsapp_config: { whatsapp_config_id: target.config, ...(op.primary && { is_primary: true }) } };
          break;
        }
        case 'setPrimary':
        case 'unsetPrimary': {
          const link = pick(model.links, op.a);
          Object.assign(target, { link: link.id, agent: link.agent });
          method = op.method;
          path = `/api/v1/agents/${link.agent}/agent_whatsapp_configs/${link.id}`;
          body = { agent_whatsapp_config: { is_primary: op.kind === 'setPrimary' } };
          break;
        }
        case 'deleteLink': {
          const link = pick(model.links, op.a);
          Object.assign(target, { link: link.id, agent: link.agent });
          method = 'DELETE';
          path = `/api/v1/agents/${link.agent}/agent_whatsapp_configs/${link.id}`;
          break;
        }
        case 'deleteConfig': {
          // Rarer for the seeded configs, so links have something to hold on to.
          target.config = pick(model.configs, op.a).id;
          method = 'DELETE';
          path = `/api/v1/whatsapp_configs/${target.config}`;
          break;
        }
        case 'createConfig': {
          target.customer = pick(model.customers, op.a);
          method = 'POST';
          path = `/api/v1/customers/${target.customer}/whatsapp_configs`;
          body = { whatsapp_config: { name: `Storm ${tag}`, phone_number_id: `8${tag}${String(created++).padStart(5, '0')}`, business_account_id: '2', webhook_verify_token: 'v' } };
          break;
        }
        case 'deleteCustomer': {
          target.customer = pick(model.doomed, op.a);
          method = 'DELETE';
          path = `/api/v1/customers/${target.customer}`;
          break;
        }
        case 'list': {
          target.agent = pick(model.agents, op.a);
          path = `/api/v1/agents/${target.agent}/agent_whatsapp_configs`;
          break;
        }
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const result = await send(base, method, path, { headers, agent, ...(body !== undefined && { body: JSON.stringify(body) }) });
      inFlight--;
      done.push({ op, target, result });
      if (result.status === 201 && op.kind === 'link') {
        model.links.push({ id: (JSON.parse(result.raw!) as { data: { id: string } }).data.id, agent: target.agent!, config: target.config! });
      }
      if (result.status === 204) {
        const gone = target.link ?? target.config ?? target.customer!;
        model.dead.add(gone);
        for (const c of model.configs) if (c.customer === gone) model.dead.add(c.id);
        for (const l of model.links) if (model.dead.has(l.config)) model.dead.add(l.id);
      }
      if (result.status === 201 && op.kind === 'createConfig') {
        model.configs.push({ id: (JSON.parse(result.raw!) as { data: { id: string } }).data.id, customer: target.customer! });
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { done, maxInFlight };
}

describe('item 2: concurrent mixed requests on shared agents', () => {
  it(`${RUNS} runs of ${OPS} generated requests, up to ${IN_FLIGHT} in flight: no 5xx, one primary at most, no orphan, nothing acknowledged lost`, async () => {
    const findings = new Findings();
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: OPS, maxLength: OPS }), async (ops) => {
        const run = ++totals.runs;
        const dbPath = join(tempDir(), 'concurrency.db');
        const server = await spawnServer({ KAPSO_MOCK_DB: dbPath });
        const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
        try {
          const model = await setup(server.url, agent, String(run));
          const initialLinks = model.links.length;
          const started = Date.now();
          const { done, maxInFlight } = await storm(server.url, agent, model, ops, String(run));
          const ms = Date.now() - started;
          totals.requests += done.length;
          totals.inFlightMax = Math.max(totals.inFlightMax, maxInFlight);

          for (const { result } of done) {
            if (result.status === undefined) {
              findings.add(`${result.method} ${result.path.replace(/[0-9a-f-]{36}/g, '{id}')}: no response (${result.error})`, result.path);
              continue;
            }
            const x = { method: result.method, url: result.path, status: result.status, headers: result.headers ?? {}, raw: result.raw ?? '' };
            findings.record(x, violationsOf(x), `${result.method} ${result.path}`);
          }

          // The API's view, while the server still runs.
          for (const a of model.agents) {
            const r = await send(server.url, 'GET', `/api/v1/agents/${a}/agent_whatsapp_configs`, { headers, agent });
            const primaries = (JSON.parse(r.raw!) as { data: { is_primary: boolean }[] }).data.filter((l) => l.is_primary).length;
            if (primaries > 1) problems.push(`run ${run}: the API lists ${primaries} primary links for agent ${a}`);
          }
          agent.destroy();
          server.child.kill('SIGTERM');
          const exit = await server.exited;
          if (exit.code !== 0) problems.push(`run ${run}: exit code ${exit.code} after SIGTERM`);

          // The database's view, after a clean shutdown.
          const db = new Database(dbPath, { readonly: true });
          try {
            const report = checkDatabase(db);
            problems.push(...report.problems.map((p) => `run ${run}: ${p}`));
            const exists = (table: string, id: string) => db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
            const ok = (kind: Kind, key: string, value: string) =>
              done.some((d) => d.op.kind === kind && d.target[key] === value && d.result.status === 204);
            const configCustomer = new Map(model.configs.map((c) => [c.id, c.customer]));
            for (const link of model.links) {
              const gone = ok('deleteLink', 'link', link.id) || ok('deleteConfig', 'config', link.config)
                || ok('deleteCustomer', 'customer', configCustomer.get(link.config) ?? '');
              if (!gone && !exists('agent_whatsapp_configs', link.id)) problems.push(`run ${run}: acknowledged link ${link.id} is missing`);
              if (ok('deleteLink', 'link', link.id) && exists('agent_whatsapp_configs', link.id)) problems.push(`run ${run}: link ${link.id} deleted (204) but still there`);
            }
            for (const c of model.configs) {
              const gone = ok('deleteConfig', 'config', c.id) || ok('deleteCustomer', 'customer', c.customer);
              if (gone === exists('whatsapp_configs', c.id)) problems.push(`run ${run}: config ${c.id} ${gone ? 'deleted (204) but still there' : 'acknowledged but missing'}`);
            }
            const byKind: Record<string, string> = {};
            for (const d of done) byKind[d.op.kind] = `${byKind[d.op.kind] ?? ''}${d.result.status ?? 'x'} `;
            const summary = Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, Object.entries(v.trim().split(' ').reduce<Record<string, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {})).map(([s, n]) => `${s}:${n}`).join(' ')]));
            const latencies = done.filter((d) => d.result.doneAt).map((d) => d.result.doneAt! - d.result.sentAt);
            figure(`item 2 run ${run}`, {
              requests: done.length, wallMs: ms, maxInFlight, p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99),
              linksCreated: model.links.length - initialLinks, rows: report.counts, statusesByKind: summary,
            });
          } finally {
            db.close();
          }
        } finally {
          agent.destroy();
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    figure('item 2 totals', { ...totals, statuses: findings.statusLine() });
    for (const line of findings.summary()) console.log(`  FINDING ${line}`);
    expect(findings.summary()).toEqual([]);
    expect(problems).toEqual([]);
    expect(totals.inFlightMax).toBeGreaterThanOrEqual(100);
  });
});
