// Every response a test receives is checked here against the OpenAPI document generated
// from the code (the committed openapi.yaml), and 2xx bodies also against Kapso's own
// published document when it is present beside the project (../shared/kapso-spec).
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

/** '0' for each static segment of a path template, '1' for each parameter: the most static sorts first. */
const staticness = (op: Operation) => op.template.split('/').map((segment) => (segment.startsWith('{') ? '1' : '0')).join('');

function schemaOf(response: Json | undefined): Json | undefined {
  return response?.content?.['application/json']?.schema;
}

class Contract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction>();
  constructor(private readonly docs: { name: string; doc: Json; ops: Operation[] }[]) {
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
    const [generated] = this.docs;
    // A response the document declares in another media type (the event stream) is checked for that type only.
    const declared = generated!.ops.filter((o) => o.method === method && o.regex.test(path)).sort((a, b) => staticness(a).localeCompare(staticness(b)))[0]?.responses[String(status)]?.content as Json | undefined;
    const media = declared && !declared['application/json'] ? Object.keys(declared)[0] : undefined;
    if (media !== undefined) {
      if (!String(headers['content-type']).startsWith(media)) throw new Error(`${where}: content type is ${String(headers['content-type'])}, the document says ${media}`);
      return;
    }
    if (!String(headers['content-type']).startsWith('application/json; charset=utf-8')) {
      throw new Error(`${where}: content type is ${String(headers['content-type'])}`);
    }
    const body = JSON.parse(raw) as unknown;
    for (const [i, { name, doc, ops }] of this.docs.entries()) {
      const kapso = i > 0;
      if (kapso && (status >= 300 || !path.startsWith('/api/v1/'))) continue;
      // Static segments win over parameters, as the router decides (/__admin/requests/count is not /__admin/requests/{id}).
      const candidates = ops.filter((o) => o.regex.test(kapso ? path.slice('/api/v1'.length) : path)).sort((a, b) => staticness(a).localeCompare(staticness(b)));
      // PUT/PATCH aliases are left out of the document: they share the other method's contract.
      const op = candidates.find((o) => o.method === method)
        ?? (method === 'PUT' || method === 'PATCH' ? candidates.find((o) => o.method === (method === 'PUT' ? 'PATCH' : 'PUT')) : undefined);
      let schema = schemaOf(op?.responses[String(status)]);
      if (!schema && status >= 400 && !kapso) schema = doc.components.schemas.Error;
      if (!schema) {
        if (kapso) continue;
        throw new Error(`${where}: the ${name} document declares no response for this`);
      }
      const validate = this.validator(name, doc, schema);
      if (!validate(body)) {
        throw new Error(`${where}: body does not match the ${name} document: ${this.ajv.errorsText(validate.errors)}\n${raw.slice(0, 500)}`);
      }
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
    const docs = [{ name: 'generated', doc: ours, ops: operationsOf(ours) }];
    if (existsSync(KAPSO_SPEC)) {
      const kapso = anyOfForOneOf(parse(readFileSync(KAPSO_SPEC, 'utf8')) as Json);
      docs.push({ name: "Kapso's", doc: kapso, ops: operationsOf(kapso) });
    }
    return new Contract(docs);
  })();
  return contract;
}
