// Every response a test receives is checked here against the OpenAPI document generated
// from the code (the committed openapi.yaml), and 2xx bodies also against Kapso's own
// published documents when they are present beside the project (../shared/kapso-spec):
// the main one for /api/v1, the Meta proxy's for /meta/whatsapp.
import { existsSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

type Json = Record<string, any>;

interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  responses: Record<string, Json>;
}

export const KAPSO_SPEC = new URL('../../../shared/kapso-spec/openapi.patched.yaml', import.meta.url);
const KAPSO_PROXY_SPEC = new URL('../../../shared/kapso-spec/meta-proxy/openapi-whatsapp.yaml', import.meta.url);

/** Where Kapso's proxy document's paths live here: under a version, or (media_download) without one. */
const PROXY_PREFIX = /^\/meta\/whatsapp(\/v\d+\.\d+)?(?=\/)/;

function operationsOf(doc: Json, prefix = ''): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    const template = prefix + path;
    const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const [method, op] of Object.entries<Json>(item)) {
      ops.push({ method: method.toUpperCase(), template, regex, responses: op.responses ?? {} });
    }
  }
  return ops;
}

const contentOf = (response: Json | undefined): Json | undefined => response?.content;
const schemaOf = (response: Json | undefined): Json | undefined => contentOf(response)?.['application/json']?.schema;

interface Doc {
  name: string;
  doc: Json;
  ops: Operation[];
  /** For Kapso's documents: the part of our path their paths describe, or undefined when a path is not theirs. */
  own?: (path: string) => string | undefined;
}

class Contract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction>();
  constructor(private readonly docs: Doc[]) {
    addFormats.default(this.ajv);
  }

  private validator(name: string, doc: Json, schema: Json): ValidateFunction {
    const key = `${name}:${JSON.stringify(schema)}`;
    let fn = this.cache.get(key);
    if (!fn) {
      fn = this.ajv.compile({ ...schema, components: doc.components });
      this.cache.set(key, fn);
    }
    return fn;
  }

  /** Throws when the response does not match what the document declares for it. */
  check(method: string, url: string, status: number, headers: Record<string, unknown>, raw: string): void {
    const path = url.split('?')[0]!;
    // The documents themselves are not operations of the document.
    if (path === '/openapi.json' || path.startsWith('/docs')) return;
    const where = `${method} ${path} -> ${status}`;
    if (status === 204 || method === 'HEAD') {
      if (raw !== '') throw new Error(`${where}: a 204 must have an empty body, got ${raw.slice(0, 200)}`);
      if (headers['content-type'] !== undefined) throw new Error(`${where}: a 204 must not have a content type`);
      return;
    }
    const proxy = path.startsWith('/meta/whatsapp');
    const [ours, ...kapso] = this.docs;
    const own = this.pick(ours!.ops, method, path);
    // A route that answers a file or a stream declares its media type: its bytes are not JSON to check.
    const declared = contentOf(own?.responses[String(status)]);
    if (status < 400 && declared && !declared['application/json']) {
      const types = Object.keys(declared);
      if (!types.some((t) => t === '*/*' || t.endsWith('/*') || t === 'application/octet-stream' || String(headers['content-type']).startsWith(t))) {
        throw new Error(`${where}: content type is ${String(headers['content-type'])}, the document says ${types.join(' or ')}`);
      }
      return;
    }
    if (!String(headers['content-type']).startsWith('application/json; charset=utf-8')) {
      throw new Error(`${where}: content type is ${String(headers['content-type'])}`);
    }
    const body = JSON.parse(raw) as unknown;
    let schema = schemaOf(own?.responses[String(status)]);
    if (!schema && status >= 400) schema = ours!.doc.components.schemas[proxy ? 'GraphError' : 'Error'];
    if (!schema) throw new Error(`${where}: the ${ours!.name} document declares no response for this`);
    this.validate(ours!, schema, body, where, raw);
    if (status >= 300) return;
    for (const d of kapso) {
      const theirs = d.own!(path);
      if (theirs === undefined) continue;
      // Graph-style one-segment paths (/{media_id}, /{phone_number_id}, /{flow_id}) are one route here:
      // the answer must match one of Kapso's operations of that shape.
      const schemas = d.ops.filter((o) => o.method === method && o.regex.test(theirs)).map((o) => schemaOf(o.responses[String(status)])).filter((s) => s !== undefined);
      if (schemas.length === 0) continue;
      const failures = schemas.map((s) => (this.validator(d.name, d.doc, s!)(body) ? undefined : this.ajv.errorsText(this.validator(d.name, d.doc, s!).errors)));
      if (failures.every((f) => f !== undefined)) {
        throw new Error(`${where}: body does not match the ${d.name} document: ${failures.join(' | ')}\n${raw.slice(0, 500)}`);
      }
    }
  }

  /** Our operation for a request: PUT/PATCH aliases are left out of the document and share the other method's contract. */
  private pick(ops: Operation[], method: string, path: string): Operation | undefined {
    const candidates = ops.filter((o) => o.regex.test(path));
    const staticness = (o: Operation) => o.template.split('/').map((s) => (s.startsWith('{') ? '1' : '0')).join('');
    candidates.sort((a, b) => staticness(a).localeCompare(staticness(b)));
    return candidates.find((o) => o.method === method)
      ?? (method === 'PUT' || method === 'PATCH' ? candidates.find((o) => o.method === (method === 'PUT' ? 'PATCH' : 'PUT')) : undefined);
  }

  private validate(d: Doc, schema: Json, body: unknown, where: string, raw: string): void {
    const validate = this.validator(d.name, d.doc, schema);
    if (!validate(body)) {
      throw new Error(`${where}: body does not match the ${d.name} document: ${this.ajv.errorsText(validate.errors)}\n${raw.slice(0, 500)}`);
    }
  }
}

/**
 * Kapso's document with every `oneOf` read as `anyOf`. Its `WhatsappMessage.message_type_data` is a
 * oneOf of ten object shapes that all leave every field optional and allow any other field: every
 * object matches all ten, so no message could ever satisfy "exactly one". Read as "one of these
 * shapes" it checks what the document means; its other oneOfs (an array or an object) are unchanged by it.
 */
function anyOfForOneOf(node: Json): Json {
  const walk = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(walk);
    if (n === null || typeof n !== 'object') return n;
    return Object.fromEntries(Object.entries(n).map(([k, v]) => [k === 'oneOf' ? 'anyOf' : k, walk(v)]));
  };
  return walk(node) as Json;
}

let contract: Promise<Contract> | undefined;

/** The checker, built once per test file from the committed document (test/openapi.test.ts proves the code generates exactly it). */
export function getContract(): Promise<Contract> {
  contract ??= (async () => {
    const ours = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Json;
    const docs: Doc[] = [{ name: 'generated', doc: ours, ops: operationsOf(ours) }];
    if (existsSync(KAPSO_SPEC)) {
      const kapso = anyOfForOneOf(parse(readFileSync(KAPSO_SPEC, 'utf8')) as Json);
      docs.push({ name: "Kapso's", doc: kapso, ops: operationsOf(kapso), own: (p) => (p.startsWith('/api/v1/') ? p.slice('/api/v1'.length) : undefined) });
    }
    if (existsSync(KAPSO_PROXY_SPEC)) {
      const proxy = anyOfForOneOf(parse(readFileSync(KAPSO_PROXY_SPEC, 'utf8')) as Json);
      docs.push({ name: "Kapso's Meta proxy", doc: proxy, ops: operationsOf(proxy), own: (p) => (PROXY_PREFIX.test(p) ? p.replace(PROXY_PREFIX, '') : undefined) });
    }
    return new Contract(docs);
  })();
  return contract;
}
