// GET /: where a person who opens the server in a browser lands. A small HTML page (JSON for
// a client that asks for application/json) linking the inspector, the API reference, the admin API
// and its reference, the contract, /health, and the seeded keys when the bundled fixtures are in use.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_FIXTURES, type Config } from '../config.js';

/** One line per fixture project: its name and key, as the start-up line and the home page show them. */
export interface KeyHint {
  project: string;
  /** The key itself for the bundled fixtures (public, documented); a hint for your own. */
  key: string;
  public: boolean;
}

/** The bundled fixtures' keys are public (README); keys of your own fixtures are only hinted at. */
export function keyHints(app: FastifyInstance, config: Config): KeyHint[] {
  const bundled = config.fixturesPath === DEFAULT_FIXTURES;
  return app.fixtures.projects.map((p, i) => {
    if (i === 0 && config.apiKey) return { project: p.name, key: '(KAPSO_MOCK_API_KEY)', public: false };
    return bundled ? { project: p.name, key: p.api_key, public: true } : { project: p.name, key: `${p.api_key.slice(0, 4)}…`, public: false };
  });
}

/** http://<the address the request was sent to>; the listening address when the Host header is unusable. */
export function originOf(request: FastifyRequest): string {
  const host = request.headers.host ?? '';
  if (/^([\w-]+(\.[\w-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(host)) return `http://${host}`;
  const address = request.server.server.address();
  return typeof address === 'object' && address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : 'http://127.0.0.1:4400';
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Does the client prefer JSON (Accept: application/json without text/html)? */
export const wantsJson = (request: FastifyRequest) => {
  const accept = request.headers.accept ?? '';
  return /\bapplication\/(?:[\w.+-]+\+)?json\b/.test(accept) && !accept.includes('text/html');
};

export const homePlugin = fp<{ config: Config; version: string }>(
  async (app, { config, version }) => {
    app.get('/', { schema: { hide: true } }, async (request, reply) => {
      const origin = originOf(request);
      const keys = keyHints(app, config).filter((k) => k.public);
      const links = {
        api: `${origin}/api/v1`,
        docs: `${origin}/docs`,
        openapi: `${origin}/openapi.json`,
        admin: `${origin}/__admin`,
        admin_docs: `${origin}/__admin/docs`,
        inspector: `${origin}/__inspector/`,
        health: `${origin}/health`,
      };
      if (wantsJson(request)) {
        return { data: { name: 'kapso-mock', version, links, keys: keys.map((k) => ({ project: k.project, api_key: k.key })) } };
      }
      const keyRows = keys.length === 0
        ? '<p>The seeded projects\' keys are those of your own fixtures (not shown here).</p>'
        : `<table><tr><th>Project</th><th>X-API-Key</th></tr>${keys.map((k) => `<tr><td>${escape(k.project)}</td><td><code>${escape(k.key)}</code></td></tr>`).join('')}</table>`;
      return reply.type('text/html; charset=utf-8').send(`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>kapso-mock</title>
  <style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2rem}td,th{text-align:left;padding:.2rem 1rem .2rem 0}</style>
</head>
<body>
  <h1>kapso-mock ${escape(version)}</h1>
  <p>A local emulator of Kapso's REST API. Point a client at <code>${escape(links.api)}</code> with one of the keys below in the <code>X-API-Key</code> header.</p>
  <ul>
    <li><a href="/docs">API reference</a>: Kapso's operations this server emulates, with "Try it out"</li>
    <li><a href="/__admin/docs">Admin API reference</a> and <a href="/__admin">its index</a> (JSON): reset, snapshots, sandboxes, the request journal, faults, the clock</li>
    <li><a href="/openapi.json">OpenAPI document</a> and <a href="/health">/health</a></li>
    <li><a href="/__inspector/">Inspector</a>: watch and drive the mock in the browser: conversations as a WhatsApp user sees them (write as the customer), requests live, webhooks, reset, snapshots, the clock, faults</li>
  </ul>
  <h2>Seeded keys</h2>
  ${keyRows}
</body>
</html>`);
    });
  },
  { name: 'home', dependencies: ['db'] },
);
