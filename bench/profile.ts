// CPU profiles of kapso-mock under load, to find where time goes before optimising:
// `node --cpu-prof dist/kapso-mock.js` under one load case, stopped with SIGINT (the server closes
// and exits, and V8 writes the profile), then summarised by bench/profile-summary.ts.
//
//   npx tsx bench/profile.ts [get] [put] [list] [post] [put-file] [baseline] [startup] [startup-10k] [broad:ID]
//   (default: get put list put-file; broad:ID is a case of the broad table, bench/cases.ts, e.g. broad:messages.create)
// `baseline` profiles the bare Fastify process under the same GET, for comparison; `startup` and
// `startup-10k` profile a start to the first 200 on /health (bundled fixtures, 10,000 records).
// Load profiles also hold the start-up (about half a second, a few % of the busy time).
// Profiles and summaries go to bench/tmp/profiles/<case>.cpuprofile and <case>.txt.
// Environment: BENCH_PROFILE_DURATION (10 s), BENCH_CONNECTIONS (8, as `npm run bench`), BENCH_SKIP_BUILD=1.
//
//   npx tsx bench/profile.ts --native put broad:messages.create
// --native records the load with Linux `perf` instead (`perf record -e cpu-clock -g`, the server run
// with `--perf-basic-prof` so that JIT frames have names): what V8's profiler cannot see, inside
// SQLite, libc's malloc and the kernel's loopback, by shared object and symbol. Needs `perf`
// (Debian's linux-perf) and the right to profile the process (root, or perf_event_paranoid <= 1);
// the record is bench/tmp/profiles/<case>.perf.data, for `perf report -i`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from './build.js';
import { BROAD_CASES } from './cases.js';
import { TMP, writeLoadFixtures, writeTenThousandFixtures } from './fixtures.js';
import { createPutPairs, DEMO_KEY, expectStatus, GET_PATH, getPlan, listPlan, measure, postPlan, putPlan, seededSandbox, type Plan } from './load.js';
import { spawnBaseline, spawnKapsoMock, startAndWait, waitForQuietMachine, type ServerProcess } from './processes.js';
import { summarise } from './profile-summary.js';

const DURATION_S = Number(process.env.BENCH_PROFILE_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const DIR = join(TMP, 'profiles');

/** prepare() sets the server up once and returns a plan builder (called for the warm-up and for the measured run). */
type Prepare = (s: ServerProcess) => Promise<() => Promise<Plan>>;
const preparePut: Prepare = async (s) => {
  const pairs = await createPutPairs(s, CONNECTIONS);
  return () => putPlan(s, pairs);
};
const CASES: Record<string, { db: 'mem' | 'file' | 'baseline'; prepare?: Prepare; fixtures?: 'bundled' | '10k' }> = {
  startup: { db: 'mem', fixtures: 'bundled' },
  'startup-10k': { db: 'mem', fixtures: '10k' },
  baseline: { db: 'baseline', prepare: async () => async () => getPlan() },
  get: { db: 'mem', prepare: async () => async () => getPlan() },
  put: { db: 'mem', prepare: preparePut },
  list: { db: 'mem', prepare: async () => async () => listPlan() },
  post: { db: 'mem', prepare: async (server) => async () => postPlan(server) },
  'put-file': { db: 'file', prepare: preparePut },
  // The broad table's cases, on a sandbox seeded from the Demo Project, as the benchmark runs them.
  ...Object.fromEntries(BROAD_CASES.map((c) => [`broad:${c.id}`, {
    db: 'mem' as const,
    prepare: async (s: ServerProcess) => {
      const sandbox = await seededSandbox(s, 'Profile broad case');
      return async () => c.plan(sandbox);
    },
  }])),
};

const log = (line: string) => process.stderr.write(`${line}\n`);
const args = process.argv.slice(2);
const native = args.includes('--native');
const named = args.filter((a) => a !== '--native');
const wanted = named.length ? named : ['get', 'put', 'list', 'put-file'];
for (const name of wanted) if (!CASES[name]) throw new Error(`unknown case ${name}; one of ${Object.keys(CASES).join(', ')}`);
if (native) {
  if (spawnSync('perf', ['--version']).status !== 0) throw new Error('--native needs perf (Debian: apt-get install linux-perf)');
  for (const name of wanted) if (!CASES[name]!.prepare) throw new Error(`--native profiles a load; ${name} is a start-up`);
}

build(log);
mkdirSync(DIR, { recursive: true });
const fixtures = writeLoadFixtures(1000);
const tenK = wanted.includes('startup-10k') ? writeTenThousandFixtures() : undefined;

/** The real seed GET body, for the baseline to send. */
async function seedBody(): Promise<string> {
  const { server } = await startAndWait(spawnKapsoMock({ name: 'seed body', db: ':memory:', fixtures: fixtures.dir }));
  const body = (await expectStatus(server, 'GET', GET_PATH, DEMO_KEY, 200)).text;
  await server.stop();
  const file = join(TMP, 'baseline-body.json');
  writeFileSync(file, body);
  return file;
}

for (const name of wanted) {
  const c = CASES[name]!;
  const file = name.replace(':', '-');
  const profile = join(DIR, `${file}.cpuprofile`);
  rmSync(profile, { force: true });
  const db = c.db === 'mem' ? ':memory:' : join(TMP, 'db', `profile-${file}.db`);
  if (c.db === 'file') {
    mkdirSync(join(TMP, 'db'), { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  }
  const perfData = join(DIR, `${file}.perf.data`);
  // --perf-basic-prof also starts V8's log: kept beside the record instead of the project root.
  const nodeFlags = native ? ['--perf-basic-prof', '--no-logfile-per-isolate', `--logfile=${join(DIR, `${file}.v8.log`)}`] : ['--cpu-prof', `--cpu-prof-dir=${DIR}`, `--cpu-prof-name=${file}.cpuprofile`];
  // On a busy machine a profile fills with preemption (charged to whatever frame was running, often writev).
  const quiet = { maxCores: Number(process.env.BENCH_MAX_BACKGROUND ?? 0.25), waitS: Number(process.env.BENCH_QUIET_WAIT ?? 60), log };
  await waitForQuietMachine([], quiet);
  const fixturesDir = c.fixtures === 'bundled' ? undefined : c.fixtures === '10k' ? tenK!.dir : fixtures.dir;
  const { server, coldStartMs } = await startAndWait(c.db === 'baseline'
    ? spawnBaseline(await seedBody(), nodeFlags)
    : spawnKapsoMock({ name: `profile ${name}`, db, ...(fixturesDir !== undefined && { fixtures: fixturesDir }), nodeFlags }));
  if (c.prepare) {
    const plan = await c.prepare(server);
    await waitForQuietMachine([server], quiet);
    await measure(server, await plan(), { connections: CONNECTIONS, durationS: 1 });
    const perf = native ? spawn('perf', ['record', '-q', '-e', 'cpu-clock', '-F', '2000', '-g', '-p', String(server.pid), '-o', perfData], { stdio: 'inherit' }) : undefined;
    const m = await measure(server, await plan(), { connections: CONNECTIONS, durationS: DURATION_S });
    if (perf) {
      perf.kill('SIGINT');
      await new Promise((done) => perf.once('exit', done));
    }
    log(`${name}: ${Math.round(m.rps)} req/s, p50 ${m.p50.toFixed(2)} ms, ${Math.round(m.serverCpuUsPerReq)} µs CPU/req, other processes ${m.backgroundCpu.toFixed(2)} cores (profiler on: slower than the benchmark)`);
  } else {
    log(`${name}: first 200 after ${Math.round(coldStartMs)} ms (profiler on: slower than the benchmark)`);
  }
  await server.stop('SIGINT', 30_000);
  if (native) {
    const summary = nativeSummary(perfData);
    writeFileSync(join(DIR, `${file}.native.txt`), `${summary}\n`);
    console.log(`=== ${name} (native) ===\n${summary}\n`);
    continue;
  }
  if (!existsSync(profile)) throw new Error(`no profile written at ${profile}:\n${server.output()}`);
  const summary = summarise(profile, 25);
  writeFileSync(join(DIR, `${file}.txt`), `${summary}\n`);
  console.log(`=== ${name} ===\n${summary}\n`);
}

/** `perf report`'s self time by shared object, then by symbol: SQLite is better_sqlite3.node, JIT frames are JS. */
function nativeSummary(data: string): string {
  const report = (...sort: string[]) => spawnSync('perf', ['report', '-i', data, '--no-children', '-g', 'none', '--percent-limit', '0.5', ...sort], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .stdout.split('\n').filter((line) => line.includes('%') && !line.startsWith('#')).join('\n');
  return [`${data}: self time by shared object`, report('--sort', 'dso'), '', 'by symbol (0.5 % and more)', report('--sort', 'dso,sym')].join('\n');
}
