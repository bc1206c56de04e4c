// /__admin/clock: freeze or move the time that created_at, updated_at and rate-limit windows use.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { validationFailed } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { adminTags } from '../schemas.js';
import { ClockBody, ClockResponse } from './schemas.js';

export const clockRoutes: FastifyPluginAsyncZod = async (app) => {
  const { clock } = app;
  const r = routes(app, adminTags);

  r.get('/clock', {
    operationId: 'adminGetClock', summary: "The mock's clock", response: ClockResponse,
  }, async () => ({ data: clock.state() }));

  r.post('/clock', {
    operationId: 'adminSetClock', summary: 'Freeze or advance time',
    description: 'now: freeze at that instant; freeze: true: freeze at the current time; advance_ms: move forward. '
      + 'They combine in that order ({"now": "...", "advance_ms": 1000} freezes one second after now).',
    body: ClockBody, response: ClockResponse, status: 200,
  }, async (request) => {
    const { now, freeze, advance_ms } = request.body;
    if (now === undefined && freeze === undefined && advance_ms === undefined) throw validationFailed('give now, freeze or advance_ms');
    if (now !== undefined) clock.freeze(Date.parse(now));
    else if (freeze) clock.freeze(clock.now());
    if (advance_ms !== undefined) clock.advance(advance_ms);
    return { data: clock.state() };
  });

  r.route('DELETE', '/clock', {
    operationId: 'adminResetClock', summary: 'Back to real time', response: ClockResponse, errors: [401],
  }, async () => {
    clock.reset();
    return { data: clock.state() };
  });
};
