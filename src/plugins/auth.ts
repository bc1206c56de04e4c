// API-key authentication and tenancy: every key belongs to one project and every handler reads
// request.projectId. Registered inside each door's scope (/api/v1, the Meta proxy): /api/v1
// takes the key in X-API-Key only; the Meta proxy also as `Authorization: Bearer <key>`, as
// Kapso's proxy documents. A route that authenticates otherwise (a signed download link)
// declares `config: { auth: false }` and sets request.projectId itself.
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { unauthorized } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The project of the request's API key (set for every authenticated request). */
    projectId: string;
  }
  interface FastifyContextConfig {
    /** false: the route needs no API key (it checks a credential of its own). */
    auth?: boolean;
  }
}

export interface AuthOptions {
  /** Also accept the key as `Authorization: Bearer <key>` (X-API-Key wins when both are sent). */
  bearer?: boolean;
}

const BEARER = /^bearer +(\S+) *$/i;

function keyOf(request: FastifyRequest, bearer: boolean): string | undefined {
  const key = request.headers['x-api-key'];
  if (typeof key === 'string' && key !== '') return key;
  if (!bearer) return undefined;
  return BEARER.exec(request.headers.authorization ?? '')?.[1];
}

export const authPlugin = fp<AuthOptions>(
  async (app, { bearer = false }) => {
    const { repos, settings, state } = app;
    if (!app.hasRequestDecorator('projectId')) app.decorateRequest('projectId', '');
    app.addHook('onRequest', (request, _reply, done) => {
      // An unknown route answers 404 whatever the key, as Rails routes before it authenticates.
      if (request.is404 || request.routeOptions.config.auth === false) return done();
      const key = keyOf(request, bearer);
      if (key === undefined) return done(unauthorized());
      let projectId = repos.projects.idForKey(key);
      // KAPSO_MOCK_AUTO_PROVISION: an unknown key gets its own empty project on first use.
      if (projectId === undefined && settings.autoProvision) {
        projectId = state.createSandbox({ apiKey: key, origin: 'auto', name: 'Auto-provisioned project' }).project.id;
      }
      if (projectId === undefined) return done(unauthorized());
      request.projectId = projectId;
      done();
    });
  },
  { name: 'auth', dependencies: ['db', 'control'] },
);
