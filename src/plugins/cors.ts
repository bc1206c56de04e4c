// CORS for browser frontends (docs/behaviour.md "CORS"): any origin, the API's request
// headers allowed, pagination and rate-limit headers exposed, preflight 204. The answer never
// depends on the request, so the headers are fixed strings. Kapso's pagination headers (Total,
// Total-Pages, Per-Page, Page, Link) are exposed before any emulated route sends them: agent
// executions and conversation assignments will, and a frontend can read them the day they land.
import fp from 'fastify-plugin';

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-API-Key, Content-Type, Authorization, X-Kapso-Mock-Status',
  'access-control-max-age': '86400',
};
const EXPOSE_HEADERS = 'X-RateLimit-Limit, X-RateLimit-Remaining, Retry-After, Total, Total-Pages, Per-Page, Page, Link';

export const corsPlugin = fp(
  async (app) => {
    app.addHook('onRequest', (_request, reply, done) => {
      reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', EXPOSE_HEADERS);
      done();
    });
    // Preflights (every OPTIONS) are answered by this catch-all route at the root, so they never
    // reach authentication, the rate limit or the request journal.
    app.options('/*', { schema: { hide: true } }, async (_request, reply) => reply.code(204).headers(PREFLIGHT_HEADERS).send());
  },
  { name: 'cors' },
);
