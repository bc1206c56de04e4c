// Issue 4, item 3: crash safety. The real server on a file database takes a write load from
// many clients; it is killed with SIGKILL in the middle and restarted on the same file, twice.
// It must start, pass SQLite's integrity checks, keep the invariants, and hold every write
// that was acknowledged with a 2xx before the kill.
//
// Each client owns its records (names carry its tag), sends one request at a time and keeps
// a model of what the server acknowledged. At the kill, a client has at most one request
// without an answer: its records must then be either as acknowledged, or as acknowledged plus
// that one request. Nothing else is allowed.
import http from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_KEY } from '../helpers/app.js';
import { Findings, violationsOf } from './helpers/check.js';
import { checkDatabase } from './helpers/db.js';
import { figure, send, sleep } from './helpers/http.js';
import { spawnServer, tempDir } from './helpers/server.js';
import { SEED } from './helpers/knobs.js';

const WORKERS = 24;
/** The kill comes after this many acknowledged writes in the cycle (or LOAD_MS, whichever is first). */
const ACKS_BEFORE_KILL = 600;
const LOAD_MS = 4_000;
const CYCLES = 2;

const headers = { 'x-api-key': DEMO_KEY, 'content-type': 'application/json' };

/** What one client believes is stored, by natural keys (server IDs are not known for unacknowledged creates). */
interface State {
  customers: Record<string, { name: string }>;
  configs: Record<string, { customer: string }>;
  agents: Record<string, true>;
  /** `${agentName}|${phone}` -> is_primary */
  links: Record<string, boolean>;
}

interface Step { op: number; a: number; b: number; flag: boolean }
const stepArb: fc.Arbitrary<Step> = fc.record({ op: fc.nat({ max: 99 }), a: fc.nat(), b: fc.nat(), flag: fc.boolean() });

interface Client {
  tag: string;
  state: State;
  /** The state if the unanswered request (if any) was applied. */
  pending?: State;
  pendingLabel?: string;
  ids: Record<string, string>;
  acks: number;
  steps: Step[];
}

const clone = (s: State): State => JSON.parse(JSON.stringify(s)) as State;
const emptyState = (): State => ({ customers: {}, configs: {}, agents: {}, links: {} });

/** The next request of a client and the state it leads to, or undefined when the step does not apply. */
function plan(c: Client, step: Step, n: number): { method: string; path: string; body?: unknown; label: string; after: State; remember?: string } | undefined {
  const s = c.state;
  const after = clone(s);
  const pick = <T>(xs: T[], k: number): T | undefined => (xs.length ? xs[k % xs.length] : undefined);
  const customers = Object.keys(s.customers);
  const configs = Object.keys(s.configs);
  const agents = Object.keys(s.agents);
  const links = Object.keys(s.links);
  const op = step.op;
  if (op < 15 || customers.length === 0) {
    const ext = `${c.tag}-c${n}`;
    after.customers[ext] = { name: `name-${n}` };
    return { method: 'POST', path: '/api/v1/customers', body: { customer: { name: `name-${n}`, external_customer_id: ext } }, label: `create customer ${ext}`, after, remember: ext };
  }
  if (op < 30) {
    const ext = pick(customers, step.a)!;
    after.customers[ext] = { name: `name-${n}` };
    return { method: step.flag ? 'PATCH' : 'PUT', path: `/api/v1/customers/${c.ids[ext]}`, body: { customer: { name: `name-${n}` } }, label: `rename ${ext}`, after };
  }
  if (op < 48) {
    const ext = pick(customers, step.a)!;
    const phone = `${c.tag.replace(/\D/g, '')}${String(n).padStart(5, '0')}`;
    after.configs[phone] = { customer: ext };
    return {
      method: 'POST', path: `/api/v1/customers/${c.ids[ext]}/whatsapp_configs`, label: `create config ${phone}`, after, remember: phone,
      body: { whatsapp_config: { name: `line-${n}`, phone_number_id: phone, business_account_id: '1', webhook_verify_token: 'v', access_token: `secret-${n}` } },
    };
  }
  if (op < 58 || agents.length === 0) {
    const name = `${c.tag}-a${n}`;
    after.agents[name] = true;
    return { method: 'POST', path: '/api/v1/agents', body: { agent: { name } }, label: `create agent ${name}`, after, remember: name };
  }
  if (op < 75) {
    const agent = pick(agents, step.a)!;
    const phone = pick(configs.filter((p) => after.links[`${agent}|${p}`] === undefined), step.b);
    if (!phone) return undefined;
    if (step.flag) for (const k of links) if (k.startsWith(`${agent}|`)) after.links[k] = false;
    after.links[`${agent}|${phone}`] = step.flag;
    return {
      method: 'POST', path: `/api/v1/agents/${c.ids[agent]}/agent_whatsapp_configs`, label: `link ${agent} ${phone}`, after, remember: `${agent}|${phone}`,
      body: { agent_whatsapp_config: { whatsapp_config_id: c.ids[phone], is_primary: step.flag } },
    };
  }
  if (op < 90) {
    const key = pick(links, step.a);
    if (!key) return undefined;
    const [agent] = key.split('|') as [string];
    if (step.flag) for (const k of links) if (k.startsWith(`${agent}|`)) after.links[k] = false;
    after.links[key] = step.flag;
    return { method: 'PUT', path: `/api/v1/agents/${c.ids[agent]}/agent_whatsapp_configs/${c.ids[key]}`, body: { agent_whatsapp_config: { is_primary: step.flag } }, label: `set primary ${key} ${step.flag}`, after };
  }
  if (op < 96) {
    const key = pick(links, step.a);
    if (!key) return undefined;
    delete after.links[key];
    return { method: 'DELETE', path: `/api/v1/agents/${c.ids[key.split('|')[0]!]}/agent_whatsapp_configs/${c.ids[key]}`, label: `unlink ${key}`, after };
  }
  const ext = pick(customers, step.a)!;
  delete after.customers[ext];
  for (const [phone, cfg] of Object.entries(s.configs)) {
    if (cfg.customer !== ext) continue;
    delete after.configs[phone];
    for (const k of Object.keys(after.links)) if (k.endsWith(`|${phone}`)) delete after.links[k];
  }
  return { method: 'DELETE', path: `/api/v1/customers/${c.ids[ext]}`, label: `delete customer ${ext}`, after };
}

const findings = new Findings();

async function load(base: string, clients: Client[]): Promise<{ acks: number; sent: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
  let acks = 0;
  let sent = 0;
  let stop = false;
  await Promise.all(clients.map(async (c) => {
    let n = 0;
    for (const step of c.steps) {
      if (stop) break;
      const next = plan(c, step, n++);
      if (!next) continue;
      c.pending = next.after;
      c.pendingLabel = next.label;
      sent++;
      const r = await send(base, next.method, next.path, { headers, agent, ...(next.body !== undefined && { body: JSON.stringify(next.body) }) });
      if (r.status === undefined) {
        stop = true; // the server is gone: this request stays pending
        break;
      }
      const x = { method: r.method, url: r.path, status: r.status, headers: r.headers ?? {}, raw: r.raw ?? '' };
      findings.record(x, violationsOf(x), `${next.label}: ${r.method} ${r.path}`);
      if (r.status >= 200 && r.status < 300) {
        c.state = next.after;
        c.acks++;
        acks++;
        if (next.remember && r.status === 201) c.ids[next.remember] = (JSON.parse(r.raw!) as { data: { id: string } }).data.id;
      } else {
        findings.add(`crash-safety load: ${next.label.split(' ').slice(0, 2).join(' ')} -> ${r.status}`, `${next.label}: ${r.raw?.slice(0, 200)}`);
      }
      c.pending = undefined;
      c.pendingLabel = undefined;
    }
  }));
  agent.destroy();
  return { acks, sent };
}

/** What the server holds for one client, read through the API. */
async function actualState(base: string, tag: string, all: { customers: { id: string; name: string; external_customer_id: string }[]; agents: { id: string; name: string }[] }): Promise<State> {
  const s = emptyState();
  const phoneOf = new Map<string, string>();
  for (const cust of all.customers.filter((x) => x.external_customer_id.startsWith(`${tag}-`))) {
    s.customers[cust.external_customer_id] = { name: cust.name };
    for (let page = 1; ; page++) {
      const r = await send(base, 'GET', `/api/v1/customers/${cust.id}/whatsapp_configs?per_page=100&page=${page}`, { headers });
      const body = JSON.parse(r.raw!) as { data: { id: string; phone_number_id: string }[]; meta: { total_pages: number } };
      for (const cfg of body.data) {
        s.configs[cfg.phone_number_id] = { customer: cust.external_customer_id };
        phoneOf.set(cfg.id, cfg.phone_number_id);
      }
      if (page >= body.meta.total_pages) break;
    }
  }
  for (const a of all.agents.filter((x) => x.name.startsWith(`${tag}-`))) {
    s.agents[a.name] = true;
    const r = await send(base, 'GET', `/api/v1/agents/${a.id}/agent_whatsapp_configs`, { headers });
    for (const l of (JSON.parse(r.raw!) as { data: { is_primary: boolean; whatsapp_config: { id: string; phone_number_id: string } }[] }).data) {
      s.links[`${a.name}|${l.whatsapp_config.phone_number_id}`] = l.is_primary;
    }
  }
  return s;
}

const canonical = (s: State) => JSON.stringify(s, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));

describe('item 3: SIGKILL in the middle of a write load', () => {
  it(`${CYCLES} kill-and-restart cycles on one file: it starts, checks pass, every acknowledged write is there`, async () => {
    const dbPath = join(tempDir(), 'crash.db');
    const problems: string[] = [];
    const everyone: Client[] = [];
    const stepsPerClient = 400;
    const plans = fc.sample(fc.array(stepArb, { minLength: stepsPerClient, maxLength: stepsPerClient }), { numRuns: WORKERS * CYCLES, seed: SEED });
    let server = await spawnServer({ KAPSO_MOCK_DB: dbPath });
    const cycles: Record<string, unknown>[] = [];

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const clients: Client[] = Array.from({ length: WORKERS }, (_, w) => ({
        tag: `k${cycle}w${w}`, state: emptyState(), ids: {}, acks: 0, steps: plans[(cycle - 1) * WORKERS + w]!,
      }));
      everyone.push(...clients);
      const started = Date.now();
      const loading = load(server.url, clients);
      // Kill in the middle of the load: after enough acknowledged writes, or at the latest after LOAD_MS.
      while (Date.now() - started < LOAD_MS && clients.reduce((n, c) => n + c.acks, 0) < ACKS_BEFORE_KILL) await sleep(5);
      const killedAt = Date.now();
      server.child.kill('SIGKILL');
      const exit = await server.exited;
      const { acks, sent } = await loading;
      const pending = clients.filter((c) => c.pending).length;

      const restartAt = Date.now();
      server = await spawnServer({ KAPSO_MOCK_DB: dbPath }); // it starts (or this throws with its output)
      const restartMs = Date.now() - restartAt;

      // SQLite's own checks and the invariants, on a second connection beside the restarted server.
      const db = new Database(dbPath, { readonly: true });
      const report = checkDatabase(db);
      db.close();
      problems.push(...report.problems.map((p) => `after kill ${cycle}: ${p}`));

      // Every client of every cycle so far: acknowledged state, or acknowledged plus the one unanswered request.
      const customers: { id: string; name: string; external_customer_id: string }[] = [];
      for (let page = 1; ; page++) {
        const r = await send(server.url, 'GET', `/api/v1/customers?per_page=100&page=${page}`, { headers });
        const body = JSON.parse(r.raw!) as { data: typeof customers; meta: { total_pages: number } };
        customers.push(...body.data);
        if (page >= body.meta.total_pages) break;
      }
      const agents = (JSON.parse((await send(server.url, 'GET', '/api/v1/agents', { headers })).raw!) as { data: { id: string; name: string }[] }).data;
      let pendingApplied = 0;
      for (const c of everyone) {
        const actual = canonical(await actualState(server.url, c.tag, { customers, agents }));
        if (actual === canonical(c.state)) continue;
        if (c.pending && actual === canonical(c.pending)) {
          pendingApplied++;
          continue;
        }
        problems.push(`after kill ${cycle}: client ${c.tag} (${c.acks} acknowledged writes, unanswered: ${c.pendingLabel ?? 'none'}) holds ${actual.slice(0, 300)}, expected ${canonical(c.state).slice(0, 300)}`);
      }
      // Settled requests of this cycle can no longer be pending for the next one.
      for (const c of clients) if (c.pending && canonical(c.pending) !== canonical(c.state)) {
        const actual = canonical(await actualState(server.url, c.tag, { customers, agents }));
        if (actual === canonical(c.pending)) c.state = c.pending;
        c.pending = undefined;
      }
      cycles.push({
        cycle, sent, acknowledged: acks, killedAfterMs: killedAt - started, exit: exit.signal, unanswered: pending, unansweredApplied: pendingApplied,
        restartMs, rows: report.counts,
      });
    }
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);

    figure('item 3 cycles', cycles);
    figure('item 3 totals', { clients: everyone.length, requests: findings.requests, statuses: findings.statusLine(), generatedSteps: WORKERS * CYCLES * stepsPerClient });
    for (const line of findings.summary()) console.log(`  FINDING ${line}`);
    expect(problems).toEqual([]);
    expect(findings.summary()).toEqual([]);
    // The kill really came in the middle of the load.
    for (const c of cycles) expect(c.unanswered as number).toBeGreaterThan(0);
  });
});
