// Starting and stopping the processes under test, exactly as a user would run them, and
// reading what the kernel says about them (/proc: resident memory, CPU time, machine load).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'dist', 'kapso-mock.js');
export const BASELINE_SERVER = join(ROOT, 'bench', 'baseline-server.mjs');

export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  url: string;
  child: ChildProcess;
  /** The last lines the process wrote (stdout and stderr), for error messages. */
  output(): string;
  /** Resident memory now and its peak, in MiB. */
  memory(): { rssMb: number; hwmMb: number };
  /** CPU time used so far, in ms. */
  cpuMs(): number;
  /** SIGTERM (or the signal given), then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

// A crashed or interrupted benchmark leaves no server behind: only the processes it started are signalled.
process.on('exit', () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });
}

/** A port that was free a moment ago (kapso-mock's start-up line, which shows the port, is below the warn level). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function readMemory(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) the process has used so far, in ms (10 ms resolution on Linux). */
export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces: utime is field 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** CPU time the whole machine has been busy (all cores, every process), in ms. */
export function readMachineBusyMs(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return ((user! + nice! + system! + irq! + softirq! + steal!) * 1000) / CLK_TCK;
}

/** Cores' worth of CPU used by everything except this process and `pids`, sampled over `ms`. */
export async function backgroundCpu(pids: number[], ms = 300): Promise<number> {
  const busy0 = readMachineBusyMs();
  const own0 = process.cpuUsage();
  const pids0 = pids.map(readCpuMs);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const own = process.cpuUsage(own0);
  const others = readMachineBusyMs() - busy0 - (own.user + own.system) / 1000 - pids.reduce((n, pid, i) => n + readCpuMs(pid) - pids0[i]!, 0);
  return Math.max(0, others / ms);
}

/**
 * Waits (up to `waitS`) until other processes use at most `maxCores` of CPU, so that a
 * measurement does not start in the middle of someone's build; returns their last share.
 */
export async function waitForQuietMachine(
  ours: ServerProcess[],
  { maxCores = 0.25, waitS = 60, log = (line: string) => process.stderr.write(`${line}\n`) } = {},
): Promise<number> {
  const deadline = Date.now() + waitS * 1000;
  let said = false;
  for (;;) {
    const bg = await backgroundCpu(ours.map((s) => s.pid));
    if (bg <= maxCores) return bg;
    if (Date.now() > deadline) {
      log(`  measuring anyway: other processes still use ${bg.toFixed(2)} cores`);
      return bg;
    }
    if (!said) log(`  waiting for a quiet machine: other processes use ${bg.toFixed(2)} cores (limit ${maxCores}, BENCH_MAX_BACKGROUND)`);
    said = true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export interface SpawnOptions {
  name: string;
  /** Arguments to `node` (script first, or flags such as --cpu-prof before it). */
  args: string[];
  env: Record<string, string>;
  port: number;
}

/** Spawns `node ...args` with a clean environment plus `env`; does not wait for it to listen. */
export function spawnNode({ name, args, env, port }: SpawnOptions): ServerProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    running.delete(child);
    resolve();
  }));
  return {
    name,
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => tail,
    memory: () => readMemory(child.pid!),
    cpuMs: () => readCpuMs(child.pid!),
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One GET with no keep-alive: the status, or 0 when nothing answers yet (connection refused). */
function probe(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls GET `path` every `everyMs` until the first 200; returns the milliseconds since `startedAt`
 * (performance.now() taken just before the spawn). Fails when the process exits or `timeoutMs` passes.
 */
export async function waitFor200(server: ServerProcess, path: string, startedAt: number, { everyMs = 2, timeoutMs = 30_000 } = {}): Promise<number> {
  for (;;) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`${server.name} exited (${server.child.exitCode ?? server.child.signalCode}) before answering:\n${server.output()}`);
    }
    const status = await probe(server.url + path);
    const elapsed = performance.now() - startedAt;
    if (status === 200) return elapsed;
    if (elapsed > timeoutMs) throw new Error(`${server.name} did not answer 200 on ${path} within ${timeoutMs} ms:\n${server.output()}`);
    await sleep(everyMs);
  }
}

export interface KapsoMockOptions {
  name: string;
  /** ':memory:' or a file path. */
  db: string;
  /** A fixtures folder or file; undefined for the bundled fixtures. */
  fixtures?: string;
  /** Extra `node` flags before the script (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** The script to run instead of dist/kapso-mock.js (another build, for bench/compare.ts). */
  entry?: string;
  /** More environment (settings such as KAPSO_MOCK_JOURNAL_SIZE). */
  env?: Record<string, string>;
}

/** A spawned process and the moment it was spawned (clock and CPU counters), for cold-start figures. */
export interface Spawned {
  server: ServerProcess;
  startedAt: number;
  machineBusyAtStart: number;
  ownCpuAtStart: NodeJS.CpuUsage;
}

const spawned = (server: ServerProcess, startedAt: number, machineBusyAtStart: number, ownCpuAtStart: NodeJS.CpuUsage): Spawned =>
  ({ server, startedAt, machineBusyAtStart, ownCpuAtStart });

/** `node dist/kapso-mock.js` with the environment a CI job would give it. */
export async function spawnKapsoMock({ name, db, fixtures, nodeFlags = [], entry = CLI, env: more = {} }: KapsoMockOptions): Promise<Spawned> {
  const port = await freePort();
  const env: Record<string, string> = { KAPSO_MOCK_LOG_LEVEL: 'warn', ...more, PORT: String(port), HOST: '127.0.0.1', KAPSO_MOCK_DB: db };
  if (fixtures !== undefined) env.KAPSO_MOCK_FIXTURES = fixtures;
  const busy = readMachineBusyMs();
  const own = process.cpuUsage();
  const startedAt = performance.now();
  const server = spawnNode({ name, args: [...nodeFlags, entry], env, port });
  return spawned(server, startedAt, busy, own);
}

/**
 * The bare Fastify process: constant bodies, GET's read from `bodyFile`, the writes' from
 * `writeBodyFile` (`{"PUT": "...", "POST": "..."}`; GET's body when absent).
 */
export async function spawnBaseline(bodyFile: string, nodeFlags: string[] = [], writeBodyFile?: string): Promise<Spawned> {
  const port = await freePort();
  const busy = readMachineBusyMs();
  const own = process.cpuUsage();
  const startedAt = performance.now();
  const server = spawnNode({
    name: 'bare Fastify',
    args: [...nodeFlags, BASELINE_SERVER],
    env: { PORT: String(port), HOST: '127.0.0.1', BENCH_BODY_FILE: bodyFile, ...(writeBodyFile !== undefined && { BENCH_WRITE_BODY_FILE: writeBodyFile }) },
    port,
  });
  return spawned(server, startedAt, busy, own);
}

/**
 * Spawns and waits for the first 200 on /health; returns the server, its cold start in ms, and
 * the cores' worth of CPU other processes used meanwhile (noise).
 */
export async function startAndWait(start: Promise<Spawned>): Promise<{ server: ServerProcess; coldStartMs: number; backgroundCpu: number; rssAtReadyMb: number }> {
  const { server, startedAt, machineBusyAtStart, ownCpuAtStart } = await start;
  try {
    const coldStartMs = await waitFor200(server, '/health', startedAt);
    const own = process.cpuUsage(ownCpuAtStart);
    const others = readMachineBusyMs() - machineBusyAtStart - server.cpuMs() - (own.user + own.system) / 1000;
    return { server, coldStartMs, backgroundCpu: Math.max(0, others / coldStartMs), rssAtReadyMb: server.memory().rssMb };
  } catch (err) {
    await server.stop('SIGKILL');
    throw err;
  }
}
