// Request bodies: JSON only (application/json and any application/*+json), at most 1 MiB.
// Anything else with a body is 415. An empty body reaches validation as "no body", so it
// answers "param is missing" rather than a parse error.
import fp from 'fastify-plugin';

export const BODY_LIMIT = 1024 * 1024;

export const jsonBodyPlugin = fp(
  async (app) => {
    // Fastify's JSON parser, with __proto__ and constructor keys removed (unknown fields are ignored anyway).
    const parseJson = app.getDefaultJsonParser('remove', 'remove');
    app.removeAllContentTypeParsers();
    for (const type of ['application/json', /^application\/[\w.+-]+\+json$/]) {
      app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
        if ((body as string).trim() === '') return done(null, undefined);
        parseJson(request, body as string, done);
      });
    }
  },
  { name: 'json-body' },
);
