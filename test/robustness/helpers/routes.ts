// The route table of the robustness suite, read from the OpenAPI document the code generates
// (the one openapi.yaml holds), so a route added to the API is fuzzed without editing this file.
import { parse } from 'yaml';
import { renderOpenApiYaml } from '../../../src/openapi.js';
import { ids, MISSING_ID } from '../../helpers/app.js';

export type Json = Record<string, any>;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  /** The document's path template: /api/v1/customers/{customer_id}. */
  path: string;
  operationId: string;
  params: string[];
  /** The request body schema ($refs resolved lazily by the generators), when the operation takes one. */
  bodySchema?: Json;
  /** Documented query parameters. */
  query: { name: string; schema: Json }[];
  /** Statuses the document declares for this operation. */
  statuses: number[];
  /** True for the PUT/PATCH twin the document leaves out (docs/behaviour.md "Transport"). */
  alias: boolean;
  regex: RegExp;
}

export const doc = parse(await renderOpenApiYaml()) as Json;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const documented: Route[] = Object.entries<Json>(doc.paths)
  .filter(([path]) => path.startsWith('/api/v1/'))
  .flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((m): Route => {
      const op = item[m] as Json;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])] as Json[];
      return {
        method: m.toUpperCase() as Method,
        path,
        operationId: String(op.operationId),
        params: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!),
        ...(op.requestBody && { bodySchema: op.requestBody.content?.['application/json']?.schema as Json }),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: String(p.name), schema: (p.schema ?? {}) as Json })),
        statuses: Object.keys(op.responses ?? {}).map(Number).filter(Number.isFinite),
        alias: false,
        regex: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      };
    }),
  );

/** Every /api/v1 operation, plus the PUT/PATCH twin the document does not list. */
export const routes: Route[] = documented.flatMap((route) => {
  if (route.method !== 'PUT' && route.method !== 'PATCH') return [route];
  const twin: Method = route.method === 'PUT' ? 'PATCH' : 'PUT';
  if (documented.some((r) => r.path === route.path && r.method === twin)) return [route];
  return [route, { ...route, method: twin, alias: true }];
});

export const writeRoutes = routes.filter((r) => r.method !== 'GET');
export const label = (r: Route) => `${r.method} ${r.path}${r.alias ? ' (alias)' : ''}`;

/** The route a request reached (for checks on real HTTP traffic), or undefined for an unknown route. */
export function routeFor(method: string, url: string): Route | undefined {
  const path = url.split('?', 1)[0]!;
  return routes.find((r) => r.method === method && r.regex.test(path));
}

/** Resolves a `$ref` into the document's components. */
export function deref(schema: Json | undefined): Json | undefined {
  let s = schema;
  for (let i = 0; s && typeof s.$ref === 'string' && i < 10; i++) {
    const name = (s.$ref as string).split('/').pop()!;
    s = doc.components?.schemas?.[name] as Json | undefined;
  }
  return s;
}

export function responseSchema(route: Route, status: number): Json | undefined {
  const op = (doc.paths[route.path] as Json)[(route.alias ? (route.method === 'PUT' ? 'patch' : 'put') : route.method.toLowerCase())] as Json;
  return op?.responses?.[String(status)]?.content?.['application/json']?.schema as Json | undefined;
}

// ---------------------------------------------------------------------------------------------
// Records of the two seeded projects (docs/fixtures.md), by the kind of thing a path
// parameter names. A bare `{id}` is named by the collection before it.

export type Kind = 'project' | 'customer' | 'config' | 'agent' | 'link';

export const PARAM_KINDS: Record<string, Kind> = {
  project_id: 'project',
  customer_id: 'customer',
  config_id: 'config',
  whatsapp_config_id: 'config',
  agent_id: 'agent',
  'agent_whatsapp_configs/{id}': 'link',
};

export function paramKind(path: string, param: string): Kind | undefined {
  if (param !== 'id') return PARAM_KINDS[param];
  const segments = path.split('/');
  return PARAM_KINDS[`${segments[segments.indexOf('{id}') - 1]}/{id}`];
}

export type Pools = Record<Kind, string[]>;

export const DEMO: Pools = {
  project: [ids.demoProject],
  customer: [ids.acme, ids.globex, ids.initech],
  config: [ids.acmeSupport, ids.acmeSales, ids.globexOrders, ids.initechDispatch],
  agent: [ids.supportAgent, ids.orderAgent],
  link: [ids.supportPrimaryLink, ids.supportSalesLink, ids.orderLink],
};

export const OTHER: Pools = {
  project: [ids.otherProject],
  customer: [ids.umbrella],
  config: [ids.umbrellaConfig],
  agent: [ids.otherAgent],
  link: [ids.otherLink],
};

/** A fixture's agent for each link (a link is only found under its own agent). */
export const LINK_AGENT: Record<string, string> = {
  [ids.supportPrimaryLink]: ids.supportAgent,
  [ids.supportSalesLink]: ids.supportAgent,
  [ids.orderLink]: ids.orderAgent,
  [ids.otherLink]: ids.otherAgent,
};

export { ids, MISSING_ID };

export function fillPath(route: Route, value: (param: string, kind: Kind | undefined) => string): string {
  return route.path.replace(/\{([^}]+)\}/g, (_m, param: string) => value(param, paramKind(route.path, param)));
}
