// Applies fault rules and the X-Kapso-Mock-Status header to the doors' requests (registered
// inside each door's scope, after authentication so rules can target a project).
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, forcedError, invalidParameters } from '../../errors.js';
import { journalEntry } from '../journal/capture.js';
import type { FaultRule } from './faults.js';

export const STATUS_HEADER = 'x-kapso-mock-status';

/**
 * Waits `ms` real milliseconds at least: a timer may fire up to a millisecond early against the
 * process's clock (libuv measures from the start of its loop turn), and a latency rule promises its
 * delay in full (the journal's duration_ms shows it).
 */
async function waitAtLeast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) await sleep(left);
}

export const faultInjection = fp(
  async (app) => {
    const { faults, journal, clock } = app;
    // A callback hook: every request of a door passes here, and nearly all of them leave at once
    // (an async hook would cost each of them a promise). A rule that fires runs as a promise.
    app.addHook('onRequest', (request, reply, done) => {
      const forced = request.headers[STATUS_HEADER];
      if (forced !== undefined) {
        const status = /^\s*\d{3}\s*$/.test(String(forced)) ? Number(forced) : NaN;
        if (!(status >= 400 && status <= 599)) {
          return done(invalidParameters('X-Kapso-Mock-Status must be an HTTP error status from 400 to 599'));
        }
        return done(forcedError(status));
      }
      if (faults.size === 0) return done();
      const path = request.url.split('?', 1)[0]!;
      const rule = faults.fire(request.method, path, request.projectId || null);
      if (!rule) return done();
      apply(rule, request, reply).then(() => done(), done);
    });

    async function apply(rule: FaultRule, request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (rule.latency_ms !== undefined) {
        const l = rule.latency_ms;
        await waitAtLeast(typeof l === 'number' ? l : l.min + Math.random() * (l.max - l.min));
      }
      if (rule.drop) {
        // No response will be sent, so the journal hears about it here (status 0).
        journal.record(journalEntry(request, reply, clock, 0));
        reply.hijack();
        request.raw.socket.destroy();
        return;
      }
      if (rule.status !== undefined) {
        const err = rule.body === undefined ? forcedError(rule.status) : ApiError.withBody(rule.status, rule.body);
        Object.assign(err.headers, rule.headers);
        throw err;
      }
    }
  },
  { name: 'fault-injection' },
);
