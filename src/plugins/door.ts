// What every door to the data (/api/v1, the Meta proxy) runs before its routes, registered in
// each door's scope. Order matters: the journal sees every request, faults and the rate limit see
// its project, and only a request that got that far may be answered from the cache.
import type { FastifyInstance } from 'fastify';
import { faultInjection } from '../admin/faults/inject.js';
import { journalCapture } from '../admin/journal/capture.js';
import { rateLimiting } from '../admin/settings/rate-limit.js';
import { authPlugin, type AuthOptions } from './auth.js';
import { responseCache } from './response-cache.js';

export async function doorHooks(scope: FastifyInstance<any, any, any, any, any>, auth: AuthOptions = {}): Promise<void> {
  await scope.register(journalCapture);
  await scope.register(authPlugin, auth);
  await scope.register(rateLimiting);
  await scope.register(faultInjection);
  await scope.register(responseCache);
}
