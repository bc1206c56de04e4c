// What a benchmark run produces (bench/results.json has this shape), the targets,
// and the tables printed to stdout.
import type { FixtureCounts } from './fixtures.js';
import type { GrowthResult } from './growth.js';
import type { Measurement } from './load.js';
import type { MixedResult } from './mixed.js';
import type { WebhookResult } from './webhooks.js';

export type ServerKey = 'baseline' | 'mem' | 'file';
export type CaseKind = 'get' | 'put' | 'list' | 'post';

export const SERVER_LABELS: Record<ServerKey, string> = {
  baseline: 'bare Fastify',
  mem: 'kapso-mock, in-memory DB',
  file: 'kapso-mock, file DB (WAL)',
};

export interface LoadCaseResult {
  id: string;
  label: string;
  server: ServerKey;
  kind: CaseKind;
  method: string;
  request: string;
  /** One measurement per round (warm-up excluded). */
  rounds: Measurement[];
  /** Medians over rounds; serverCpuUsPerReq is the server's CPU time per response, serverCpu/clientCpu the share of a core. */
  median: { rps: number; p50: number; p99: number; serverCpuUsPerReq: number; serverCpu: number; clientCpu: number; backgroundCpu: number };
  /** The bare figure of the same method (PATCH against PUT), its median req/s and CPU per request. */
  reference: string;
  referenceRps: number;
  referenceCpuUsPerReq: number;
  /** Per round: this case's req/s over the reference's req/s in the same round; and their median. */
  ratios: number[];
  ratio: number;
  /** File DB cases: median over rounds of req/s over the in-memory server's in the same round, and its target. */
  fileRatio?: number;
  minFileRatio?: number;
  /** Non-2xx responses, connection errors and timeouts over every run of the case, warm-ups included. */
  non2xx: number;
  errors: number;
  timeouts: number;
  /** PUT: responses that showed no write. */
  noops?: number;
  /** Minimum ratio to the baseline GET (the target), when there is one. */
  minRatio?: number;
  pass?: boolean;
}

/** A row of the broad table (in-memory DB, against the bare figure of its method in the same round). */
export interface BroadCaseResult {
  id: string;
  family: string;
  surface: 'v1' | 'proxy';
  op: 'get' | 'list' | 'create' | 'update';
  method: string;
  request: string;
  rounds: Measurement[];
  median: LoadCaseResult['median'];
  reference: string;
  referenceRps: number;
  referenceCpuUsPerReq: number;
  ratio: number;
  minRatio: number;
  pass: boolean;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface ColdStartResult {
  id: string;
  label: string;
  runsMs: number[];
  /** Median resident memory at the first 200 (the idle footprint). */
  rssAtReadyMb: number;
  /** Per run: cores' worth of CPU other processes used during the start (noise). */
  backgroundCpu: number[];
  medianMs: number;
  maxMs?: number;
  pass?: boolean;
}

export interface MemoryResult {
  id: string;
  label: string;
  rssMb: number;
  /** Peak resident memory of the process's life (VmHWM). */
  hwmMb: number;
  /** RSS after 10 s without requests (V8 shrinks its heap when idle): the footprint the load left behind. */
  rssSettledMb?: number;
  /** RSS at the end of each round: growth from round to round is data kept or a leak. */
  rssByRoundMb?: number[];
  /** Customers the POST case created in this process (warm-ups included): data the in-memory DB holds. */
  customersCreated?: number;
  maxMb?: number;
  pass?: boolean;
}

export interface Target {
  id: string;
  description: string;
  value: number;
  unit: 'x baseline' | 'x in-memory' | 'x 1k rows' | 'ms' | 'MB' | 'responses' | 'events' | '/s' | 'x';
  comparator: '>=' | '<' | '==';
  threshold: number;
  pass: boolean;
}

export interface Results {
  schema: 2;
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; os: string; arch: string };
  node: string;
  versions: Record<string, string>;
  git: { commit: string; dirty: boolean };
  settings: { rounds: number; durationS: number; warmupS: number; connections: number; pipelining: 1; coldStartRuns: number; broadRounds: number; broadDurationS: number; broadWarmupS: number; journal: string };
  fixtures: { load: FixtureCounts; tenThousand: FixtureCounts };
  getBodyBytes: number;
  load: LoadCaseResult[];
  broad: BroadCaseResult[];
  growth: GrowthResult;
  mixed: MixedResult;
  webhooks: WebhookResult;
  coldStart: ColdStartResult[];
  memory: MemoryResult[];
  targets: Target[];
  /** CPU used by other processes during the measured runs, in cores (a shared machine makes figures noisy). */
  noise: { maxBackgroundCpu: number; disturbedRuns: string[] };
  /** Conditions without which the figures mean nothing (no failed requests, every PUT wrote). */
  validity: { ok: boolean; problems: string[] };
  pass: boolean;
}

export const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const mark = (pass: boolean | undefined) => (pass === undefined ? '' : pass ? 'PASS' : 'FAIL');

function table(head: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatTables(r: Results): string {
  const bare = (ref: string) => ref.replace('baseline.', 'bare ').toUpperCase().replace('BARE', 'bare');
  const load = table(
    ['case', 'server', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'bare', 'bare req/s', 'bare µs/req', 'ratio', 'file/mem', 'target', 'non-2xx', 'result'],
    r.load.map((c) => [
      c.label, SERVER_LABELS[c.server], int(c.median.rps), ms(c.median.p50), ms(c.median.p99), int(c.median.serverCpuUsPerReq),
      c.server === 'baseline' ? '' : bare(c.reference), c.server === 'baseline' ? '' : int(c.referenceRps), c.server === 'baseline' ? '' : int(c.referenceCpuUsPerReq),
      c.server === 'baseline' ? '' : c.ratio.toFixed(2), c.fileRatio === undefined ? '' : c.fileRatio.toFixed(2),
      c.minRatio !== undefined ? `>= ${c.minRatio}` : c.minFileRatio !== undefined ? `file >= ${c.minFileRatio}` : '', String(c.non2xx + c.errors + c.timeouts), mark(c.pass),
    ]),
    new Set([2, 3, 4, 5, 7, 8, 9, 10, 12]),
  );
  const broad = table(
    ['operation', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'bare', 'bare µs/req', 'ratio', 'target', 'non-2xx', 'result'],
    r.broad.map((c) => [
      c.request.length > 70 ? `${c.request.slice(0, 67)}...` : c.request, int(c.median.rps), ms(c.median.p50), ms(c.median.p99), int(c.median.serverCpuUsPerReq),
      bare(c.reference), int(c.referenceCpuUsPerReq), c.ratio.toFixed(2), `>= ${c.minRatio}`, String(c.non2xx + c.errors + c.timeouts), mark(c.pass),
    ]),
    new Set([1, 2, 3, 4, 6, 7, 9]),
  );
  const startup = table(
    ['case', 'median', 'details', 'target', 'result'],
    [
      ...r.coldStart.map((c) => [
        c.label, `${int(c.medianMs)} ms`, `${c.runsMs.map((v) => int(v)).join(' ')}; RSS at ready ${c.rssAtReadyMb.toFixed(0)} MB`,
        c.maxMs === undefined ? '' : `< ${c.maxMs} ms`, mark(c.pass),
      ]),
      ...r.memory.map((m) => [
        m.label, `${m.rssMb.toFixed(1)} MB`,
        [`peak ${m.hwmMb.toFixed(1)} MB`, m.rssSettledMb !== undefined && `after 10 s idle ${m.rssSettledMb.toFixed(0)} MB`, m.rssByRoundMb && `by round ${m.rssByRoundMb.map((v) => v.toFixed(0)).join(' ')}`,
          m.customersCreated !== undefined && `${m.customersCreated.toLocaleString('en-US')} customers created`].filter(Boolean).join(', '),
        m.maxMb === undefined ? '' : `< ${m.maxMb} MB`, mark(m.pass),
      ]),
    ],
    new Set([1]),
  );
  const g = r.growth;
  const growth = table(
    ['as the data grows (CPU µs/req)', ...g.sizes.map((n) => `${n.toLocaleString('en-US')} rows`), 'x 1k', 'target', 'result'],
    g.cases.map((c) => [c.label, ...c.bySize.map((b) => int(b.cpuUsPerReq)), c.bySize.at(-1)!.ratioTo1k.toFixed(2), c.flat ? '<= 2x' : 'reported', mark(c.pass)]),
    new Set(g.sizes.map((_, i) => i + 1).concat([g.sizes.length + 1])),
  );
  const mx = r.mixed;
  const mixed = [
    `Mixed load: ${mx.workers} workers, ${mx.durationS.toFixed(0)} s, ${mx.operations.toLocaleString('en-US')} operations, ${mx.opsPerS.toFixed(0)} ops/s, `
      + `server ${int(mx.serverCpuUsPerOp)} µs CPU/op, ${mx.errors} errors, ${mx.leaks} cross-sandbox leaks, RSS ${mx.rssBeforeMb.toFixed(0)} -> ${mx.rssAfterMb.toFixed(0)} MB`,
    ...Object.entries(mx.byKind).map(([k, v]) => `  ${k.padEnd(8)} ${String(v.count).padStart(6)} calls  p50 ${ms(v.p50)} ms  p99 ${ms(v.p99)} ms`),
  ].join('\n');
  const wt = r.webhooks.throughput;
  const wl = r.webhooks.latency;
  const wd = r.webhooks.drain;
  const wc = r.webhooks.cost;
  const webhooks = [
    `Webhooks: ${wt.events.toLocaleString('en-US')} inbound events on ${wt.conversations} conversations, fired at ${wt.firedPerS.toFixed(0)}/s, delivered at ${wt.deliveredPerS.toFixed(0)}/s `
      + `(${wt.elapsedMs.toFixed(0)} ms first event to last delivery), ${wt.lost} lost, ${wt.duplicates} duplicates`,
    `  backlog: the same made at ${wd.madePerS.toFixed(0)}/s while waiting an hour on the mock's clock, drained at ${wd.drainedPerS.toFixed(0)}/s `
      + `(${wd.elapsedMs.toFixed(0)} ms from the clock's move to the last delivery), ${wd.lost} lost, ${wd.duplicates} duplicates`,
    `  send p50/p99 (${wl.requests} sends x ${wl.rounds} rounds each): no webhook ${ms(wl.none.p50)}/${ms(wl.none.p99)} ms, answering receiver ${ms(wl.ok.p50)}/${ms(wl.ok.p99)} ms, `
      + `hanging receiver ${ms(wl.hanging.p50)}/${ms(wl.hanging.p99)} ms (p99 x ${wl.hangingP99Ratio.toFixed(2)})`,
    `  sends under load (${wc.rounds} rounds x ${wc.durationS} s): no webhook ${wc.none.rps.toFixed(0)}/s, ${int(wc.none.cpuUsPerSend)} µs CPU/send; `
      + `answering receiver ${wc.ok.rps.toFixed(0)}/s, ${int(wc.ok.cpuUsPerSend)} µs CPU/send with its delivery (x ${wc.rpsRatio.toFixed(2)} req/s)`,
  ].join('\n');
  const targets = r.targets.map((t) => `  ${mark(t.pass)}  ${t.description}: ${t.unit.startsWith('x ') ? t.value.toFixed(2) : t.unit === 'responses' || t.unit === 'events' ? String(t.value) : t.unit === 'x' ? t.value.toFixed(2) : t.value.toFixed(t.unit === 'MB' ? 1 : 0)} ${t.unit} (${t.comparator} ${t.threshold})`);
  const s = r.settings;
  return [
    `kapso-mock benchmark, ${r.date}: ${r.machine.cpus} x ${r.machine.cpuModel}, Node ${r.node}, git ${r.git.commit.slice(0, 10)}${r.git.dirty ? ' (dirty src/)' : ''}`,
    `${s.rounds} rounds x ${s.durationS} s per case (+${s.warmupS} s warm-up), ${s.connections} connections, pipelining 1; ratio = median over rounds of req/s / bare Fastify req/s of the same method in the same round`,
    '',
    load,
    '',
    `Broad table (in-memory DB, seeded sandbox): ${s.broadRounds} rounds x ${s.broadDurationS} s (+${s.broadWarmupS} s warm-up)`,
    broad,
    '',
    growth,
    `Start-up on ${Math.round(g.startupDbMb)} MB (1.1M messages, conversations, contacts and executions): ${int(g.startupMedianMs)} ms; reset of the Demo Project next to them: ${g.resetMedianMs.toFixed(1)} ms (${g.resetTookMedianMs.toFixed(1)} ms by the server's took_ms); `
      + `snapshot ${int(g.snapshot.snapshotMs)} ms and restore ${int(g.snapshot.restoreMs)} ms with ${g.snapshot.rows.toLocaleString('en-US')} rows; RSS ${g.rssMb.toFixed(0)} MB (${g.rssSettledMb.toFixed(0)} MB after 30 s idle)`,
    '',
    mixed,
    '',
    webhooks,
    '',
    startup,
    '',
    'Targets:',
    ...targets,
    ...(r.noise.disturbedRuns.length ? ['', 'Noisy runs (other processes were busy; compare with care):', ...r.noise.disturbedRuns.map((d) => `  ${d}`)] : []),
    ...(r.validity.ok ? [] : ['', 'INVALID RUN:', ...r.validity.problems.map((p) => `  ${p}`)]),
  ].join('\n');
}
