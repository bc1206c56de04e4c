// Answers a repeated GET from memory while neither the database nor the mock's clock has changed
// since the answer was made. Only routes that declare `config: { cacheable: true }` take part (lib/route.ts
// sets it for every GET unless the route says `cache: false`): their 200 body is a function of
// the project, the URL, the stored data and the clock's setting alone. An answer that changes as
// real time passes (an expiry, a duration) is not cacheable: its route declares `cache: false`, or its
// handler calls notCached() for that answer alone. Authentication, the rate limit,
// fault rules and the journal run before it as for any request; a hit skips validation and the
// handler, which would produce the very same bytes for the very same URL.
import { performance } from 'node:perf_hooks';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The 200 body depends only on (project, URL, stored data): it may be served from the cache. */
    cacheable?: boolean;
  }
  interface FastifyRequest {
    /** The cache generation the request started at, when its answer may be cached. */
    cacheVersion: number | undefined;
  }
}

/**
 * This one answer changes as real time passes (a signed link, an expiry) and is not kept, while its
 * route's other answers are: a route whose answers all do declares `cache: false` instead.
 */
export function notCached(request: FastifyRequest): void {
  request.cacheVersion = undefined;
}

/** How often a file database is asked whether another process wrote to it. */
export const EXTERNAL_CHECK_MS = 100;
/**
 * What the cache holds at most: entries, and characters of their bodies together (8 MiB of JSON
 * whatever the pages' size), and the longest body it keeps (one answer may not push out more than a
 * sixteenth of it).
 */
export const CACHE_LIMITS = { entries: 1000, chars: 8 * 2 ** 20, bodyChars: 2 ** 19 } as const;

/** Bodies by key, oldest first (a Map keeps insertion order): past a limit, the oldest go first. */
export class AnswerCache {
  private readonly answers = new Map<string, string>();
  private total = 0;
  constructor(private readonly limits: { entries: number; chars: number; bodyChars: number } = CACHE_LIMITS) {}

  get(key: string): string | undefined {
    return this.answers.get(key);
  }

  /** Keeps `body` under `key` (false when it is too long to keep), dropping the oldest answers past a limit. */
  keep(key: string, body: string): boolean {
    if (body.length > this.limits.bodyChars) return false;
    this.drop(key);
    this.answers.set(key, body);
    this.total += body.length;
    for (const oldest of this.answers.keys()) {
      if (this.answers.size <= this.limits.entries && this.total <= this.limits.chars) break;
      this.drop(oldest);
    }
    return true;
  }

  clear(): void {
    this.answers.clear();
    this.total = 0;
  }

  /** Entries and characters held. */
  get size(): { entries: number; chars: number } {
    return { entries: this.answers.size, chars: this.total };
  }

  private drop(key: string): void {
    const body = this.answers.get(key);
    if (body === undefined) return;
    this.answers.delete(key);
    this.total -= body.length;
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

export const responseCache = fp(
  async (app) => {
    const { db, clock } = app;
    // total_changes() moves with every row this connection writes (rolled-back writes included,
    // which only empties the cache for nothing). data_version moves when another process commits
    // to the same database file; asking costs several µs under load, so it is asked at most every
    // EXTERNAL_CHECK_MS: outside writers are seen within that time, the server's own at once.
    const changes = db.prepare<[], number>('SELECT total_changes()').pluck();
    const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    let external = 0;
    let checkedAt = -Infinity;
    // The version the cache's entries were made at, as numbers (compared without making a string per request).
    let cachedChanges = -1;
    let cachedExternal = -1;
    let cachedClock = -1;
    /** Moves with every change of version: an answer made at an older generation is not kept. */
    let generation = 0;
    const cache = new AnswerCache();
    /** Empties the cache when the database or the clock moved since its entries were made; returns the current version. */
    const current = (): number => {
      if (!db.memory) {
        const now = performance.now();
        if (now - checkedAt >= EXTERNAL_CHECK_MS) {
          external = dataVersion.get()!;
          checkedAt = now;
        }
      }
      // The clock's version moves when a test freezes, advances or resets it.
      const changed = changes.get()!;
      const clockVersion = clock.version();
      if (changed !== cachedChanges || external !== cachedExternal || clockVersion !== cachedClock) {
        cache.clear();
        cachedChanges = changed;
        cachedExternal = external;
        cachedClock = clockVersion;
        generation++;
      }
      return generation;
    };

    app.decorateRequest('cacheVersion', undefined);
    app.addHook('onRequest', (request, reply, done) => {
      if (request.method !== 'GET' || request.routeOptions.config.cacheable !== true) return done();
      const now = current();
      const hit = cache.get(`${request.projectId}\n${request.url}`);
      if (hit === undefined) {
        request.cacheVersion = now;
        return done();
      }
      void reply.code(200).type(JSON_TYPE).send(hit);
    });
    app.addHook('onSend', (request, reply, payload, done) => {
      if (request.cacheVersion === generation && reply.statusCode === 200 && typeof payload === 'string') {
        cache.keep(`${request.projectId}\n${request.url}`, payload);
      }
      done(null, payload);
    });
  },
  { name: 'response-cache', dependencies: ['db'] },
);
