// GET /__admin/events: the event stream (admin/events/stream.ts) as server-sent events, written by
// hand: the official @fastify/sse needs Node >= 20.20.2, and our engines claim every 20.x. The
// response is a stream Fastify pipes to the socket; it ends when the client goes, when the server
// closes (preClose, plugins/control.ts), or after the backlog with follow=false.
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../lib/schemas.js';
import { adminTags } from '../schemas.js';
import { EventStreamBody, EventStreamQuery } from './schemas.js';
import { formatItem, type StreamItem } from './stream.js';

/** Bytes a connection may leave unread before it is closed (its client reconnects and resumes with Last-Event-ID). */
const MAX_UNREAD = 1024 * 1024;

export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  const stream = app.eventStream;

  app.route({
    method: 'GET',
    url: '/events',
    schema: {
      operationId: 'adminStreamEvents',
      tags: adminTags,
      summary: 'Live events: messages, conversations, executions, webhook deliveries, recorded requests, control-plane changes',
      description: 'Server-sent events (text/event-stream) fed by the app\'s event bus after each commit, the request journal and the control plane. '
        + 'A reconnecting client sends Last-Event-ID and gets what it missed from a buffer of the last 1000 events; an ID the buffer no longer holds '
        + '(or one of an earlier run of the server) starts with a stream.resync event: reload your state. Event names: docs/inspector.md.',
      querystring: EventStreamQuery,
      response: { 200: EventStreamBody, 401: ErrorBody },
    },
    handler: async (request, typedReply) => {
      // The body is a stream, which the zod-typed reply does not know.
      const reply = typedReply as FastifyReply;
      const { project_id, last_event_id, replay, follow } = request.query;
      const header = request.headers['last-event-id'];
      const lastId = typeof header === 'string' && header !== '' ? header : last_event_id;
      const wanted = (item: StreamItem) => project_id === undefined || item.projectId === project_id || item.projectId === '*' || item.projectId === null;

      const out = new PassThrough();
      reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no');
      // The reconnection delay, and a first line so the headers go out at once.
      out.write('retry: 2000\n: kapso-mock event stream\n\n');
      const backlog = lastId !== undefined ? stream.after(lastId) : replay ? stream.buffered() : [];
      if (backlog === undefined) {
        // Whatever happened since is unknown: the client reloads, and resumes from the newest ID.
        out.write(`id: ${stream.lastId}\nevent: stream.resync\ndata: ${JSON.stringify({ last_event_id: lastId, reason: 'The stream no longer holds the events after this ID' })}\n\n`);
      } else {
        for (const item of backlog) if (wanted(item)) out.write(formatItem(item));
      }
      if (!follow || stream.isClosed) {
        out.end();
        return reply.send(out);
      }

      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        disconnect();
        out.end();
      };
      const disconnect = stream.connect({
        send: (item) => {
          if (!wanted(item)) return;
          if (out.writableLength + out.readableLength > MAX_UNREAD) return end();
          out.write(formatItem(item));
        },
        end,
      });
      const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), stream.heartbeatMs);
      heartbeat.unref();
      // The client went away: Fastify destroys the stream.
      out.on('close', end);
      return reply.send(out);
    },
  });
};
