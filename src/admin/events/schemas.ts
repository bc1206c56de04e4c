import { z } from 'zod';

/** A yes/no query value: true, 1, false or 0; anything else (or nothing) is the default. */
const flag = (fallback: boolean, description: string) =>
  z
    .unknown()
    .optional()
    .transform((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : fallback))
    .meta({ type: 'boolean', default: fallback, description });

export const EventStreamQuery = z.object({
  project_id: z.string().optional().meta({
    description: "Only this project's events, with those about every project (state.replaced after a full reset) and the mock's own (control.changed).",
  }),
  last_event_id: z.string().optional().meta({
    description: 'Resume after this event ID, as the Last-Event-ID header does (the header wins). An ID the stream no longer holds starts with stream.resync.',
  }),
  replay: flag(false, 'Start with every event the stream still holds (the last 1000), when no event ID is given.'),
  follow: flag(true, 'false: send what the stream holds (after last_event_id, or with replay) and end the response, for scripts and tests.'),
});

/** The document shows the stream as text/event-stream (plugins/openapi-generator.ts moves it there). */
export const EventStreamBody = z.string().meta({
  'x-media-type': 'text/event-stream',
  description: 'Server-sent events: `id: <id>`, `event: <name>`, `data: <one line of JSON>`, then a blank line; '
    + 'a `: heartbeat` comment every 15 s. Event names and their data: docs/inspector.md ("The event stream").',
});
