// Request bodies: JSON only (application/json and any application/*+json), at most 1 MiB.
// Anything else with a body is 415. An empty body reaches validation as "no body", so it
// answers "param is missing" rather than a parse error.
import fp from 'fastify-plugin';
import { invalidParameters } from '../errors.js';

export const BODY_LIMIT = 1024 * 1024;
/** Deeper than any Kapso body; deeper input could exhaust the stack when stored or answered. */
export const MAX_DEPTH = 64;
/** Objects' members plus arrays' items; more would make validation block the event loop. */
export const MAX_VALUES = 20_000;

/**
 * One linear pass over the text before JSON.parse: refuses nesting deeper than MAX_DEPTH,
 * more than MAX_VALUES values, and escaped lone surrogates (`"\ud800"`), which are not
 * Unicode text and could not be stored and read back unchanged.
 */
export function jsonShapeProblem(text: string): string | undefined {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x22) inString = false;
      else if (c === 0x5c) {
        if (text.charCodeAt(i + 1) !== 0x75) i++; // \" \\ \n ...
        else {
          const code = parseInt(text.slice(i + 2, i + 6), 16);
          i += 5;
          if (code >= 0xdc00 && code <= 0xdfff) return 'Body contains invalid Unicode (a lone surrogate escape)';
          if (code >= 0xd800 && code <= 0xdbff) {
            const next = text.charCodeAt(i + 2) === 0x75 && text.charCodeAt(i + 1) === 0x5c ? parseInt(text.slice(i + 3, i + 7), 16) : NaN;
            if (!(next >= 0xdc00 && next <= 0xdfff)) return 'Body contains invalid Unicode (a lone surrogate escape)';
            i += 6;
          }
        }
      }
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_DEPTH) return `Body is nested more than ${MAX_DEPTH} levels deep`;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c && ++values > MAX_VALUES) return `Body has more than ${MAX_VALUES} values`;
  }
  return undefined;
}

export const jsonBodyPlugin = fp(
  async (app) => {
    // Fastify's JSON parser, with __proto__ and constructor keys removed (unknown fields are ignored anyway).
    const parseJson = app.getDefaultJsonParser('remove', 'remove');
    app.removeAllContentTypeParsers();
    for (const type of ['application/json', /^application\/[\w.+-]+\+json$/]) {
      app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
        const text = body as string;
        if (text.trim() === '') return done(null, undefined);
        const problem = jsonShapeProblem(text);
        if (problem !== undefined) return done(invalidParameters(problem), undefined);
        parseJson(request, text, done);
      });
    }
  },
  { name: 'json-body' },
);
