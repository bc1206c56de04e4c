// Builds or settings side by side on the core cases: how to tell whether a change helped on a
// machine whose speed drifts from one minute to the next (docs/benchmark.md, "Comparing builds and
// settings"). Every variant is one kapso-mock process, started once; each round runs every case on
// every variant, the order reversed every other round, so drift hits all of them alike. The table
// gives medians over the rounds and each variant's ratio to the first one.
//
//   npx tsx bench/compare.ts [--cases get,put,list,post] [--rounds 3] [--duration 3] VARIANT...
//   VARIANT  name[:key=value,...]   keys: db=memory|file (memory), entry=<script> (dist/kapso-mock.js),
//                                   NODE_OPTIONS (V8 flags) and any KAPSO_MOCK_* setting
//   npx tsx bench/compare.ts before:entry=dist-before/kapso-mock.js,db=file after:db=file
//   npx tsx bench/compare.ts journal no-journal:KAPSO_MOCK_JOURNAL_SIZE=0
//
// It builds nothing: `npm run build` first, and copy a build aside (in dist/, so that it finds
// node_modules) to compare against it after a change.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { removeDb, TMP, writeLoadFixtures } from './fixtures.js';
import { createPutPairs, getPlan, listPlan, measure, postPlan, putPlan, type Measurement, type Plan, type PutPair } from './load.js';
import { CLI, ROOT, spawnKapsoMock, startAndWait, type ServerProcess } from './processes.js';
import { median } from './report.js';

const CASES = ['get', 'put', 'list', 'post'] as const;
type Case = (typeof CASES)[number];

interface Variant { name: string; db: 'memory' | 'file'; entry: string; env: Record<string, string> }

function parseVariant(spec: string): Variant {
  const [name, settings = ''] = spec.split(/:(.*)/s, 2) as [string, string?];
  const variant: Variant = { name, db: 'memory', entry: CLI, env: {} };
  for (const pair of settings.split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`${spec}: "${pair}" is not key=value`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (key === 'db') {
      if (value !== 'memory' && value !== 'file') throw new Error(`${spec}: db is memory or file`);
      variant.db = value;
    } else if (key === 'entry') {
      variant.entry = resolve(ROOT, value);
      if (!existsSync(variant.entry)) throw new Error(`${spec}: ${variant.entry} does not exist`);
    } else if (key.startsWith('KAPSO_MOCK_') || key === 'NODE_OPTIONS') {
      variant.env[key] = value;
    } else {
      throw new Error(`${spec}: unknown key ${key} (db, entry, NODE_OPTIONS or a KAPSO_MOCK_* setting)`);
    }
  }
  return variant;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { cases: { type: 'string', default: CASES.join(',') }, rounds: { type: 'string', default: '3' }, duration: { type: 'string', default: '3' } },
});
const cases = values.cases.split(',').map((c) => {
  if (!(CASES as readonly string[]).includes(c)) throw new Error(`--cases: ${c} is not one of ${CASES.join(', ')}`);
  return c as Case;
});
const rounds = Number(values.rounds);
const durationS = Number(values.duration);
if (!(rounds >= 1) || !(durationS > 0)) throw new Error('--rounds and --duration must be positive numbers');
if (positionals.length < 2) throw new Error('give two variants or more (see the header of bench/compare.ts)');
const variants = positionals.map(parseVariant);
if (new Set(variants.map((v) => v.name)).size !== variants.length) throw new Error('variant names must differ');
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build first`);

const CONNECTIONS = 8;
const log = (line: string) => process.stderr.write(`${line}\n`);
const fixtures = writeLoadFixtures(1000);
mkdirSync(join(TMP, 'db'), { recursive: true });
const dbPath = (v: Variant) => join(TMP, 'db', `compare-${v.name.replace(/[^a-z0-9-]/gi, '_')}.db`);

const servers = new Map<Variant, ServerProcess>();
const pairs = new Map<Variant, PutPair[]>();
try {
  for (const v of variants) {
    if (v.db === 'file') removeDb(dbPath(v));
    const { server } = await startAndWait(spawnKapsoMock({ name: v.name, db: v.db === 'file' ? dbPath(v) : ':memory:', fixtures: fixtures.dir, entry: v.entry, env: v.env }));
    servers.set(v, server);
    if (cases.includes('put')) pairs.set(v, await createPutPairs(server, CONNECTIONS));
  }
  const plan = (c: Case, v: Variant): Promise<Plan> => {
    const server = servers.get(v)!;
    if (c === 'get') return Promise.resolve(getPlan());
    if (c === 'list') return Promise.resolve(listPlan());
    if (c === 'put') return putPlan(server, pairs.get(v)!);
    return postPlan(server);
  };
  const results = new Map<string, Measurement[]>();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const c of cases) {
      for (const v of order) {
        const server = servers.get(v)!;
        const warm = await plan(c, v);
        await measure(server, warm, { connections: CONNECTIONS, durationS: 1 });
        await warm.after?.();
        const run = await plan(c, v);
        const m = await measure(server, run, { connections: CONNECTIONS, durationS });
        await run.after?.();
        const failed = m.non2xx + m.errors + m.timeouts;
        log(`round ${round + 1}/${rounds}  ${c.padEnd(4)}  ${v.name.padEnd(16)} ${Math.round(m.rps).toLocaleString('en-US').padStart(7)} req/s  p99 ${m.p99.toFixed(2)} ms  ${Math.round(m.serverCpuUsPerReq)} µs CPU/req${failed ? `  FAILED ${failed}` : ''}`);
        if (failed) throw new Error(`${v.name} ${c}: ${m.non2xx} non-2xx, ${m.errors} errors, ${m.timeouts} timeouts`);
        results.set(`${c} ${v.name}`, [...(results.get(`${c} ${v.name}`) ?? []), m]);
      }
    }
  }
  console.log(`\n${rounds} rounds x ${durationS} s, ${CONNECTIONS} connections; medians; ratio = req/s against ${variants[0]!.name}\n`);
  console.log(`${'case'.padEnd(6)}${'variant'.padEnd(18)}${'req/s'.padStart(9)}${'p99 ms'.padStart(9)}${'µs CPU/req'.padStart(12)}${'ratio'.padStart(8)}`);
  for (const c of cases) {
    const first = median(results.get(`${c} ${variants[0]!.name}`)!.map((m) => m.rps));
    for (const v of variants) {
      const ms = results.get(`${c} ${v.name}`)!;
      const rps = median(ms.map((m) => m.rps));
      console.log(`${c.padEnd(6)}${v.name.padEnd(18)}${Math.round(rps).toLocaleString('en-US').padStart(9)}${median(ms.map((m) => m.p99)).toFixed(2).padStart(9)}`
        + `${String(Math.round(median(ms.map((m) => m.serverCpuUsPerReq)))).padStart(12)}${(rps / first).toFixed(2).padStart(8)}`);
    }
  }
} finally {
  for (const server of servers.values()) await server.stop();
  for (const v of variants) if (v.db === 'file') removeDb(dbPath(v));
}
