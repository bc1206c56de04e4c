// The contract and its reference pages, served from the committed openapi.yaml (generated from
// the routes' schemas by `npm run openapi`; a test fails when it drifts from the code):
//   /openapi.json        the whole document, as committed
//   /docs                Kapso's API (swagger-ui), from /docs/json
//   /__admin/docs        the admin API, from /__admin/docs/json, with its own title
//   /__admin             an index of the admin API (JSON)
// The pages show the address they are served on (the request's Host), and with the bundled
// fixtures /docs is authorised with the Demo Project's public key, so "Try it out" works at once
// (the path parameters' examples are seeded IDs). Nothing is read until a page is asked for,
// so none of it costs start-up time. None of it needs the admin token: it holds no data.
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { packagePath } from '../paths.js';
import { keyHints, originOf } from './home.js';

type Json = Record<string, unknown>;

const DOCUMENT = packagePath('openapi.yaml');
/** swagger-ui's browser bundle, as @fastify/swagger-ui ships it. */
const ASSETS = join(dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui')), 'static');
const ASSET_TYPES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};
/** The address the committed document names; each page replaces it with its own. */
const DEFAULT_ORIGIN = 'http://127.0.0.1:4400';

const ADMIN_INFO = {
  title: 'kapso-mock: admin API (control plane)',
  description: `The mock's own control plane at ${DEFAULT_ORIGIN}/__admin, not part of Kapso's API: reset to the
fixtures, snapshots, fixtures loaded at runtime, sandbox projects, the request journal, fault
rules, runtime settings and the clock. Open unless the server has an admin token
(KAPSO_MOCK_ADMIN_TOKEN); then send \`Authorization: Bearer <token>\` (the Authorize button).
An index of these operations: ${DEFAULT_ORIGIN}/__admin.`,
};

/** The document with only the paths `keep` accepts (each page shows its own part). */
export function onlyPaths(doc: Json, keep: (path: string) => boolean): Json {
  const paths = Object.fromEntries(Object.entries((doc.paths ?? {}) as Json).filter(([path]) => keep(path)));
  return { ...doc, paths };
}

/** One page's part of the document: its paths, its security scheme, its title, its address. */
function part(doc: Json, admin: boolean, origin: string): Json {
  const info = (admin ? { ...(doc.info as Json), ...ADMIN_INFO } : doc.info) as Json;
  const components = doc.components as { securitySchemes: Json };
  const scheme = admin ? 'AdminToken' : 'ApiKeyAuth';
  return {
    ...onlyPaths(doc, (path) => path.startsWith('/__admin') === admin),
    info: { ...info, description: String(info.description).replaceAll(DEFAULT_ORIGIN, origin) },
    components: { ...components, securitySchemes: { [scheme]: components.securitySchemes[scheme] } },
    ...(admin && { security: [] }),
  };
}

const page = (title: string, specUrl: string, apiKey?: string) => `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${title}</title>
  <link rel="stylesheet" href="/docs/static/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/static/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/static/swagger-ui-bundle.js"></script>
  <script>window.ui = SwaggerUIBundle({ url: '${specUrl}', dom_id: '#swagger-ui', deepLinking: true, docExpansion: 'list'${
    apiKey === undefined ? '' : `, onComplete: () => window.ui.preauthorizeApiKey('ApiKeyAuth', ${JSON.stringify(apiKey).replace(/</g, '\\u003c')})`
  } });</script>
</body>
</html>`;

export const docsPlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    let document: Promise<Json> | undefined;
    const load = () =>
      (document ??= import('yaml').then(({ parse }) => parse(readFileSync(DOCUMENT, 'utf8')) as Json));
    const hide = { schema: { hide: true } };
    const html = 'text/html; charset=utf-8';
    // The Demo Project's key when it is the bundled, public one; never a key of your own.
    const demoKey = () => {
      const first = keyHints(app, config)[0];
      return first?.public ? first.key : undefined;
    };

    app.get('/openapi.json', hide, async () => load());
    app.get('/docs/json', hide, async (request) => part(await load(), false, originOf(request)));
    app.get('/__admin/docs/json', hide, async (request) => part(await load(), true, originOf(request)));
    app.get('/docs', hide, async (_request, reply) => reply.type(html).send(page("kapso-mock: Kapso's API", '/docs/json', demoKey())));
    app.get('/__admin/docs', hide, async (_request, reply) => reply.type(html).send(page('kapso-mock: admin API', '/__admin/docs/json')));
    app.get('/__admin', hide, async (request) => {
      const origin = originOf(request);
      const paths = (await load()).paths as Record<string, Record<string, { operationId: string; summary?: string }>>;
      const operations = Object.entries(paths).filter(([path]) => path.startsWith('/__admin')).flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, operation_id: op.operationId, summary: op.summary ?? '' })));
      return {
        data: {
          description: ADMIN_INFO.description.replaceAll(DEFAULT_ORIGIN, origin).replace(/\n/g, ' '),
          docs: `${origin}/__admin/docs`,
          openapi: `${origin}/__admin/docs/json`,
          token_required: config.adminToken !== undefined,
          operations,
        },
      };
    });
    app.get<{ Params: { file: string } }>('/docs/static/:file', hide, async (request, reply) => {
      const type = ASSET_TYPES[request.params.file];
      if (type === undefined) return reply.callNotFound();
      return reply.type(type).header('cache-control', 'public, max-age=86400').send(createReadStream(join(ASSETS, request.params.file)));
    });
  },
  { name: 'docs', dependencies: ['db'] },
);
