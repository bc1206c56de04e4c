// Webhooks under load (issues 12 and 15), against one kapso-mock (in-memory, bundled fixtures) and
// receivers in the benchmark's own process on 127.0.0.1:
// - Throughput: inbound messages simulated on many conversations as fast as the control plane
//   takes them, each one a whatsapp.message.received event for a webhook; measured from the first
//   event to the last delivery received, and checked for loss (every event delivered exactly once,
//   by X-Idempotency-Key) and for what the delivery list says.
// - Backlog drain: the same events made while every delivery waits an hour on the mock's clock
//   (the webhook_delay_ms fault), then the clock moved an hour on: how fast the dispatcher, the
//   worker and the sender empty the queue, with nothing else to do (the rate the pipeline can keep
//   up with, which the first figure cannot show when the events are made more slowly).
// - The API while a receiver hangs: p50/p99 of a send (whatsapp.message.sent) with a webhook to a
//   receiver that answers at once, then with one that never answers, then with none, alternating.
// - What a webhook costs the sends: the text send under load (autocannon, 8 connections) into one
//   conversation with no webhook and with one whose receiver answers at once, alternating; requests
//   a second, and server CPU per send from the first send to the last delivery received.
// See docs/benchmark.md "Webhooks". Run alone: npx tsx bench/webhooks.ts (after npm run build).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { measure, seededSandbox } from './load.js';
import { spawnKapsoMock, startAndWait, type ServerProcess } from './processes.js';
import { median } from './report.js';

const CONFIG = 'b1000000-0000-4000-8000-000000000001';
const CONVERSATION = 'ca100000-0000-4000-8000-000000000001';

export interface Receiver {
  url: string;
  /** Deliveries received, by idempotency key: more than 1 is a duplicate. */
  keys: Map<string, number>;
  /** Resolves once `count` distinct deliveries arrived, or after `timeoutMs` (the caller reads `keys`). */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** A receiver that answers 200 at once, or (hang) reads the request and never answers. */
export async function startReceiver(mode: 'ok' | 'hang'): Promise<Receiver> {
  const keys = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['x-idempotency-key']);
      keys.set(key, (keys.get(key) ?? 0) + 1);
      if (mode === 'ok') res.writeHead(200).end();
      else hanging.add(res);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/kapso`,
    keys,
    async waitFor(count, timeoutMs) {
      for (let waited = 0; keys.size < count && waited < timeoutMs; waited += 5) await new Promise((r) => setTimeout(r, 5));
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function call(server: ServerProcess, method: string, path: string, key: string | null, body?: unknown): Promise<{ status: number; json: any; ms: number }> {
  const headers: Record<string, string> = {};
  if (key) headers['x-api-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const t0 = performance.now();
  const res = await fetch(server.url + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : JSON.parse(text), ms: performance.now() - t0 };
}

async function expectOk<T = any>(server: ServerProcess, method: string, path: string, key: string | null, body?: unknown): Promise<T> {
  const res = await call(server, method, path, key, body);
  if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
  return res.json as T;
}

async function addWebhook(server: ServerProcess, key: string, url: string, events: string[]): Promise<string> {
  const res = await expectOk(server, 'POST', `/api/v1/whatsapp_configs/${CONFIG}/whatsapp_webhooks`, key, {
    whatsapp_webhook: { url, secret_key: 'bench-secret', events },
  });
  return res.data.id as string;
}

const p99 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!;
};

export interface WebhookThroughput {
  events: number;
  conversations: number;
  firedPerS: number;
  deliveredPerS: number;
  /** From the first event to the last delivery received. */
  elapsedMs: number;
  lost: number;
  duplicates: number;
  listedDelivered: number;
}

export interface WebhookDrain {
  events: number;
  /** How fast the events were made (every delivery waiting). */
  madePerS: number;
  drainedPerS: number;
  /** From the clock's move to the last delivery received. */
  elapsedMs: number;
  lost: number;
  duplicates: number;
}

export interface WebhookLatency {
  requests: number;
  rounds: number;
  none: { p50: number; p99: number };
  ok: { p50: number; p99: number };
  hanging: { p50: number; p99: number };
  /** p99 with a hanging receiver against p99 with one that answers. */
  hangingP99Ratio: number;
}

export interface WebhookCost {
  rounds: number;
  durationS: number;
  /** Medians over the rounds: sends a second under load, and server CPU per send (deliveries included). */
  none: { rps: number; cpuUsPerSend: number };
  ok: { rps: number; cpuUsPerSend: number };
  /** Sends a second with the webhook against without it. */
  rpsRatio: number;
}

export interface WebhookResult {
  throughput: WebhookThroughput;
  drain: WebhookDrain;
  latency: WebhookLatency;
  cost: WebhookCost;
}

async function throughput(server: ServerProcess, events: number, conversations: number, concurrency: number): Promise<WebhookThroughput> {
  const receiver = await startReceiver('ok');
  const { id, key } = await seededSandbox(server, 'webhook throughput');
  const webhookId = await addWebhook(server, key, receiver.url, ['whatsapp.message.received']);
  const started = performance.now();
  await makeInbound(server, id, events, conversations, concurrency);
  const firedMs = performance.now() - started;
  // Every delivery received, or 60 s more at most.
  await receiver.waitFor(events, 60_000);
  const elapsedMs = performance.now() - started;
  const duplicates = [...receiver.keys.values()].reduce((n, c) => n + c - 1, 0);
  const listed = await expectOk(server, 'GET', `/__admin/webhook_deliveries?project_id=${id}&webhook_id=${webhookId}&status=delivered&limit=10000`, null);
  await receiver.close();
  await expectOk(server, 'DELETE', `/__admin/projects/${id}`, null);
  return {
    events, conversations, firedPerS: events / (firedMs / 1000), deliveredPerS: receiver.keys.size / (elapsedMs / 1000), elapsedMs,
    lost: events - receiver.keys.size, duplicates, listedDelivered: (listed.data as unknown[]).length,
  };
}

/** One POST with node:http on a kept connection (fetch cost this process more than the server's work, so it bounded the rate). */
function postJson(agent: http.Agent, server: ServerProcess, path: string, body: unknown): Promise<void> {
  const bytes = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': bytes.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`POST ${path}: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`))));
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

/** Inbound messages from `concurrency` callers on `conversations` numbers of the Demo Project's config in sandbox `id`. */
async function makeInbound(server: ServerProcess, id: string, events: number, conversations: number, concurrency: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < events; i = next++) {
      await postJson(agent, server, '/__admin/simulate/inbound-message', {
        project_id: id, whatsapp_config_id: CONFIG, phone_number: `+1555077${String(i % conversations).padStart(4, '0')}`, content: `Bench message ${i}`,
      });
    }
  }));
  agent.destroy();
}

async function drain(server: ServerProcess, events: number, conversations: number, concurrency: number): Promise<WebhookDrain> {
  const HOUR = 3_600_000;
  const receiver = await startReceiver('ok');
  const { id, key } = await seededSandbox(server, 'webhook drain');
  await addWebhook(server, key, receiver.url, ['whatsapp.message.received']);
  await expectOk(server, 'PATCH', '/__admin/settings', null, { webhook_delay_ms: HOUR });
  const made = performance.now();
  await makeInbound(server, id, events, conversations, concurrency);
  const madePerS = events / ((performance.now() - made) / 1000);
  if (receiver.keys.size > 0) throw new Error(`drain: ${receiver.keys.size} deliveries went before the clock moved`);
  const started = performance.now();
  await expectOk(server, 'POST', '/__admin/clock', null, { advance_ms: HOUR });
  await receiver.waitFor(events, 60_000);
  const elapsedMs = performance.now() - started;
  const duplicates = [...receiver.keys.values()].reduce((n, c) => n + c - 1, 0);
  await receiver.close();
  await expectOk(server, 'PATCH', '/__admin/settings', null, { webhook_delay_ms: 0 });
  await expectOk(server, 'DELETE', '/__admin/clock', null);
  await expectOk(server, 'DELETE', `/__admin/projects/${id}`, null);
  return { events, madePerS, drainedPerS: receiver.keys.size / (elapsedMs / 1000), elapsedMs, lost: events - receiver.keys.size, duplicates };
}

async function latency(server: ServerProcess, requests: number, rounds: number, concurrency: number): Promise<WebhookLatency> {
  const ok = await startReceiver('ok');
  const hang = await startReceiver('hang');
  const samples: Record<'none' | 'ok' | 'hanging', number[]> = { none: [], ok: [], hanging: [] };
  const measure = async (kind: keyof typeof samples, url: string | undefined) => {
    const { id, key } = await seededSandbox(server, `webhook latency ${kind}`);
    if (url) await addWebhook(server, key, url, ['whatsapp.message.sent']);
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < requests; i = next++) {
        const res = await call(server, 'POST', `/api/v1/whatsapp_conversations/${CONVERSATION}/whatsapp_messages`, key, { message: { message_type: 'text', content: `Latency ${i}` } });
        if (res.status !== 201) throw new Error(`send: ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
        samples[kind].push(res.ms);
      }
    }));
    await expectOk(server, 'DELETE', `/__admin/projects/${id}`, null);
  };
  for (let round = 0; round < rounds; round++) {
    // The order turns every round so that machine drift hits every kind alike.
    const order: Array<[keyof typeof samples, string | undefined]> = [['ok', ok.url], ['hanging', hang.url], ['none', undefined]];
    for (let r = 0; r < round % 3; r++) order.push(order.shift()!);
    for (const [kind, url] of order) await measure(kind, url);
  }
  await ok.close();
  await hang.close();
  const stats = (values: number[]) => ({ p50: median(values), p99: p99(values) });
  const result = { none: stats(samples.none), ok: stats(samples.ok), hanging: stats(samples.hanging) };
  return { requests, rounds, ...result, hangingP99Ratio: result.hanging.p99 / result.ok.p99 };
}

async function cost(server: ServerProcess, rounds: number, durationS: number, connections: number): Promise<WebhookCost> {
  const samples: Record<'none' | 'ok', Array<{ rps: number; cpuUsPerSend: number }>> = { none: [], ok: [] };
  let sent = 0;
  const run = async (kind: 'none' | 'ok') => {
    const receiver = kind === 'ok' ? await startReceiver('ok') : undefined;
    const { id, key } = await seededSandbox(server, `webhook cost ${kind}`);
    if (receiver) await addWebhook(server, key, receiver.url, ['whatsapp.message.sent']);
    const cpu0 = server.cpuMs();
    const m = await measure(server, {
      options: {
        requests: [{
          method: 'POST', path: `/api/v1/whatsapp_conversations/${CONVERSATION}/whatsapp_messages`, headers: { 'x-api-key': key, 'content-type': 'application/json' },
          setupRequest: (r) => ({ ...r, body: JSON.stringify({ message: { message_type: 'text', content: `Cost ${++sent}` } }) }),
        }],
      },
    }, { connections, durationS });
    if (m.non2xx + m.errors + m.timeouts > 0) throw new Error(`webhook cost ${kind}: ${m.non2xx} non-2xx, ${m.errors} errors, ${m.timeouts} timeouts`);
    // Every send's delivery received (the conversation's deliveries go one after another), or 60 s more at most.
    await receiver?.waitFor(m.requests, 60_000);
    if (receiver && receiver.keys.size < m.requests) throw new Error(`webhook cost: ${receiver.keys.size} of ${m.requests} deliveries after 60 s`);
    samples[kind].push({ rps: m.rps, cpuUsPerSend: ((server.cpuMs() - cpu0) * 1000) / m.requests });
    await receiver?.close();
    await expectOk(server, 'DELETE', `/__admin/projects/${id}`, null);
  };
  for (let round = 0; round < rounds; round++) {
    for (const kind of round % 2 === 0 ? (['none', 'ok'] as const) : (['ok', 'none'] as const)) await run(kind);
  }
  const med = (kind: 'none' | 'ok') => ({ rps: median(samples[kind].map((x) => x.rps)), cpuUsPerSend: median(samples[kind].map((x) => x.cpuUsPerSend)) });
  const none = med('none');
  const ok = med('ok');
  return { rounds, durationS, none, ok, rpsRatio: ok.rps / none.rps };
}

export async function runWebhooks(server: ServerProcess, options: { events: number; conversations: number; requests: number; rounds: number }): Promise<WebhookResult> {
  return {
    throughput: await throughput(server, options.events, options.conversations, 16),
    drain: await drain(server, options.events, options.conversations, 16),
    latency: await latency(server, options.requests, options.rounds, 8),
    cost: await cost(server, 4, 3, 8),
  };
}

// Run alone: the built server (npm run build first), figures on stdout.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { server } = await startAndWait(spawnKapsoMock({ name: 'webhooks', db: ':memory:' }));
  try {
    const result = await runWebhooks(server, { events: Number(process.env.BENCH_WEBHOOK_EVENTS ?? 5000), conversations: 200, requests: 2000, rounds: 3 });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server.stop();
  }
}
