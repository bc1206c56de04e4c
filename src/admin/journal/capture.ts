// Records every request of a door (/api/v1, the Meta proxy) in the journal (registered inside each door's scope).
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../../clock.js';
import { MAX_STORED_BODY, type JournalEntry } from './journal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The response body as sent, kept for the journal. */
    sentPayload: string | undefined;
  }
}

const REDACTED = new Set(['x-api-key', 'authorization', 'cookie']);
/** Query parameters that look like credentials (a client that sends its key as ?api_key=...). */
const SECRET_PARAM = /^(x[-_]?)?api[-_]?key$|^(access[-_]?)?token$|^key$/i;

export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = REDACTED.has(name) ? '[redacted]' : value;
  return out;
}

export function parseQuery(url: string): Record<string, string | string[]> {
  const q = url.indexOf('?');
  const query: Record<string, string | string[]> = {};
  if (q === -1) return query;
  for (const [key, raw] of new URLSearchParams(url.slice(q + 1))) {
    const value = SECRET_PARAM.test(key) ? '[redacted]' : raw;
    const prev = query[key];
    query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return query;
}

/** The journal's record of a finished (or dropped, status 0) request: references only, no copies. */
export function journalEntry(request: FastifyRequest, reply: FastifyReply, clock: Clock, status: number): JournalEntry {
  const length = request.headers['content-length'];
  return {
    id: 0,
    at: clock.now(),
    method: request.method,
    url: request.url,
    headers: request.headers,
    // A body too big to keep is noted, not stored: the journal's memory stays bounded.
    body: length !== undefined && Number(length) > MAX_STORED_BODY ? `[${length} bytes, not kept]` : (request.body ?? null),
    status,
    responseBody: request.sentPayload,
    durationMs: reply.elapsedTime,
    projectId: request.projectId || null,
  };
}

/**
 * What the journal keeps of a response body: the body itself, or its first MAX_STORED_BODY
 * characters as a string of their own. A plain slice would keep the whole body alive (V8's sliced
 * strings point into their parent): 200 bodies of 1 MB sliced that way held 203 MB of heap, copied 17 MB.
 */
export function keptBody(payload: string): string {
  return payload.length > MAX_STORED_BODY ? Buffer.from(payload.slice(0, MAX_STORED_BODY)).toString() : payload;
}

export const journalCapture = fp(
  async (app) => {
    const { journal, clock } = app;
    app.decorateRequest('sentPayload', undefined);
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (typeof payload === 'string') request.sentPayload = keptBody(payload);
      done(null, payload);
    });
    app.addHook('onResponse', (request, reply, done) => {
      journal.record(journalEntry(request, reply, clock, reply.statusCode));
      done();
    });
  },
  { name: 'journal-capture' },
);
