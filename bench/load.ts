// The load cases: what each one sends, and one autocannon run measured from the client side
// (requests per second, latency percentiles from every response, status codes).
import autocannon, { type Client, type Options, type Request } from 'autocannon';
import { readMachineBusyMs, type ServerProcess } from './processes.js';

export const DEMO_KEY = 'kapso-demo-key';
export const OTHER_KEY = 'kapso-other-key';
export const DEMO_AGENT = 'a1000000-0000-4000-8000-000000000001';
export const DEMO_LINK = 'd1000000-0000-4000-8000-000000000001';
/** Acme Support and Acme Sales: the two configs every PUT agent links to. */
const CONFIG_A = 'b1000000-0000-4000-8000-000000000001';
const CONFIG_B = 'b1000000-0000-4000-8000-000000000002';

export const GET_PATH = `/api/v1/agents/${DEMO_AGENT}/agent_whatsapp_configs/${DEMO_LINK}`;
export const LIST_PATH = '/api/v1/customers?per_page=20';

export interface Measurement {
  /** Completed responses per second over the measured window. */
  rps: number;
  /** Latency percentiles in ms, from every response of the run. */
  p50: number;
  p99: number;
  requests: number;
  durationS: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Server CPU time per response, in microseconds: the cost of one request, whoever is the bottleneck. */
  serverCpuUsPerReq: number;
  /** Share of one core used by the server and by the load generator (this process) during the run. */
  serverCpu: number;
  clientCpu: number;
  /** Cores' worth of CPU used by other processes on the machine during the run (noise; ideally near 0). */
  backgroundCpu: number;
  /** PUT only: responses that show no write happened (updated_at unchanged). Must be 0. */
  noops?: number;
}

export interface LoadSettings {
  connections: number;
  durationS: number;
}

/** What one run sends: autocannon options minus url/connections/duration, plus a check after the run. */
export interface Plan {
  options: Omit<Options, 'url' | 'connections' | 'duration'>;
  /** PUT's write check. */
  noops?: () => number;
  /** Runs after the measurement (POST removes the sandbox its customers went to). */
  after?: () => Promise<void>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function measure(server: ServerProcess, plan: Plan, { connections, durationS }: LoadSettings): Promise<Measurement> {
  const latencies: number[] = [];
  const instance = autocannon({ url: server.url, connections, duration: durationS, pipelining: 1, timeout: 10, ...plan.options });
  instance.on('response', (_client: Client, _status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
  });
  const serverCpuBefore = server.cpuMs();
  const clientCpuBefore = process.cpuUsage();
  const machineBefore = readMachineBusyMs();
  const result = await instance;
  const serverCpuMs = server.cpuMs() - serverCpuBefore;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000;
  const otherCpuMs = readMachineBusyMs() - machineBefore - serverCpuMs - clientCpuMs;
  const sorted = Float64Array.from(latencies).sort();
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  return {
    rps: result.requests.total / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: result.requests.total,
    durationS: result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    serverCpuUsPerReq: (serverCpuMs * 1000) / result.requests.total,
    serverCpu: serverCpuMs / (result.duration * 1000),
    clientCpu: clientCpuMs / (result.duration * 1000),
    backgroundCpu: Math.max(0, otherCpuMs / (result.duration * 1000)),
    ...(plan.noops && { noops: plan.noops() }),
  };
}

// ---------------------------------------------------------------------------------------------
// Plain HTTP for setup and checks (not measured).

export async function call(server: ServerProcess, method: string, path: string, key: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (key !== null) headers['x-api-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(server.url + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

export async function expectStatus(server: ServerProcess, method: string, path: string, key: string | null, status: number, body?: unknown) {
  const res = await call(server, method, path, key, body);
  if (res.status !== status) throw new Error(`${server.name}: ${method} ${path} answered ${res.status}, expected ${status}: ${res.text.slice(0, 500)}`);
  return res;
}

/** A new sandbox project seeded from the Demo Project (its records under the same IDs): its ID and API key. */
export async function seededSandbox(server: ServerProcess, name: string): Promise<{ id: string; key: string }> {
  const { data } = (await expectStatus(server, 'POST', '/__admin/projects', null, 201, { seed: true, name })).json() as { data: { id: string; api_key: string } };
  return { id: data.id, key: data.api_key };
}

// ---------------------------------------------------------------------------------------------
// The cases.

const keyed = (key: string) => ({ 'x-api-key': key });
const jsonKeyed = (key: string) => ({ 'x-api-key': key, 'content-type': 'application/json' });

/** GET one agent link (the seed route; the baseline answers the same path with the same bytes). */
export const getPlan = (): Plan => ({ options: { method: 'GET', requests: [{ method: 'GET', path: GET_PATH, headers: keyed(DEMO_KEY) }] } });

/** GET a page of 20 customers of the Demo Project (1,000 customers). */
export const listPlan = (): Plan => ({ options: { requests: [{ method: 'GET', path: LIST_PATH, headers: keyed(DEMO_KEY) }] } });

let postSequence = 0;
const runTag = Date.now().toString(36);
const postBody = () => JSON.stringify({ customer: { name: 'Bench Customer', external_customer_id: `POST-${runTag}-${++postSequence}` } });
/** A customer POST body as the POST case sends it (its size), for the baseline's reference answer. */
export const POST_BODY_SAMPLE = JSON.stringify({ customer: { name: 'Bench Customer', external_customer_id: `POST-${runTag}-sample` } });

const PUT_BODY = JSON.stringify({ agent_whatsapp_config: { is_primary: true } });
/**
 * The bare references for writes: the seed PUT's body, or a customer POST body made anew for every
 * request as the POST case does, sent to the baseline (which parses it and answers constant bytes).
 */
export const barePlan = (method: 'PUT' | 'POST'): Plan => ({
  options: {
    requests: [method === 'PUT'
      ? { method, path: GET_PATH, headers: jsonKeyed(DEMO_KEY), body: PUT_BODY }
      : { method, path: '/api/v1/customers', headers: jsonKeyed(DEMO_KEY), setupRequest: (request) => ({ ...request, body: postBody() }) }],
  },
});

/**
 * POST a customer with a unique external_customer_id. Customers are created in the Other
 * Project, so the Demo Project's list stays at 1,000 customers for the list case.
 */
/**
 * POST customers into a sandbox project made for this run and deleted after it (through the
 * admin API), so that the tens of thousands of customers a run creates do not pile up round
 * after round in the server the memory figure is read from.
 */
export const postPlan = async (server: ServerProcess): Promise<Plan> => {
  const sandbox = (await expectStatus(server, 'POST', '/__admin/projects', null, 201, { name: 'Bench POST sandbox' })).json() as {
    data: { id: string; api_key: string };
  };
  return {
    options: {
      requests: [{
        method: 'POST',
        path: '/api/v1/customers',
        headers: jsonKeyed(sandbox.data.api_key),
        setupRequest: (request) => ({ ...request, body: postBody() }),
      }],
    },
    after: async () => void (await expectStatus(server, 'DELETE', `/__admin/projects/${sandbox.data.id}`, null, 204)),
  };
};

export interface PutPair {
  agentId: string;
  links: [string, string];
}

/**
 * One agent per connection, each linked to Acme Support and Acme Sales (created through the
 * API). A connection sends one request at a time and alternates "make link A primary", "make
 * link B primary" on its own agent, so every request finds the other link primary and writes
 * (demote + promote in one transaction). With every connection on one shared agent, many
 * requests would find their link already primary (another connection got there first), and
 * the repository answers those without writing.
 */
export async function createPutPairs(server: ServerProcess, count: number): Promise<PutPair[]> {
  const pairs: PutPair[] = [];
  for (let i = 0; i < count; i++) {
    const agent = await expectStatus(server, 'POST', '/api/v1/agents', DEMO_KEY, 201, { agent: { name: `Bench PUT agent ${i}` } });
    const agentId = (agent.json().data as { id: string }).id;
    const links: string[] = [];
    for (const [config, primary] of [[CONFIG_A, true], [CONFIG_B, false]] as const) {
      const link = await expectStatus(server, 'POST', `/api/v1/agents/${agentId}/agent_whatsapp_configs`, DEMO_KEY, 201, {
        agent_whatsapp_config: { whatsapp_config_id: config, is_primary: primary },
      });
      links.push((link.json().data as { id: string }).id);
    }
    pairs.push({ agentId, links: [links[0]!, links[1]!] });
  }
  return pairs;
}

/** Builds the PUT plan from the links' current state, so even each connection's first request writes. */
export async function putPlan(server: ServerProcess, pairs: PutPair[]): Promise<Plan> {
  const order: Array<[string, string]> = [];
  for (const { agentId, links } of pairs) {
    const res = await expectStatus(server, 'GET', `/api/v1/agents/${agentId}/agent_whatsapp_configs`, DEMO_KEY, 200);
    const primary = (res.json().data as Array<{ id: string; is_primary: boolean }>).find((l) => l.is_primary)?.id;
    order.push(primary === links[0] ? [links[1], links[0]] : [links[0], links[1]]);
  }
  let next = 0;
  let noops = 0;
  const body = PUT_BODY;
  const setupClient = (client: Client) => {
    const i = next++ % pairs.length;
    const { agentId } = pairs[i]!;
    const [first, second] = order[i]!;
    // A write stamps the link's updated_at with the server's clock (this machine's, in ms) after the
    // request left; an updated_at older than the moment the request was sent means nothing was written.
    // (One request at a time per connection: a request leaves when the previous response is in.)
    let sentAt = Date.now();
    const onResponse = (status: number, text: string) => {
      if (status === 200) {
        const link = (JSON.parse(text) as { data: { is_primary: boolean; updated_at: string } }).data;
        if (!link.is_primary || Date.parse(link.updated_at) < Math.floor(sentAt)) noops++;
      }
      sentAt = Date.now();
    };
    const put = (id: string): Request => ({
      method: 'PUT', path: `/api/v1/agents/${agentId}/agent_whatsapp_configs/${id}`, headers: jsonKeyed(DEMO_KEY), body, onResponse,
    });
    client.setRequests([put(first), put(second)]);
  };
  return { options: { setupClient }, noops: () => noops };
}
