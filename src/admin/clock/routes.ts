// /__admin/clock: freeze or move the time that created_at, updated_at and rate-limit windows use.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { validationFailed } from '../../errors.js';
import { errors } from '../../lib/schemas.js';
import { adminTags as tags } from '../schemas.js';
import { ClockBody, ClockResponse } from './schemas.js';

export const clockRoutes: FastifyPluginAsyncZod = async (app) => {
  const { clock } = app;

  app.get('/clock', {
    schema: {
      operationId: 'adminGetClock', tags, summary: "The mock's clock",
      response: { 200: ClockResponse, ...errors(401) },
    },
  }, async () => ({ data: clock.state() }));

  app.post('/clock', {
    schema: {
      operationId: 'adminSetClock', tags, summary: 'Freeze or advance time',
      description: 'now: freeze at that instant; freeze: true: freeze at the current time; advance_ms: move forward. '
        + 'They combine in that order ({"now": "...", "advance_ms": 1000} freezes one second after now).',
      body: ClockBody,
      response: { 200: ClockResponse, ...errors(400, 401, 422) },
    },
  }, async (request) => {
    const { now, freeze, advance_ms } = request.body;
    if (now === undefined && freeze === undefined && advance_ms === undefined) throw validationFailed('give now, freeze or advance_ms');
    if (now !== undefined) clock.freeze(Date.parse(now));
    else if (freeze) clock.freeze(clock.now());
    if (advance_ms !== undefined) clock.advance(advance_ms);
    return { data: clock.state() };
  });

  app.delete('/clock', {
    schema: {
      operationId: 'adminResetClock', tags, summary: 'Back to real time',
      response: { 200: ClockResponse, ...errors(401) },
    },
  }, async () => {
    clock.reset();
    return { data: clock.state() };
  });
};
