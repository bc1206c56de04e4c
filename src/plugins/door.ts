// What every door to the data (/api/v1, the Meta proxy) runs before its routes, registered in
// each door's scope. Order matters: the journal sees every request, faults and the rate limit see
// its project, and only a request that got that far may be answered from the cache.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { faultInjection } from '../admin/faults/inject.js';
import { journalCapture } from '../admin/journal/capture.js';
import { rateLimiting } from '../admin/settings/rate-limit.js';
import { authPlugin, type AuthOptions } from './auth.js';
import { responseCache } from './response-cache.js';

/** `routing`: hooks of the door's own that decide, before authentication, that no route answers (/api/v1's documented-but-not-emulated routes). */
export async function doorHooks(scope: FastifyInstance<any, any, any, any, any>, auth: AuthOptions = {}, routing: FastifyPluginAsync[] = []): Promise<void> {
  await scope.register(journalCapture);
  for (const plugin of routing) await scope.register(plugin);
  await scope.register(authPlugin, auth);
  await scope.register(rateLimiting);
  await scope.register(faultInjection);
  await scope.register(responseCache);
}
