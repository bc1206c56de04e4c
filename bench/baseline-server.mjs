// The baseline: a bare Fastify 5 process, the limit of kapso-mock's stack. It answers the
// seed GET route with a constant body, byte for byte the one kapso-mock sends for it, so
// the only difference the benchmark sees is the work kapso-mock does per request.
// Plain JavaScript run by plain `node`, like kapso-mock's compiled dist/.
// @ts-check
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const body = readFileSync(/** @type {string} */ (process.env.BENCH_BODY_FILE), 'utf8');
const app = Fastify({ logger: false });

app.get('/health', async () => ({ status: 'ok' }));
app.get('/api/v1/agents/:agent_id/agent_whatsapp_configs/:id', (_request, reply) => {
  reply.type('application/json; charset=utf-8').send(body);
});

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) process.once(signal, () => app.close().then(() => process.exit(0)));
