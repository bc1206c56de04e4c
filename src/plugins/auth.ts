// X-API-Key authentication and tenancy for /api/v1: every key belongs to one project
// and every handler reads request.projectId. Registered inside the /api/v1 scope only.
import fp from 'fastify-plugin';
import { unauthorized } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The project of the request's API key (set for every authenticated /api/v1 request). */
    projectId: string;
  }
}

export const authPlugin = fp(
  async (app) => {
    const { repos, settings, state } = app;
    app.decorateRequest('projectId', '');
    app.addHook('onRequest', (request, _reply, done) => {
      // An unknown route answers 404 whatever the key, as Rails routes before it authenticates.
      if (request.is404) return done();
      const key = request.headers['x-api-key'];
      if (typeof key !== 'string' || key === '') return done(unauthorized());
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
