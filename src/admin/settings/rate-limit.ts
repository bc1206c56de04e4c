// Rate limiting as Kapso documents it (docs/admin-api.md "Rate limiting"), when switched on:
// X-RateLimit-Limit and X-RateLimit-Remaining on every response of a door (/api/v1, the Meta
// proxy: one budget per key for both), 429 with Retry-After over the limit. Registered inside each
// door's scope, after authentication.
import fp from 'fastify-plugin';
import { rateLimited } from '../../errors.js';

export const rateLimiting = fp(
  async (app) => {
    const { settings, rateLimiter } = app;
    app.addHook('onRequest', (request, reply, done) => {
      const limit = settings.rateLimit;
      if (limit === 0 || !request.projectId) return done();
      const { allowed, remaining, retryAfter } = rateLimiter.take(request.projectId, limit);
      reply.header('x-ratelimit-limit', String(limit)).header('x-ratelimit-remaining', String(remaining));
      done(allowed ? undefined : rateLimited(retryAfter));
    });
  },
  { name: 'rate-limiting' },
);
