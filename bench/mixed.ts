// Mixed load as CI uses it: one kapso-mock (in-memory, bundled fixtures) shared by 8 parallel test
// workers, each in its own sandbox seeded from the Demo Project, each running a test-like script
// (lists, sends, status changes, journal waits, a reset of its own sandbox now and then), one
// request at a time, for BENCH_MIXED_DURATION seconds. See docs/benchmark.md "Mixed load".
import type { ServerProcess } from './processes.js';
import { median } from './report.js';

export interface MixedResult {
  workers: number;
  durationS: number;
  operations: number;
  opsPerS: number;
  byKind: Record<string, { count: number; p50: number; p99: number }>;
  errors: number;
  errorSamples: string[];
  leaks: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  serverCpuUsPerOp: number;
}

const CONVERSATION = 'ca100000-0000-4000-8000-000000000001';
const TOGGLED = 'ca100000-0000-4000-8000-000000000002';
const CONTACT = '15550102030';

export async function runMixed(server: ServerProcess, { workers, durationS }: { workers: number; durationS: number }): Promise<MixedResult> {
  const latencies = new Map<string, number[]>();
  let errors = 0;
  let leaks = 0;
  const errorSamples: string[] = [];
  const call = async (kind: string, method: string, path: string, key: string | null, body?: unknown): Promise<unknown> => {
    const headers: Record<string, string> = {};
    if (key) headers['x-api-key'] = key;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const t0 = performance.now();
    // fetch keeps connections alive: each worker reuses its own, as a test worker's HTTP client does.
    const res = await fetch(server.url + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const text = await res.text();
    const ms = performance.now() - t0;
    (latencies.get(kind) ?? latencies.set(kind, []).get(kind)!).push(ms);
    if (res.status < 200 || res.status > 299) {
      errors++;
      if (errorSamples.length < 5) errorSamples.push(`${kind} ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      return undefined;
    }
    return text === '' ? undefined : JSON.parse(text);
  };

  const sandboxes: Array<{ id: string; key: string }> = [];
  for (let w = 0; w < workers; w++) {
    const res = await call('setup', 'POST', '/__admin/projects', null, { seed: true, name: `CI worker ${w}` }) as { data: { id: string; api_key: string } };
    sandboxes.push({ id: res.data.id, key: res.data.api_key });
  }
  const rssBeforeMb = server.memory().rssMb;
  const cpu0 = server.cpuMs();
  const deadline = performance.now() + durationS * 1000;
  let operations = 0;

  const worker = async (w: number) => {
    const { id, key } = sandboxes[w]!;
    const mine = `W${w}-`;
    let status: 'ended' | 'active' = 'ended';
    for (let n = 0; performance.now() < deadline; n++) {
      await call('list', 'GET', '/api/v1/whatsapp_conversations?q[status_eq]=active', key);
      await call('send', 'POST', `/api/v1/whatsapp_conversations/${CONVERSATION}/whatsapp_messages`, key, { message: { message_type: 'text', content: `${mine}${n} your order ships today` } });
      const page = await call('list', 'GET', `/api/v1/whatsapp_conversations/${CONVERSATION}/whatsapp_messages?per_page=50`, key) as { data: Array<{ content?: string }> } | undefined;
      // Another worker's message in this sandbox's conversation would be a leak between sandboxes.
      for (const m of page?.data ?? []) if (typeof m.content === 'string' && /^W\d+-/.test(m.content) && !m.content.startsWith(mine)) leaks++;
      await call('journal', 'POST', '/__admin/requests/wait', null, { path: `/api/v1/whatsapp_conversations/${CONVERSATION}/whatsapp_messages`, method: 'POST', project_id: id, count: 1, timeout_ms: 2000 });
      await call('status', 'PATCH', `/api/v1/whatsapp_conversations/${TOGGLED}`, key, { whatsapp_conversation: { status } });
      status = status === 'ended' ? 'active' : 'ended';
      await call('get', 'GET', `/api/v1/whatsapp_contacts/${CONTACT}`, key);
      operations += 6;
      if (n % 10 === 9) {
        await call('reset', 'POST', `/__admin/reset?project_id=${id}`, null);
        status = 'ended';
        operations++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(sandboxes.map((_, w) => worker(w)));
  const elapsedS = (performance.now() - started) / 1000;
  const serverCpuMs = server.cpuMs() - cpu0;
  const rssAfterMb = server.memory().rssMb;
  for (const { id } of sandboxes) await call('setup', 'DELETE', `/__admin/projects/${id}`, null);

  const byKind: MixedResult['byKind'] = {};
  for (const [kind, values] of latencies) {
    if (kind === 'setup') continue;
    const sorted = [...values].sort((a, b) => a - b);
    byKind[kind] = { count: values.length, p50: median(values), p99: sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]! };
  }
  return {
    workers, durationS: elapsedS, operations, opsPerS: operations / elapsedS, byKind, errors, errorSamples, leaks, rssBeforeMb, rssAfterMb,
    serverCpuUsPerOp: (serverCpuMs * 1000) / operations,
  };
}
