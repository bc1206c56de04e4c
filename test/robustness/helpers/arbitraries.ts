// fast-check generators for what people throw at a sandbox API: request bodies built from the
// operation's own schema and then broken (wrong types, missing and extra keys, nested junk, huge
// strings, unicode and control characters, numbers at the edges, __proto__/constructor keys,
// deep nesting), raw text that is not JSON, odd content types, and hostile path and query values.
//
// Big or JSON-inexpressible things travel through the generators as small sentinel strings
// ("~~deeparr:50000~~", "~~num:1e400~~", a "~~proto~~" key) and are expanded only in the final
// request text, so fast-check never holds a mebibyte value or a 100 000-level object.
import fc from 'fast-check';
import { deref, PARAM_KINDS, type Json, type Kind, type Pools, type Route } from './routes.js';

// ---------------------------------------------------------------------------------------------
// Sentinels

/** Replaces the sentinels in a JSON text by what they stand for. */
export function expand(text: string): string {
  return text.replace(/"~~([a-z]+)(?::([^~"]*))?~~"/g, (_m, kind: string, arg = '') => {
    const [a = '', b = ''] = arg.split(':');
    const n = Number(a);
    switch (kind) {
      case 'proto': return '"__proto__"';
      case 'ctor': return '"constructor"';
      case 'num': return a;
      case 'deeparr': return `${'['.repeat(n)}${']'.repeat(n)}`;
      case 'deepobj': return `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
      case 'deepproto': return `${'{"__proto__":'.repeat(n)}{}${'}'.repeat(n)}`;
      case 'huge': return JSON.stringify(hugeText(n, b));
      case 'manykeys': return `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`;
      case 'longarr': return `[${Array.from({ length: n }, () => (b === 'str' ? '"x"' : '0')).join(',')}]`;
      default: return _m;
    }
  });
}

function hugeText(n: number, kind: string): string {
  const unit = { ascii: 'a', euro: '€', emoji: '😀', nul: '\u0000', quote: '"\\', mixed: 'a€😀\u0007\u202e' }[kind] ?? 'a';
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

// ---------------------------------------------------------------------------------------------
// Junk values

/** Strings with a history of breaking things: SQL and LIKE metacharacters, path tricks, encodings. */
export const NASTY_STRINGS = [
  '', ' ', '\t\n\r', "'", "' OR '1'='1", "'; DROP TABLE customers; --", '" OR ""="', '%', '_', '%_%', '\\', '\\%', "''", '`', ';',
  'null', 'undefined', 'NaN', 'Infinity', 'true', '0', '-1', '1e309', '0x10', '__proto__', 'constructor', 'prototype', 'toString',
  'hasOwnProperty', '\u0000', 'a\u0000b', '\u0001\u001f\u007f', '\ud800', '\udfff', 'x\ud83dy', '\ufeff', '\u202e\u2066', '\u200b',
  '𝕏', '😀👍🏽', 'ﷺ', 'é', 'é', 'İ', 'ß', '../../etc/passwd', '..%2F..%2F', '%2F', '%00', '/', '?', '#', '&', '=',
  '<script>alert(1)</script>', '${jndi:ldap://x}', '{{7*7}}', '$where', '{"$gt":""}', 'SELECT * FROM projects',
  '00000000-0000-0000-0000-000000000000', 'A1000000-0000-4000-8000-000000000001', 'kapso-other-key', 'kapso-demo-key',
];

const edgeNumbers = fc.constantFrom<unknown>(
  0, -1, 1, 0.5, -0.5, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2,
  2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53, 2 ** 63, 2 ** 64,
  // Numbers JSON.stringify cannot write: expanded in the text.
  '~~num:1e400~~', '~~num:-1e400~~', '~~num:-0~~', '~~num:1E-400~~', '~~num:123456789012345678901234567890~~', '~~num:0.1e1~~',
);

const bigThings = fc.oneof(
  fc.tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom('ascii', 'euro', 'emoji', 'nul', 'quote', 'mixed'))
    .map(([n, k]) => `~~huge:${n}:${k}~~`),
  fc.constantFrom(10, 100, 1_000, 10_000).map((n) => `~~deeparr:${n}~~`),
  fc.constantFrom(10, 100, 1_000, 10_000).map((n) => `~~deepobj:${n}~~`),
  fc.constantFrom(10, 1_000).map((n) => `~~deepproto:${n}~~`),
  fc.constantFrom(100, 10_000).map((n) => `~~manykeys:${n}~~`),
  fc.constantFrom('1000:num', '10000:str').map((a) => `~~longarr:${a}~~`),
);

/** Rarely, the really deep ones (the JSON parser and JSON.stringify recursion limits lie around here). */
const hugeNesting = fc.constantFrom(50_000, 120_000).chain((n) => fc.constantFrom(`~~deeparr:${n}~~`, `~~deepobj:${n}~~`));

export const nastyString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) }, // lone surrogates included
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[\x00-\x1f\x7f\u0080-\u009f]{1,8}$/) },
);

/** Extra keys: typos of real ones, prototype keys, odd text. */
export const nastyKey = fc.oneof(
  fc.constantFrom('~~proto~~', '~~ctor~~', 'prototype', '__defineGetter__', 'toString', 'valueOf', 'hasOwnProperty', 'id', 'project_id',
    'created_at', 'updated_at', 'access_token', 'is_primary', 'name', '', ' ', '\u0000', 'ñ', '😀', 'a.b', 'a[b]', '$set'),
  fc.string({ maxLength: 12 }),
);

export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [[]], { '': null }) },
  { weight: 3, arbitrary: edgeNumbers },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
  { weight: 4, arbitrary: nastyString },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: bigThings },
);

// ---------------------------------------------------------------------------------------------
// Valid bodies, from the operation's request schema

export interface BodyContext {
  /** IDs a `format: uuid` field can refer to (the caller's records first). */
  pools: Pools;
  /** IDs that must never be reachable (another project's), mixed in now and then. */
  foreign: Pools;
}


function stringFor(name: string, schema: Json, ctx: BodyContext): fc.Arbitrary<string> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as string[]));
  if (schema.format === 'uuid') {
    const kind: Kind | undefined = PARAM_KINDS[name];
    const own = kind ? ctx.pools[kind] : [];
    const foreign = kind ? ctx.foreign[kind] : [];
    return fc.oneof(
      { weight: 6, arbitrary: own.length ? fc.constantFrom(...own) : fc.uuid({ version: 4 }) },
      { weight: 1, arbitrary: foreign.length ? fc.constantFrom(...foreign) : fc.uuid({ version: 4 }) },
      { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
      { weight: 1, arbitrary: nastyString },
    );
  }
  if (/url/i.test(name)) return fc.oneof({ weight: 3, arbitrary: fc.webUrl() }, { weight: 1, arbitrary: nastyString });
  return fc.oneof(
    { weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
    { weight: 1, arbitrary: nastyString },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }) },
  );
}

/** Values the schema accepts (mostly: blank strings and unknown IDs are left to the API to refuse). */
export function validValue(schemaIn: Json | undefined, ctx: BodyContext, name = '', depth = 0): fc.Arbitrary<unknown> {
  const schema = deref(schemaIn) ?? {};
  if (Array.isArray(schema.anyOf ?? schema.oneOf)) {
    return fc.oneof(...((schema.anyOf ?? schema.oneOf) as Json[]).map((s) => validValue(s, ctx, name, depth)));
  }
  const type = schema.type as string | undefined;
  if (type === 'object' || schema.properties) {
    const props = (schema.properties ?? {}) as Record<string, Json>;
    const required = new Set((schema.required ?? []) as string[]);
    if (Object.keys(props).length === 0) {
      return depth > 3 ? fc.constant({}) : fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
    }
    const model = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, validValue(s, ctx, k, depth + 1)]));
    // A wrapper (required, or the only key of the body) is always there; optional fields come and go.
    const always = Object.keys(props).filter((k) => required.has(k) || depth === 0);
    return fc.record(model, { requiredKeys: always });
  }
  if (type === 'array') return fc.array(validValue(schema.items as Json, ctx, name, depth + 1), { maxLength: 4 });
  if (type === 'boolean') return fc.boolean();
  if (type === 'integer') return fc.integer({ min: -1000, max: 100_000 });
  if (type === 'number') return fc.double({ noNaN: true, noDefaultInfinity: true });
  if (type === 'string') return stringFor(name, schema, ctx);
  return fc.jsonValue({ maxDepth: 2 });
}

// ---------------------------------------------------------------------------------------------
// Breaking a valid body

type Path = (string | number)[];

function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

interface Mutation {
  kind: 'replace' | 'delete' | 'extraKey' | 'wrapArray' | 'stringify' | 'null' | 'nest';
  at: number;
  junk: unknown;
  key: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('replace', 'replace', 'replace', 'delete', 'delete', 'extraKey', 'extraKey', 'wrapArray', 'stringify', 'null', 'nest'),
  at: fc.nat(),
  junk: junkValue,
  key: nastyKey,
});

function applyMutation(root: unknown, mutationIn: Mutation): unknown {
  // The junk is copied: fast-check hands out the same constant objects ({}, []) again and again, and an
  // extra key set on one shared instance (possibly pointing at itself) would reach every later case.
  const m = { ...mutationIn, junk: clone(mutationIn.junk) };
  const paths = pathsOf(root);
  const path = paths[m.at % paths.length]!;
  const set = (v: unknown): unknown => {
    if (path.length === 0) return v;
    const parent = path.slice(0, -1).reduce<any>((node, seg) => node[seg], root);
    parent[path[path.length - 1]!] = v;
    return root;
  };
  const get = () => path.reduce<any>((node, seg) => node?.[seg], root);
  switch (m.kind) {
    case 'replace': return set(m.junk);
    case 'null': return set(null);
    case 'wrapArray': return set([get()]);
    case 'stringify': return set(JSON.stringify(get()) ?? 'undefined');
    case 'nest': return set({ [m.key]: get() });
    case 'delete': {
      if (path.length === 0) return undefined;
      const parent = path.slice(0, -1).reduce<any>((node, seg) => node[seg], root);
      if (Array.isArray(parent)) parent.splice(Number(path[path.length - 1]), 1);
      else delete parent[path[path.length - 1]!];
      return root;
    }
    case 'extraKey': {
      const target = get();
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
        Object.defineProperty(target, m.key, { value: m.junk, enumerable: true, configurable: true, writable: true });
        return root;
      }
      return set({ [m.key]: m.junk, value: target });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Whole requests

export interface BodyCase {
  /** How the body came about, for the figures. */
  shape: 'valid' | 'mutated' | 'junk-json' | 'raw-text' | 'none';
  /** The exact request text (sentinels expanded), or undefined for no body. */
  text: string | undefined;
  contentType: string | undefined;
}

const RAW_TEXTS = [
  '', ' ', '\n', '{', '}', '{"', '{"a":', '{"a":1,}', "{'a':1}", '{a:1}', 'null', '[]', '[{}]', '"str"', '123', '-0', 'true', 'NaN',
  '{"a":NaN}', '{"a":undefined}', '{"a":Infinity}', '\ufeff{}', '{"a":1}garbage', '{"a":1}{"b":2}', '{"a":"\\x41"}', '{"a":"\\ud800"}',
  '\u0000', '{"a":"\u0000"}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}',
  '{"a":1,"a":2}', '/* c */{}', '{"a":01}', '{"a":.5}', '{"a":1.}', '{"a":+1}', '{"a":0x1}', '[' + '1,'.repeat(1000) + '1]',
];

export const contentTypes = fc.oneof(
  { weight: 40, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/merge-patch+json',
      'application/json; charset=latin1', 'application/json;charset=UTF-8;foo=bar',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom<string | undefined>(
      undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json',
      'application/jsonx', 'application/json+xml', '*/*', '', 'application/octet-stream', 'json', '; charset=utf-8',
    ),
  },
);

/** Bodies for one operation: valid, broken, junk, or not JSON at all. */
export function bodyCase(route: Route, ctx: BodyContext): fc.Arbitrary<BodyCase> {
  const valid = route.bodySchema ? validValue(route.bodySchema, ctx) : fc.constant({});
  const wrapper = Object.keys((deref(route.bodySchema)?.properties ?? {}) as Json)[0] ?? 'data';
  const serialize = (shape: BodyCase['shape']) => ([v, ct]: [unknown, string | undefined]): BodyCase => ({
    shape,
    text: v === undefined ? undefined : expand(JSON.stringify(v) ?? 'null'),
    contentType: ct,
  });
  return fc.oneof(
    { weight: 120, arbitrary: fc.tuple(valid, contentTypes).map(serialize('valid')) },
    {
      weight: 180,
      arbitrary: fc
        .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }), contentTypes)
        .map(([v, ms, ct]) => serialize('mutated')([ms.reduce<unknown>((acc, m) => applyMutation(acc, m), clone(v)), ct])),
    },
    {
      weight: 48,
      arbitrary: fc
        .tuple(fc.oneof(junkValue, junkValue.map((j) => ({ [wrapper]: j })), fc.dictionary(nastyKey, junkValue, { maxKeys: 3 })), contentTypes)
        .map(serialize('junk-json')),
    },
    {
      weight: 32,
      arbitrary: fc.tuple(
        fc.oneof(
          fc.constantFrom(...RAW_TEXTS),
          fc.string({ unit: 'binary', maxLength: 40 }),
          valid.chain((v) => {
            const text = JSON.stringify(v);
            return fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n));
          }),
        ),
        contentTypes,
      ).map(([text, ct]): BodyCase => ({ shape: 'raw-text', text, contentType: ct })),
    },
    { weight: 1, arbitrary: fc.tuple(valid, hugeNesting).map(([v, deep]): BodyCase => ({
      shape: 'mutated',
      text: expand(JSON.stringify({ [wrapper]: { ...(v as Json)[wrapper], graph: { metadata: { deep } }, extra: deep } })),
      contentType: 'application/json',
    })) },
    { weight: 8, arbitrary: fc.constant<BodyCase>({ shape: 'none', text: undefined, contentType: undefined }) },
  );
}

// ---------------------------------------------------------------------------------------------
// Path and query values

/** encodeURIComponent, also for text with lone surrogates (sent as the bytes a naive encoder would produce). */
export function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.split(/([\uD800-\uDFFF])/).map((part) => {
      if (part.length === 1 && /[\uD800-\uDFFF]/.test(part)) {
        const c = part.charCodeAt(0);
        return `%${(0xe0 | (c >> 12)).toString(16).toUpperCase()}%${(0x80 | ((c >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (c & 0x3f)).toString(16).toUpperCase()}`;
      }
      return encodeURIComponent(part);
    }).join('');
  }
}

export interface PathValue {
  /** What goes into the URL (already encoded, or deliberately raw). */
  encoded: string;
  shape: string;
}

const malformedPercent = fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', '%%', 'a%2', '%u0041');
const longId = fc.oneof(
  fc.integer({ min: 37, max: 400 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 2, max: 60 }).map((n) => 'a1000000-0000-4000-8000-000000000001'.repeat(n)),
  fc.integer({ min: 1_000, max: 6_000 }).map((n) => '9'.repeat(n)),
);

/** A value for a path parameter of `kind`, for a key whose own records are `own`. */
export function pathValue(kind: Kind | undefined, own: Pools, foreign: Pools, missing: string): fc.Arbitrary<PathValue> {
  const enc = (shape: string) => (s: string): PathValue => ({ encoded: encode(s), shape });
  const raw = (shape: string) => (s: string): PathValue => ({ encoded: s, shape });
  const ownIds = kind ? own[kind] : [];
  const foreignIds = kind ? foreign[kind] : [];
  return fc.oneof(
    { weight: 10, arbitrary: ownIds.length ? fc.constantFrom(...ownIds).map(enc('own id')) : fc.uuid({ version: 4 }).map(enc('uuid')) },
    { weight: 2, arbitrary: foreignIds.length ? fc.constantFrom(...foreignIds).map(enc('foreign id')) : fc.constant(missing).map(enc('missing uuid')) },
    { weight: 2, arbitrary: fc.oneof(fc.constant(missing), fc.uuid({ version: 4 })).map(enc('missing uuid')) },
    { weight: 1, arbitrary: (ownIds.length ? fc.constantFrom(...ownIds) : fc.uuid()).map((s) => s.toUpperCase()).map(enc('uppercase uuid')) },
    { weight: 3, arbitrary: nastyString.filter((s) => s !== '').map(enc('nasty text')) },
    { weight: 2, arbitrary: fc.constantFrom("1' OR '1'='1", "1; DROP TABLE agents;--", '1 UNION SELECT api_key_hash FROM projects', '%', '_', "'").map(enc('sql')) },
    { weight: 2, arbitrary: fc.constantFrom('%2F', '..%2F..%2F', '%2e%2e', 'a%2Fb', '%252F', '%5C', '.', '..', '%20', '%00', 'a%23b', 'a%3Fb').map(raw('encoded slash or dot')) },
    { weight: 2, arbitrary: longId.map(enc('long id')) },
    { weight: 1, arbitrary: malformedPercent.map(raw('malformed percent-encoding')) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map(enc('unicode')) },
  );
}

/** A query string: documented keys with hostile values, Ransack keys that do not exist, repeated and bracketed keys. */
export function queryString(route: Route): fc.Arbitrary<string> {
  const documentedKeys = route.query.map((q) => q.name);
  const key = fc.oneof(
    { weight: 4, arbitrary: documentedKeys.length ? fc.constantFrom(...documentedKeys) : fc.constant('page') },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'q[name_eq]', 'q[id_eq]', 'q[project_id_eq]', 'q[api_key_hash_cont]', 'q[name_cont_any]', 'q[s]', 'q[nonexistent_gteq]',
        'q[name_cont][]', 'q[]', 'q', 'q[name_cont][a]', 'page[]', 'per_page[]', '__proto__', '__proto__[polluted]', 'constructor[prototype][x]',
        'sort', 'order', 'limit', 'offset', 'include', 'fields', '', 'api_key', 'x-api-key', ';', '&', '=',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('1', '0', '-1', '2', '100', '101', '1000000', '9007199254740993', '1e400', '1.5', '0x10', ' 1', 'abc', '', '[]', 'null') },
    { weight: 2, arbitrary: fc.constantFrom('2026-01-01', '2026-13-45', '275760-09-13', '2026-01-01T25:61:00Z', '0000-00-00', '2026-01-01T00:00:00+99:99', '1970-01-01T00:00:00.0000000001Z') },
    { weight: 3, arbitrary: nastyString },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 6_000 }).map((n) => '%'.repeat(n)) },
  );
  const pair = fc.tuple(key, value, fc.boolean()).map(([k, v, encodeKey]) => `${encodeKey ? encode(k) : k}=${encode(v)}`);
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(pair, { minLength: 1, maxLength: 6 }).map((ps) => ps.join('&')) },
    { weight: 1, arbitrary: fc.constantFrom('&&&', '=', '==&=', '?', 'a=1&a=2&a=3', 'page=1&page=2', 'q[name_cont]=a&q[name_cont]=b', '%', '%zz=1', 'a=%E0%A4%A') },
  );
}
