// In-process apps for the fuzzers: a fresh in-memory database with the default fixtures,
// requests through app.inject, and the read-back sweeps that prove stored data still serves.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { makeConfig } from '../../../src/config.js';
import { DEMO_KEY, OTHER_KEY } from '../../helpers/app.js';
import { describeRequest, violationsOf, type Exchange, type Findings } from './check.js';
import { ids, paramKind, routes, type Kind, type Route } from './routes.js';

export async function freshApp(): Promise<FastifyInstance> {
  const app = buildApp(makeConfig({ logLevel: 'silent' }));
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
  if (route.method === 'PUT' || route.method === 'PATCH') return path;
  if (route.method !== 'POST' || typeof data?.id !== 'string') return undefined;
  const id = encodeURIComponent(data.id);
  const gets = routes.filter((r) => r.method === 'GET');
  if (gets.some((r) => r.regex.test(`${path}/${id}`))) return `${path}/${id}`;
  const collection = path.split('/').pop()!;
  const flat = gets.find((r) => r.params.length === 1 && r.path === `/api/v1/${collection}/{${r.params[0]}}`);
  return flat ? `/api/v1/${collection}/${id}` : undefined;
}

const PROJECTS = [
  { id: ids.demoProject, key: DEMO_KEY },
  { id: ids.otherProject, key: OTHER_KEY },
];

/** Every record of a project in the database, by the kind of path parameter that names it. */
function recordsOf(app: FastifyInstance, projectId: string): Record<Kind, string[]> & { links: { id: string; agent: string }[] } {
  const col = (sql: string) => app.db.prepare(sql).pluck().all(projectId) as string[];
  return {
    project: [projectId],
    customer: col('SELECT id FROM customers WHERE project_id = ?'),
    config: col('SELECT id FROM whatsapp_configs WHERE project_id = ?'),
    agent: col('SELECT id FROM agents WHERE project_id = ?'),
    link: col('SELECT id FROM agent_whatsapp_configs WHERE project_id = ?'),
    links: app.db.prepare('SELECT id, agent_id AS agent FROM agent_whatsapp_configs WHERE project_id = ?').all(projectId) as { id: string; agent: string }[],
  };
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
      if (route.params.length === 0) urls.push(`${route.path}?per_page=100`);
      else {
        const kinds = route.params.map((p) => paramKind(route.path, p));
        if (kinds.includes('link')) {
          for (const l of recs.links) urls.push(route.path.replace(/\{agent_id\}/, l.agent).replace(/\{id\}/, l.id));
        } else if (kinds.length === 1 && kinds[0]) {
          for (const id of recs[kinds[0]]) urls.push(route.path.replace(/\{[^}]+\}/, id) + (route.query.length ? '?per_page=100' : ''));
        }
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
