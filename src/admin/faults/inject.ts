// Applies fault rules and the X-Kapso-Mock-Status header to the doors' requests (registered
// inside each door's scope, after authentication so rules can target a project).
import { setTimeout as sleep } from 'node:timers/promises';
import fp from 'fastify-plugin';
import { ApiError, forcedError, invalidParameters } from '../../errors.js';
import { journalEntry } from '../journal/capture.js';

export const STATUS_HEADER = 'x-kapso-mock-status';

export const faultInjection = fp(
  async (app) => {
    const { faults, journal, clock } = app;
    app.addHook('onRequest', async (request, reply) => {
      const forced = request.headers[STATUS_HEADER];
      if (forced !== undefined) {
        const status = /^\s*\d{3}\s*$/.test(String(forced)) ? Number(forced) : NaN;
        if (!(status >= 400 && status <= 599)) {
          throw invalidParameters('X-Kapso-Mock-Status must be an HTTP error status from 400 to 599');
        }
        throw forcedError(status);
      }
      if (faults.size === 0) return;
      const path = request.url.split('?', 1)[0]!;
      const rule = faults.fire(request.method, path, request.projectId || null);
      if (!rule) return;
      if (rule.latency_ms !== undefined) {
        const l = rule.latency_ms;
        await sleep(typeof l === 'number' ? l : l.min + Math.random() * (l.max - l.min));
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
    });
  },
  { name: 'fault-injection' },
);
