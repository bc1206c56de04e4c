// As the data grows: the cost of a page, a lookup and a list at 1k, 100k and 1M rows, start-up on
// a file database of 1M messages, a reset while another project holds 1M rows, snapshot and restore
// with 100k rows, and resident memory. See docs/benchmark.md "As the data grows". Run alone:
// npx tsx bench/growth.ts (after npm run build; BENCH_ENTRY=dist/other.js runs another build).
//
// The data is generated into bench/tmp/db (gitignored): kapso-mock creates the database (its own
// migrations, counters' triggers and the bundled fixtures) and loads three empty fixture projects,
// then the benchmark inserts the rows with plain SQLite statements, in one transaction per table
// (the triggers keep the list counters right). The generated file is kept and copied for each run;
// BENCH_GROWTH_REGENERATE=1 makes it anew.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeCursor } from '../src/lib/list-query.js';
import { removeDb, TMP } from './fixtures.js';
import { expectStatus, measure, type Measurement, type Plan } from './load.js';
import { spawnKapsoMock, startAndWait, waitForQuietMachine, type ServerProcess } from './processes.js';
import { median } from './report.js';
import { startReceiver } from './webhooks.js';

export const GROWTH_SIZES = [1_000, 100_000, 1_000_000] as const;
/** Rounds per growth case (BENCH_GROWTH_ROUNDS); each size's figure is the median of its rounds. */
const GROWTH_ROUNDS = Number(process.env.BENCH_GROWTH_ROUNDS ?? 3);
/** Bump when the generated data changes shape. */
const GENERATION = 2;

const DIR = join(TMP, 'db');
const uuid = (prefix: string, group: number, n: number) => `${prefix}-0000-4${group.toString(16).padStart(3, '0')}-8000-${n.toString(16).padStart(12, '0')}`;
const projectOf = (size: number) => ({
  id: uuid('9f000000', GROWTH_SIZES.indexOf(size as never) + 1, 0),
  key: `bench-growth-${size}`,
  config: uuid('9b000000', GROWTH_SIZES.indexOf(size as never) + 1, 0),
  conversation: uuid('9c000000', GROWTH_SIZES.indexOf(size as never) + 1, 0),
  agent: uuid('9a100000', GROWTH_SIZES.indexOf(size as never) + 1, 0),
});
const BASE = Date.parse('2025-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(BASE + ms).toISOString();
/** The phone number of the i-th generated contact and conversation of a project. */
const phoneOf = (group: number, i: number) => `1${group}${String(i).padStart(9, '0')}`;

/**
 * The generated database: `sizes` as given, each a project holding that many messages in one
 * conversation, that many conversations (every third ended), that many contacts and that many
 * executions of one agent (every tenth running). Returns the path.
 */
export async function generateGrowthDb(name: string, sizes: readonly number[], log: (line: string) => void): Promise<string> {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, `${name}-g${GENERATION}.db`);
  if (existsSync(path) && process.env.BENCH_GROWTH_REGENERATE !== '1') return path;
  removeDb(path);
  const started = Date.now();
  // kapso-mock makes the schema, the counters' triggers and the bundled fixtures; the growth projects come as fixtures too.
  const { server } = await startAndWait(spawnKapsoMock({ name: 'growth generator', db: path }));
  const projects = sizes.map((size) => {
    const p = projectOf(size);
    return {
      id: p.id, name: `Growth ${size.toLocaleString('en-US')}`, api_key: p.key,
      customers: [{
        id: uuid('9d000000', GROWTH_SIZES.indexOf(size as never) + 1, 0), name: `Growth customer ${size}`, external_customer_id: `GROWTH-${size}`,
        whatsapp_configs: [{
          id: p.config, name: `Growth line ${size}`, phone_number_id: phoneNumberOf(size), business_account_id: `8${String(size).padStart(14, '0')}`,
          webhook_verify_token: `growth-${size}`, access_token: `EAAGgrowth${size}`,
        }],
      }],
      agents: [{ id: p.agent, name: `Growth agent ${size}` }],
    };
  });
  await expectStatus(server, 'POST', '/__admin/fixtures?mode=merge', null, 200, { projects });
  await server.stop();

  const db = new Database(path);
  // Written once, thrown away when it fails: no journal, a large page cache (kapso-mock opens it in WAL mode).
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const conv = db.prepare(`INSERT INTO whatsapp_conversations (project_id, id, whatsapp_config_id, phone_number, status, last_active_at, last_inbound_at, last_outbound_at, ended_at, metadata, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?)`);
  const msg = db.prepare(`INSERT INTO whatsapp_messages (project_id, id, conversation_id, whatsapp_config_id, phone_number, direction, message_type, content, status, processing_status,
    whatsapp_message_id, message_type_data, metadata, sent_at, delivered_at, read_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, 'text', ?, ?, 'processed', ?, json_object('text', ?), '{}', ?, ?, ?, ?, ?)`);
  const contact = db.prepare(`INSERT INTO whatsapp_contacts (project_id, id, wa_id, profile_name, customer_id, metadata, created_at, updated_at)
    VALUES (?, ?, ?, ?, NULL, '{}', ?, ?)`);
  const execution = db.prepare(`INSERT INTO agent_executions (project_id, id, agent_id, thread_id, status, failed, reason, started_at, ended_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, 0, NULL, ?, ?, ?, ?)`);
  for (const size of sizes) {
    const p = projectOf(size);
    const group = GROWTH_SIZES.indexOf(size as never) + 1;
    const t0 = Date.now();
    db.transaction(() => {
      // The big conversation (its number is the first contact's), then size - 1 others: every third ended.
      const bigPhone = phoneOf(group, 0);
      conv.run(p.id, p.conversation, p.config, bigPhone, 'active', at(size * 60_000), at(size * 60_000), at(size * 60_000 - 1000), null, at(0), at(size * 60_000));
      for (let i = 1; i < size; i++) {
        const ended = i % 3 === 0;
        const last = at(i * 60_000);
        conv.run(p.id, uuid('9c000000', group, i), p.config, phoneOf(group, i), ended ? 'ended' : 'active', last, last, null, ended ? last : null, last, last);
      }
      for (let i = 0; i < size; i++) {
        const inbound = i % 2 === 0;
        const when = at(i * 1000);
        const text = `Message ${i} of the growth conversation`;
        msg.run(p.id, uuid('9e000000', group, i), p.conversation, p.config, bigPhone, inbound ? 'inbound' : 'outbound', text,
          inbound ? 'received' : 'read', `wamid.GROWTH${group}x${i}`, text, inbound ? null : when, inbound ? null : when, inbound ? null : when, when, when);
      }
      for (let i = 0; i < size; i++) contact.run(p.id, uuid('9a000000', group, i), phoneOf(group, i), `Growth contact ${i}`, at(i * 1000), at(i * 1000));
      for (let i = 0; i < size; i++) {
        const running = i % 10 === 0;
        execution.run(p.id, uuid('9e100000', group, i), p.agent, uuid('9e200000', group, i), running ? 'running' : 'ended', at(i * 1000), running ? null : at(i * 1000 + 500), at(i * 1000), at(i * 1000 + 500));
      }
    })();
    log(`growth data: ${size.toLocaleString('en-US')} messages, conversations, contacts and executions in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  db.pragma('journal_mode = WAL');
  db.close();
  log(`growth data: ${path} (${Math.round(statSync(path).size / 2 ** 20)} MB) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return path;
}

/** The phone_number_id of a growth project's config (the Meta proxy's number). */
const phoneNumberOf = (size: number) => `9${String(size).padStart(14, '0')}`;

/** A working copy of a generated database (the run writes to it: resets, snapshots). */
function workingCopy(path: string, name: string): string {
  const copy = join(DIR, `${name}-run.db`);
  removeDb(copy);
  copyFileSync(path, copy);
  return copy;
}

export interface GrowthCase {
  id: string;
  label: string;
  /** Whether the issue expects it flat (within 2x of its 1k cost). */
  flat: boolean;
  /** Why not, when it cannot be. */
  why?: string;
  bySize: Array<{ rows: number; rps: number; p50: number; p99: number; cpuUsPerReq: number; ratioTo1k: number }>;
  pass?: boolean;
}

export interface GrowthResult {
  sizes: number[];
  cases: GrowthCase[];
  startupMs: number[];
  startupMedianMs: number;
  startupDbMb: number;
  resetMs: number[];
  resetMedianMs: number;
  /** The same resets as the server timed them (`took_ms` of the answer): the round trip without the HTTP client's own part. */
  resetTookMs: number[];
  resetTookMedianMs: number;
  snapshot: { rows: number; snapshotMs: number; restoreMs: number };
  rssMb: number;
  /** The same 30 s later, idle (reported, no target): V8 may have given back its heap's slack by then, or not. */
  rssSettledMb: number;
  rssByStepMb: number[];
  generatedS?: number;
}

/** A GET whose URL changes with every request (an ignored `bench` parameter), so the response cache never answers it. */
const uncached = (path: string, key: string): Plan => {
  let n = 0;
  const sep = path.includes('?') ? '&' : '?';
  return { options: { requests: [{ method: 'GET', path, headers: { 'x-api-key': key }, setupRequest: (r) => ({ ...r, path: `${path}${sep}bench=${++n}` }) }] } };
};

export async function runGrowth(opts: {
  log: (line: string) => void;
  waitForQuiet: (ours: ServerProcess[]) => Promise<unknown>;
  connections: number;
  durationS: number;
  /** The server's entry file (default dist/kapso-mock.js): another build, to compare. */
  entry?: string;
}): Promise<GrowthResult> {
  const { log, waitForQuiet, connections, durationS } = opts;
  const entry = opts.entry === undefined ? {} : { entry: opts.entry };
  const genStarted = Date.now();
  const big = await generateGrowthDb('growth', GROWTH_SIZES, log);
  const small = await generateGrowthDb('growth-100k', [100_000], log);
  const generatedS = (Date.now() - genStarted) / 1000;
  const dbPath = workingCopy(big, 'growth');

  // Start-up on the existing database of 1.1M messages (and as many conversations, contacts and executions).
  const startupMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    await waitForQuiet([]);
    const { server, coldStartMs } = await startAndWait(spawnKapsoMock({ name: 'growth start-up', db: dbPath, ...entry }));
    startupMs.push(coldStartMs);
    await server.stop();
  }
  log(`growth: start-up on ${Math.round(statSync(dbPath).size / 2 ** 20)} MB: ${startupMs.map((v) => Math.round(v)).join(' ')} ms`);

  const { server } = await startAndWait(spawnKapsoMock({ name: 'growth', db: dbPath, ...entry }));
  const rssByStepMb: number[] = [server.memory().rssMb];
  /**
   * Cheap requests under load (autocannon, `connections`); a request that costs more than 5 ms is
   * measured one at a time instead (at most `durationS`, at least 3 requests), so that a slow page
   * does not pile up hundreds of queued requests.
   */
  const measureOne = async (path: string, key: string, write?: () => unknown): Promise<{ rps: number; p50: number; p99: number; serverCpuUsPerReq: number }> => {
    await waitForQuiet([server]);
    const times: number[] = [];
    const cpu0 = server.cpuMs();
    const t0 = performance.now();
    for (let n = 0; (times.length < 3 || performance.now() - t0 < durationS * 1000) && times.length < (write ? 200 : 50); n++) {
      const t = performance.now();
      const res = write
        ? await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(write()) })
        : await fetch(`${server.url}${path}${path.includes('?') ? '&' : '?'}seq=${n}`, { headers: { 'x-api-key': key } });
      await res.text();
      if (res.status !== (write ? 201 : 200)) throw new Error(`growth ${path}: ${res.status}`);
      times.push(performance.now() - t);
    }
    const sequential = { rps: times.length / ((performance.now() - t0) / 1000), p50: median(times), p99: Math.max(...times), serverCpuUsPerReq: ((server.cpuMs() - cpu0) * 1000) / times.length };
    // A write is measured one request at a time only: its webhook deliveries must not pile up into the next measure.
    if (write || median(times) > 5) return sequential;
    await measure(server, uncached(path, key), { connections, durationS: Math.min(0.5, durationS) });
    const m: Measurement = await measure(server, uncached(path, key), { connections, durationS });
    if (m.non2xx + m.errors + m.timeouts > 0) throw new Error(`growth ${path}: ${m.non2xx} non-2xx, ${m.errors} errors, ${m.timeouts} timeouts`);
    return m;
  };

  // Sends go with a whatsapp.message.sent webhook (Kapso's v2 payload: the conversation's message count,
  // last message and contact) to a receiver in this process that answers at once.
  const receiver = await startReceiver('ok');
  for (const size of GROWTH_SIZES) {
    const p = projectOf(size);
    await expectStatus(server, 'POST', `/api/v1/whatsapp_configs/${p.config}/whatsapp_webhooks`, p.key, 201, {
      whatsapp_webhook: { url: receiver.url, secret_key: 'growth-secret', events: ['whatsapp.message.sent'] },
    });
  }
  let sent = 0;
  // The send case writes into the big conversation: an inbound message opens its 24-hour window.
  for (const size of GROWTH_SIZES) {
    const group = GROWTH_SIZES.indexOf(size) + 1;
    await expectStatus(server, 'POST', '/__admin/simulate/inbound-message', null, 201, {
      project_id: projectOf(size).id, whatsapp_config_id: projectOf(size).config, phone_number: `+${phoneOf(group, 0)}`, content: 'Growth: the window opens',
    });
  }
  const defs: Array<{ id: string; label: string; flat: boolean; why?: string; path: (size: number) => string; write?: () => unknown }> = [
    { id: 'messages.first', label: 'messages of a conversation, first page', flat: true, path: (s) => `/api/v1/whatsapp_conversations/${projectOf(s).conversation}/whatsapp_messages?page=1&per_page=20` },
    {
      id: 'messages.middle', label: 'messages of a conversation, middle page', flat: false,
      why: 'a page number is an offset: SQLite walks the index to it (from the nearer end), so the middle of N rows costs N/2 index steps',
      path: (s) => `/api/v1/whatsapp_conversations/${projectOf(s).conversation}/whatsapp_messages?page=${Math.ceil(s / 20 / 2)}&per_page=20`,
    },
    { id: 'messages.last', label: 'messages of a conversation, last page', flat: true, path: (s) => `/api/v1/whatsapp_conversations/${projectOf(s).conversation}/whatsapp_messages?page=${Math.ceil(s / 20)}&per_page=20` },
    {
      id: 'conversations.filtered', label: 'conversations, q[status_eq]=active & q[last_active_at_gteq] (half of them match)', flat: false,
      why: 'a filtered list answers total_count: the matching rows are counted (on the index, without reading rows), so the count grows with the matches; the page itself is read from the index',
      path: (s) => `/api/v1/whatsapp_conversations?q[status_eq]=active&q[last_active_at_gteq]=${encodeURIComponent(at((s / 2) * 60_000))}&per_page=20`,
    },
    { id: 'conversations.first', label: 'conversations, unfiltered first page', flat: true, path: () => '/api/v1/whatsapp_conversations?per_page=20' },
    { id: 'contacts.byPhone', label: 'contact by phone number', flat: true, path: (s) => `/api/v1/whatsapp_contacts/${phoneOf(GROWTH_SIZES.indexOf(s as never) + 1, Math.floor(s / 2))}` },
    { id: 'contacts.list', label: 'contact list, first page', flat: true, path: () => '/api/v1/whatsapp_contacts?per_page=20' },
    { id: 'executions.first', label: 'executions of an agent (pagination in headers), first page', flat: true, path: (s) => `/api/v1/agents/${projectOf(s).agent}/executions?page=1&per_page=20` },
    { id: 'executions.last', label: 'executions of an agent (pagination in headers), last page', flat: true, path: (s) => `/api/v1/agents/${projectOf(s).agent}/executions?page=${Math.ceil(s / 20)}&per_page=20` },
    {
      id: 'proxy.messages.first', label: 'Meta proxy: a conversation\'s messages by cursor, first page', flat: true,
      path: (s) => `/meta/whatsapp/v24.0/${phoneNumberOf(s)}/messages?conversation_id=${projectOf(s).conversation}&limit=20`,
    },
    {
      id: 'proxy.messages.end', label: 'Meta proxy: the same, followed by cursor to the end (the page after the 20th-oldest message)', flat: true,
      // The cursor the list hands out with the page that ends at message 20 (newest first: the next page is messages 19 to 0).
      path: (s) => `/meta/whatsapp/v24.0/${phoneNumberOf(s)}/messages?conversation_id=${projectOf(s).conversation}&limit=20&after=${encodeCursor(at(20 * 1000), uuid('9e000000', GROWTH_SIZES.indexOf(s as never) + 1, 20))}`,
    },
    {
      id: 'proxy.conversations', label: 'Meta proxy: a number\'s conversations, first page (each with its message count and last message)', flat: true,
      path: (s) => `/meta/whatsapp/v24.0/${phoneNumberOf(s)}/conversations?limit=20`,
    },
    {
      id: 'inbox.conversations', label: 'control plane inbox (the inspector): a project\'s conversations, first page (each with its last message and unread count)', flat: true,
      path: (s) => `/__admin/projects/${projectOf(s).id}/conversations?per_page=20`,
    },
    {
      id: 'messages.send', label: 'send a text into the conversation, with a whatsapp.message.sent webhook (one at a time, delivery included)', flat: true,
      path: (s) => `/api/v1/whatsapp_conversations/${projectOf(s).conversation}/whatsapp_messages`,
      write: () => ({ message: { message_type: 'text', content: `Growth send ${++sent}` } }),
    },
  ];
  const cases: GrowthCase[] = [];
  for (const d of defs) {
    // GROWTH_ROUNDS rounds, the sizes in a turning order each round, medians per size: one slow
    // second of the machine moves one sample, not the ratio.
    const samples = new Map<number, Array<Awaited<ReturnType<typeof measureOne>>>>(GROWTH_SIZES.map((size) => [size, []]));
    for (let round = 0; round < GROWTH_ROUNDS; round++) {
      const order = [...GROWTH_SIZES.slice(round % GROWTH_SIZES.length), ...GROWTH_SIZES.slice(0, round % GROWTH_SIZES.length)];
      for (const size of order) {
        const key = projectOf(size).key;
        if (d.write) {
          await expectStatus(server, 'POST', d.path(size), key, 201, d.write());
        } else if (round === 0) {
          const check = await expectStatus(server, 'GET', d.path(size), key, 200);
          if ((check.json().data as unknown[]).length === 0 && d.id !== 'contacts.byPhone') throw new Error(`growth ${d.id} at ${size}: an empty page`);
        }
        samples.get(size)!.push(await measureOne(d.path(size), key, d.write));
        if (d.write) {
          await receiver.waitFor(sent, 30_000);
          if (receiver.keys.size < sent) throw new Error(`growth: ${receiver.keys.size} of ${sent} webhook deliveries after 30 s`);
        }
      }
    }
    const bySize: GrowthCase['bySize'] = [];
    for (const size of GROWTH_SIZES) {
      const of = (f: (m: Awaited<ReturnType<typeof measureOne>>) => number) => median(samples.get(size)!.map(f));
      const cpu = of((m) => m.serverCpuUsPerReq);
      bySize.push({ rows: size, rps: of((m) => m.rps), p50: of((m) => m.p50), p99: of((m) => m.p99), cpuUsPerReq: cpu, ratioTo1k: cpu / (bySize[0]?.cpuUsPerReq ?? cpu) });
    }
    const worst = Math.max(...bySize.map((b) => b.ratioTo1k));
    cases.push({ id: d.id, label: d.label, flat: d.flat, ...(d.why !== undefined && { why: d.why }), bySize, ...(d.flat && { pass: worst <= 2 }) });
    log(`growth ${d.id.padEnd(24)} ${bySize.map((b) => `${b.rows.toLocaleString('en-US')}: ${Math.round(b.cpuUsPerReq)} µs/req (x${b.ratioTo1k.toFixed(2)})`).join('  ')}`);
    rssByStepMb.push(server.memory().rssMb);
  }

  await receiver.close();

  // A reset of the Demo Project (the default fixtures) while the growth projects hold their rows.
  const resetMs: number[] = [];
  const resetTookMs: number[] = [];
  for (let i = 0; i < 7; i++) {
    await expectStatus(server, 'POST', '/api/v1/customers', 'kapso-demo-key', 201, { customer: { name: 'Dirt', external_customer_id: `DIRT-${i}` } });
    const t0 = performance.now();
    const res = await expectStatus(server, 'POST', '/__admin/reset?project_id=11111111-1111-4111-8111-111111111111', null, 200);
    resetMs.push(performance.now() - t0);
    resetTookMs.push((res.json() as { data: { took_ms: number } }).data.took_ms);
  }
  log(`growth: reset of the Demo Project next to ${(1_101_000 * 4).toLocaleString('en-US')} rows: ${resetMs.map((v) => v.toFixed(1)).join(' ')} ms (the server's took_ms: ${resetTookMs.map((v) => v.toFixed(1)).join(' ')})`);
  const rssMb = server.memory().rssMb;
  rssByStepMb.push(rssMb);
  // What the process keeps once idle: V8's memory reducer gives back the heap's slack after some idle
  // seconds when it runs (223 -> 131 MB in one run; not at all within 30 s in others: docs/benchmark.md).
  await new Promise((resolve) => setTimeout(resolve, 30_000));
  const rssSettledMb = server.memory().rssMb;
  await server.stop();
  const startupDbMb = statSync(dbPath).size / 2 ** 20;
  removeDb(dbPath);

  // Snapshot and restore with 100k messages (and 100k conversations, contacts and executions) in the database.
  const smallPath = workingCopy(small, 'growth-100k');
  const s = (await startAndWait(spawnKapsoMock({ name: 'growth 100k', db: smallPath, ...entry }))).server;
  await waitForQuiet([s]);
  let t0 = performance.now();
  await expectStatus(s, 'POST', '/__admin/snapshots', null, 201, { name: 'bench' });
  const snapshotMs = performance.now() - t0;
  await expectStatus(s, 'POST', '/api/v1/customers', 'kapso-demo-key', 201, { customer: { name: 'After snapshot', external_customer_id: 'AFTER-SNAPSHOT' } });
  t0 = performance.now();
  await expectStatus(s, 'POST', '/__admin/snapshots/bench/restore', null, 200);
  const restoreMs = performance.now() - t0;
  await s.stop();
  removeDb(smallPath);
  log(`growth: snapshot ${Math.round(snapshotMs)} ms, restore ${Math.round(restoreMs)} ms with 400,000 generated rows`);

  return {
    sizes: [...GROWTH_SIZES], cases, startupMs, startupMedianMs: median(startupMs), startupDbMb, resetMs, resetMedianMs: median(resetMs), resetTookMs, resetTookMedianMs: median(resetTookMs),
    snapshot: { rows: 400_000, snapshotMs, restoreMs }, rssMb, rssSettledMb, rssByStepMb, generatedS,
  };
}

// Run alone: the built server (npm run build first), the growth figures on stderr and the result on stdout.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const result = await runGrowth({
    log, waitForQuiet: (ours) => waitForQuietMachine(ours, { log }),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 8), durationS: Number(process.env.BENCH_GROWTH_DURATION ?? 1),
    ...(process.env.BENCH_ENTRY !== undefined && { entry: process.env.BENCH_ENTRY }),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
