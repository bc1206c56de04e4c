// Summarises a V8 .cpuprofile (node --cpu-prof): where the time went by package, the top
// functions by self time, and kapso-mock's own functions by total (inclusive) time.
// Locations in dist/ are mapped back to src/*.ts (and, in the bundle, to the dependencies' files)
// through the build's source maps.
//
//   npx tsx bench/profile-summary.ts bench/tmp/profiles/get.cpuprofile [--top 25]
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const sourceMaps = new Map<string, SourceMap | null>();
function mapToSource(path: string, line: number, column: number): { path: string; line: number } | undefined {
  if (!sourceMaps.has(path)) {
    const mapFile = `${path}.map`;
    sourceMaps.set(path, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : null);
  }
  const map = sourceMaps.get(path);
  const entry = map?.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
  if (!entry?.originalSource) return undefined;
  const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : resolve(dirname(path), entry.originalSource);
  return { path: source, line: (entry.originalLine ?? 0) + 1 };
}

/** Where a function is, readable: src/x.ts:12 (mapped from dist), fastify/lib/route.js:300, node:internal/..., or the V8 pseudo-frame. */
export function locate(frame: CallFrame): { where: string; group: string } {
  const { url, lineNumber, columnNumber } = frame;
  if (url === '') return { where: '(native/V8)', group: frame.functionName.startsWith('(') ? frame.functionName : 'native (V8 builtins, addons)' };
  if (url.startsWith('node:')) return { where: `${url}:${lineNumber + 1}`, group: 'node internals' };
  let path = url.startsWith('file:') ? fileURLToPath(url) : url;
  let line = lineNumber + 1;
  // dist/: tsc's output, or the bundle (dist/kapso-mock.cjs, the dependencies inside it), mapped back to their sources.
  const inDist = path.startsWith(`${ROOT}/dist/`);
  if (inDist) ({ path, line } = mapToSource(path, lineNumber, columnNumber) ?? { path, line });
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length);
    const parts = rest.split('/');
    const pkg = rest.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    return { where: `${rest}:${line}`, group: pkg };
  }
  if (inDist) return { where: `${relative(ROOT, path)}:${line}`, group: 'kapso-mock (src/)' };
  return { where: `${path.startsWith(ROOT) ? relative(ROOT, path) : path}:${line}`, group: path.startsWith('evalmachine') ? 'generated code' : 'other' };
}

export interface FunctionTime { name: string; where: string; group: string; selfMs: number; totalMs: number }

export function analyse(profile: CpuProfile): { functions: FunctionTime[]; groups: Map<string, number>; totalMs: number; samples: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (f: CallFrame) => `${f.functionName}|${f.url}|${f.lineNumber}|${f.columnNumber}`;
  const fns = new Map<string, FunctionTime>();
  const fnOf = (node: ProfileNode) => {
    const key = keyOf(node.callFrame);
    let fn = fns.get(key);
    if (!fn) {
      const { where, group } = locate(node.callFrame);
      fn = { name: node.callFrame.functionName || '(anonymous)', where, group, selfMs: 0, totalMs: 0 };
      fns.set(key, fn);
    }
    return fn;
  };
  // DevTools' convention: the delta after a sample is that sample's duration.
  const { samples, timeDeltas } = profile;
  let totalMs = 0;
  for (let i = 0; i < samples.length; i++) {
    const ms = (timeDeltas[i + 1] ?? 0) / 1000;
    totalMs += ms;
    const node = byId.get(samples[i]!)!;
    fnOf(node).selfMs += ms;
    const seen = new Set<FunctionTime>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const fn = fnOf(byId.get(id)!);
      if (!seen.has(fn)) {
        seen.add(fn);
        fn.totalMs += ms;
      }
    }
  }
  const groups = new Map<string, number>();
  for (const fn of fns.values()) groups.set(fn.group, (groups.get(fn.group) ?? 0) + fn.selfMs);
  return { functions: [...fns.values()], groups, totalMs, samples: samples.length };
}

export function summarise(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const { functions, groups, totalMs, samples } = analyse(profile);
  // (idle) and (program) are not work done for requests; percentages are of the busy time.
  const idle = functions.filter((f) => f.name === '(idle)').reduce((n, f) => n + f.selfMs, 0);
  const busy = totalMs - idle;
  const pct = (ms: number) => `${((ms / busy) * 100).toFixed(1).padStart(5)}%`;
  const msStr = (ms: number) => ms.toFixed(0).padStart(7);
  const lines: string[] = [];
  lines.push(`${relative(process.cwd(), file)}: ${(totalMs / 1000).toFixed(1)} s profiled, ${samples} samples, busy ${(busy / 1000).toFixed(1)} s (idle ${(idle / 1000).toFixed(1)} s); percentages are of busy time`);
  lines.push('Time inside native addon calls (better-sqlite3, i.e. SQLite) counts as self time of the JS function that made them;');
  lines.push('writev is the socket write, system call and loopback delivery to the client included.');
  lines.push('', 'Self time by package:');
  for (const [group, ms] of [...groups].filter(([g]) => g !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 14)) {
    lines.push(`  ${msStr(ms)} ms ${pct(ms)}  ${group}`);
  }
  lines.push('', `Top ${top} functions by self time:`, `  ${'self ms'.padStart(7)}  ${'self'.padStart(6)}  ${'total'.padStart(6)}  function  (location)`);
  for (const f of functions.filter((f) => f.name !== '(idle)').sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) {
    lines.push(`  ${msStr(f.selfMs)}  ${pct(f.selfMs)}  ${pct(f.totalMs)}  ${f.name}  (${f.where})`);
  }
  const own = functions.filter((f) => f.group === 'kapso-mock (src/)').sort((a, b) => b.totalMs - a.totalMs).slice(0, 15);
  lines.push('', 'kapso-mock functions by total time (self + everything they call):', `  ${'total'.padStart(6)}  ${'self'.padStart(6)}  function  (location)`);
  for (const f of own) lines.push(`  ${pct(f.totalMs)}  ${pct(f.selfMs)}  ${f.name}  (${f.where})`);
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
  if (args.length === 0) {
    console.error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [--top N]');
    process.exit(2);
  }
  for (const file of args) console.log(`${summarise(file, top)}\n`);
}
