// In-process apps for the fuzzers: a fresh in-memory database with the default fixtures,
// requests through app.inject, and the read-back sweeps that prove stored data still serves.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { makeConfig } from '../../../src/config.js';
import { DEMO_KEY, OTHER_KEY } from '../../helpers/app.js';
import { describeRequest, violationsOf, type Exchange, type Findings } from './check.js';
import { ids, KINDS, routes, type Kind, type Route } from './routes.js';

export async function freshApp(): Promise<FastifyInstance> {
  // Fuzzed webhook URLs name any host on the Internet: deliveries stay on this machine (docs/webhooks.md "webhook_hosts").
  const app = buildApp(makeConfig({ logLevel: 'silent', webhookHosts: ['127.0.0.1', 'localhost', '::1'] }));
  await app.ready();
  return app;
}

export interface Sent extends Exchange {
  request: string;
}

export async function exchange(
  app: FastifyInstance,
  method: string,
  url: string,
  opts: { key?: string | null; body?: string; contentType?: string | undefined; headers?: Record<string, string> } = {},
): Promise<Sent> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key !== null) headers['x-api-key'] = opts.key ?? DEMO_KEY;
  if (opts.contentType !== undefined) headers['content-type'] = opts.contentType;
  const res = await app.inject({ method: method as 'GET', url, headers, ...(opts.body !== undefined && { payload: opts.body }) });
  return {
    method,
    url,
    status: res.statusCode,
    headers: res.headers,
    raw: res.body,
    request: describeRequest(method, url, opts.body, opts.contentType),
  };
}

/** The GET that reads back what a 2xx write returned, or undefined when none does. */
export function readBackUrl(route: Route, url: string, data: { id?: unknown } | undefined): string | undefined {
  const path = url.split('?', 1)[0]!;
  if (route.data.noReadBack) return undefined;
  if (route.method === 'PUT' || route.method === 'PATCH') return path;
  if (route.method !== 'POST' || typeof data?.id !== 'string') return undefined;
  const id = encodeURIComponent(data.id);
  if (route.data.readBack) return route.data.readBack.replace('{id}', id);
  const gets = routes.filter((r) => r.method === 'GET');
  return gets.some((r) => r.regex.test(`${path}/${id}`)) ? `${path}/${id}` : undefined;
}

const PROJECTS = [
  { id: ids.demoProject, key: DEMO_KEY },
  { id: ids.otherProject, key: OTHER_KEY },
];

/** Every record of a project in the database by kind, with the parent of those that live under another. */
function recordsOf(app: FastifyInstance, projectId: string): { ids: Record<Kind, string[]>; parentOf: Map<string, string> } {
  const ids = {} as Record<Kind, string[]>;
  const parentOf = new Map<string, string>();
  for (const [kind, k] of Object.entries(KINDS) as [Kind, (typeof KINDS)[Kind]][]) {
    const rows = app.db.prepare(`SELECT id${k.parent ? `, ${k.parent.column} AS parent` : ''} FROM ${k.table} WHERE ${k.table === 'projects' ? 'id' : 'project_id'} = ?`)
      .all(projectId) as { id: string; parent?: string }[];
    ids[kind] = rows.map((r) => r.id);
    for (const r of rows) if (r.parent !== undefined) parentOf.set(r.id, r.parent);
  }
  return { ids, parentOf };
}

/**
 * Reads every stored record back through every GET route (up to `perRoute` URLs each) with its
 * project's key: whatever the fuzzers stored must still serve a 200 that matches the contract.
 */
export async function sweepReads(app: FastifyInstance, findings: Findings, perRoute = 40): Promise<number> {
  let sent = 0;
  for (const project of PROJECTS) {
    const recs = recordsOf(app, project.id);
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const urls: string[] = [];
      const last = route.kinds.at(-1);
      const suffix = route.query.length ? '?per_page=100' : '';
      if (route.params.length === 0) urls.push(`${route.path}?per_page=100`);
      else if (last && route.kinds.length === 1) {
        for (const id of recs.ids[last]) urls.push(route.path.replace(/\{[^}]+\}/, id) + suffix);
      } else if (last && route.kinds.length === 2 && KINDS[last]?.parent) {
        // A record that lives under another, read under its own parent.
        for (const id of recs.ids[last]) urls.push(route.path.replace(/\{[^}]+\}/, recs.parentOf.get(id)!).replace(/\{[^}]+\}/, id) + suffix);
      }
      for (const url of urls.slice(-perRoute)) {
        const x = await exchange(app, 'GET', url, { key: project.key });
        sent++;
        findings.record(x, x.status === 200 ? violationsOf(x, route) : [{ signature: `GET ${route.path} (reading back stored records) -> ${x.status}`, detail: x.raw.slice(0, 200) }], `read-back ${x.request}`, false);
      }
    }
  }
  return sent;
}
