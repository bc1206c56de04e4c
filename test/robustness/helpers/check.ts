// What every response must be, whatever was sent (issue 4): a 2xx the document declares, or
// Kapso's envelope with a status docs/behaviour.md gives it; never a 5xx, never a stack trace or an
// internal detail, never a field the document does not declare (that is how secrets would leak).
import { getContract } from '../../helpers/contract.js';
import { deref, responseSchema, routeFor, type Json, type Route } from './routes.js';

/** Statuses the error table of docs/behaviour.md allows on any /api/v1 request, documented per operation or not. */
export const GLOBAL_4XX = [400, 401, 404, 413, 415, 429];

/** The `error` sentence each status carries (docs/behaviour.md "Errors"). */
const ERROR_FOR_STATUS: Record<number, RegExp> = {
  400: /^Invalid parameters$/,
  401: /^Invalid or missing API key$/,
  404: /^(Not found|.+ not found)$/,
  413: /^Payload too large$/,
  415: /^Unsupported media type$/,
  422: /^(Validation failed|.+ has already been taken|.+ must exist)$/,
  429: /^Rate limit exceeded$/,
};

/** Traces of the implementation that must never reach a client. */
const INTERNALS = /\bat [\w$.<>]+ \(|node_modules|\/src\/|\.[cm]?[jt]s:\d+|Sqlite|SQLITE_|RangeError|TypeError|ReferenceError|SyntaxError|call stack|FST_[A-Z_]+|"statusCode"|"code"\s*:/;

export interface Exchange {
  method: string;
  url: string;
  status: number;
  headers: Record<string, unknown>;
  raw: string;
}

export interface Violation {
  /** Groups violations with one cause: "PATCH /api/v1/agents/{agent_id} -> 500". */
  signature: string;
  detail: string;
}

const contract = await getContract();

/**
 * Everything wrong with one response, as at most one violation (its signature names every
 * problem, so one cause counts once); empty when the response is what the contract allows.
 */
/**
 * The URL as the server received it: WHATWG URL parsing (app.inject's, fetch's) resolves a dot
 * segment (`..`, `%2e%2e`) first, so `/customers/%2e%2e/whatsapp_configs` reaches `/whatsapp_configs`.
 */
function reached(url: string): string {
  const u = new URL(url, 'http://localhost');
  return `${u.pathname}${u.search}`;
}

export function violationsOf(sent: Exchange, intended: Route | undefined = routeFor(sent.method, sent.url)): Violation[] {
  // Judged against the operation the request reached when a dot segment led it to another one.
  const url = reached(sent.url);
  const rerouted = url === sent.url ? undefined : routeFor(sent.method, url);
  const x = rerouted ? { ...sent, url } : sent;
  const route = rerouted ?? intended;
  const where = `${x.method} ${route ? `${route.path}${route.alias ? ' (alias)' : ''}` : x.url.split('?', 1)[0]!.slice(0, 80)} -> ${x.status}`;
  const kinds: string[] = [];
  const details: string[] = [];
  const add = (kind: string, detail?: string) => {
    kinds.push(kind);
    if (detail !== undefined) details.push(detail);
  };
  const result = (): Violation[] =>
    kinds.length === 0 ? [] : [{ signature: `${where}: ${kinds.join('; ')}`, detail: [x.raw.slice(0, 240), ...details].join(' | ') }];

  if (x.status >= 500) add('5xx');
  try {
    contract.check(x.method, x.url, x.status, x.headers, x.raw);
  } catch (err) {
    add('breaks the OpenAPI contract', (err as Error).message.split('\n', 1)[0]!.replace(/^.*?-> \d+: /, '').slice(0, 160));
  }
  if (x.status === 204) return result();

  let body: unknown;
  try {
    body = JSON.parse(x.raw);
  } catch {
    add('body is not JSON');
    return result();
  }
  // Where the operation documents its own body for an error status (createFlowExecution's 422
  // `{error, details}`), the contract check above has validated it: the envelope rules are the
  // document's, not docs/behaviour.md's table.
  const ownErrorBody = x.status >= 400 && route !== undefined && hasOwnErrorBody(route, x.status);
  if (x.status >= 400 && ownErrorBody) {
    if (INTERNALS.test(x.raw)) add('implementation details in the body');
  } else if (x.status >= 400) {
    const envelope = body as Json;
    const keys = body !== null && typeof body === 'object' && !Array.isArray(body) ? Object.keys(envelope) : [];
    if (typeof envelope?.error !== 'string' || envelope.error === '' || keys.some((k) => k !== 'error' && k !== 'message')
      || (envelope.message !== undefined && typeof envelope.message !== 'string')) {
      add('not the {error, message?} envelope');
    } else if (ERROR_FOR_STATUS[x.status] && !ERROR_FOR_STATUS[x.status]!.test(envelope.error) && !route?.data.errorSentences?.[x.status]?.includes(envelope.error)) {
      add(`status and error sentence disagree ("${envelope.error}")`);
    }
    const allowed = route ? [...route.statuses, ...GLOBAL_4XX] : [404];
    if (x.status < 500 && !allowed.includes(x.status)) add('status neither documented for the operation nor in the error table');
    // "No route matches <METHOD> <path>" quotes the path the client sent; only the rest can leak internals.
    const scanned = typeof envelope?.message === 'string' && envelope.message.startsWith('No route matches ')
      ? JSON.stringify({ ...envelope, message: 'No route matches' }) : x.raw;
    if (INTERNALS.test(scanned)) add('implementation details in the body');
  } else if (x.status >= 400) {
    if (INTERNALS.test(x.raw)) add('implementation details in the body');
  } else if (route) {
    const undeclared = undeclaredFields(responseSchema(route, x.status), body, '$');
    if (undeclared.length > 0) add('fields the document does not declare', undeclared.slice(0, 5).join(', '));
  }
  return result();
}

/** True when the document gives the operation a body of its own for this status, not the shared envelope. */
function hasOwnErrorBody(route: Route, status: number): boolean {
  const schema = responseSchema(route, status);
  return schema !== undefined && schema.$ref !== '#/components/schemas/Error';
}

/** JSON paths of properties in `value` that `schema` does not declare (only objects with declared properties are strict). */
export function undeclaredFields(schema: Json | undefined, value: unknown, at: string): string[] {
  const s = deref(schema);
  if (!s || value === null || typeof value !== 'object') return [];
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[key])) {
      const branches = (s[key] as Json[]).map((b) => undeclaredFields(b, value, at));
      return branches.find((b) => b.length === 0) ?? branches[0] ?? [];
    }
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => undeclaredFields(s.items as Json | undefined, v, `${at}[${i}]`));
  const props = s.properties as Record<string, Json> | undefined;
  if (!props) return [];
  return Object.entries(value as Json).flatMap(([k, v]) =>
    props[k] === undefined ? [`${at}.${k}`] : undeclaredFields(props[k], v, `${at}.${k}`),
  );
}

/** Collects violations across many requests; prints them grouped by cause. */
export class Findings {
  readonly bySignature = new Map<string, { count: number; examples: string[] }>();
  requests = 0;
  statuses = new Map<number, number>();

  /** Counts the response (unless `count` is false: read-backs and sweeps) and keeps its violations. */
  record(x: Exchange, violations: Violation[], request: string, count = true): void {
    if (count) {
      this.requests++;
      this.statuses.set(x.status, (this.statuses.get(x.status) ?? 0) + 1);
    }
    for (const v of violations) this.add(v.signature, `${request}\n      => ${v.detail}`);
  }

  add(signature: string, example: string): void {
    const entry = this.bySignature.get(signature) ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < 2) entry.examples.push(example);
    this.bySignature.set(signature, entry);
  }

  get total(): number {
    return [...this.bySignature.values()].reduce((n, e) => n + e.count, 0);
  }

  /** One line per cause with a count and up to two examples (empty when nothing was found). */
  summary(): string[] {
    return [...this.bySignature.entries()]
      .sort((a, b) => b[1].count - a[1].count)
      .map(([sig, e]) => `${e.count} x ${sig}\n    e.g. ${e.examples.join('\n    e.g. ')}`);
  }

  statusLine(): string {
    return [...this.statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ');
  }
}

/** A short, printable description of a request (bodies and URLs can be a mebibyte). */
export function describeRequest(method: string, url: string, body?: string, contentType?: string): string {
  const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}... (${s.length} chars)` : s);
  const ct = contentType === undefined ? '' : ` [${contentType}]`;
  const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${method} ${clip(url, 160)}${ct}${body === undefined ? '' : ` ${clip(printable(body), 220)}`}`;
}
