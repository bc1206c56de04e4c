// The baseline: a bare Fastify 5 process, the limit of kapso-mock's stack. It answers any path
// with a constant body: GET with the seed link's bytes (BENCH_BODY_FILE), and PUT, PATCH and POST
// (JSON bodies parsed by Fastify's own parser, as kapso-mock receives them) with the bytes the
// benchmark gives it for that method (BENCH_WRITE_BODY_FILE: {"PUT": "...", "POST": "..."}), so
// that a write case is set against a bare write carrying the same body and answering the same bytes.
// Plain JavaScript run by plain `node`, like kapso-mock's compiled dist/.
// @ts-check
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const body = readFileSync(/** @type {string} */ (process.env.BENCH_BODY_FILE), 'utf8');
/** @type {Record<string, string>} */
const writeBodies = process.env.BENCH_WRITE_BODY_FILE ? JSON.parse(readFileSync(process.env.BENCH_WRITE_BODY_FILE, 'utf8')) : {};
const app = Fastify({ logger: false });

app.get('/health', async () => ({ status: 'ok' }));
app.get('/*', (_request, reply) => {
  reply.type('application/json; charset=utf-8').send(body);
});
for (const method of /** @type {const} */ (['PUT', 'PATCH', 'POST'])) {
  const answer = writeBodies[method] ?? body;
  const status = method === 'POST' ? 201 : 200;
  app.route({
    method, url: '/*',
    handler: (request, reply) => {
      // Touch the parsed body, as a handler does (Fastify parsed it before calling us).
      if (typeof request.body !== 'object' || request.body === null) return reply.code(400).send();
      reply.code(status).type('application/json; charset=utf-8').send(answer);
    },
  });
}

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) process.once(signal, () => app.close().then(() => process.exit(0)));
