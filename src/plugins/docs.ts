// The contract and its reference pages, served from the committed openapi.yaml (generated from
// the routes' schemas by `npm run openapi`; a test fails when it drifts from the code):
//   /openapi.json        the whole document
//   /docs                Kapso's API (swagger-ui), from /docs/json
//   /__admin/docs        the admin API, from /__admin/docs/json
// Nothing is read or generated until a page is asked for, so none of it costs start-up time.
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';

type Json = Record<string, unknown>;

const DOCUMENT = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));
/** swagger-ui's browser bundle, as @fastify/swagger-ui ships it. */
const ASSETS = join(dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui')), 'static');
const ASSET_TYPES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** The document with only the paths `keep` accepts (each page shows its own part). */
export function onlyPaths(doc: Json, keep: (path: string) => boolean): Json {
  const paths = Object.fromEntries(Object.entries((doc.paths ?? {}) as Json).filter(([path]) => keep(path)));
  return { ...doc, paths };
}

const page = (title: string, specUrl: string) => `<!DOCTYPE html>
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
  <script>window.ui = SwaggerUIBundle({ url: '${specUrl}', dom_id: '#swagger-ui', deepLinking: true, docExpansion: 'list' });</script>
</body>
</html>`;

export const docsPlugin = fp(
  async (app) => {
    let document: Promise<Json> | undefined;
    const load = () =>
      (document ??= import('yaml').then(({ parse }) => parse(readFileSync(DOCUMENT, 'utf8')) as Json));
    const hide = { schema: { hide: true } };
    const isAdmin = (path: string) => path.startsWith('/__admin');

    app.get('/openapi.json', hide, async () => load());
    app.get('/docs/json', hide, async () => onlyPaths(await load(), (path) => !isAdmin(path)));
    app.get('/__admin/docs/json', hide, async () => onlyPaths(await load(), isAdmin));
    app.get('/docs', hide, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page("kapso-mock: Kapso's API", '/docs/json')));
    app.get('/__admin/docs', hide, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page('kapso-mock: admin API', '/__admin/docs/json')));
    app.get<{ Params: { file: string } }>('/docs/static/:file', hide, async (request, reply) => {
      const type = ASSET_TYPES[request.params.file];
      if (type === undefined) return reply.callNotFound();
      return reply.type(type).header('cache-control', 'public, max-age=86400').send(createReadStream(join(ASSETS, request.params.file)));
    });
  },
  { name: 'docs' },
);
