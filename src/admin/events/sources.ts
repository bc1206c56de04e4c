// What feeds the event stream: the app's event bus (a LIVE subscriber: only what committed, in
// commit order) and the request journal (each /api/v1 request as it is recorded). Control-plane
// changes are published by the admin plugin's onResponse hook (admin/plugin.ts).
import type { Journal, JournalEntry } from '../journal/journal.js';
import { pathOf } from '../journal/journal.js';
import type { EventBus } from '../../lib/events.js';
import type { EventStream } from './stream.js';

/** A recorded request as the stream announces it; GET /__admin/requests/{id} has the whole entry (bodies, redacted headers). */
export const requestSummary = (e: JournalEntry) => ({
  id: e.id,
  time: new Date(e.at).toISOString(),
  method: e.method,
  path: pathOf(e.url),
  status: e.status,
  duration_ms: Math.round(e.durationMs * 1000) / 1000,
  project_id: e.projectId,
});

/** Subscribes the stream to the bus and the journal; the returned function unsubscribes both. */
export function feedEventStream(stream: EventStream, events: EventBus, journal: Journal): () => void {
  const offBus = events.onLive((event) => stream.publish(event.name, event.project_id, event));
  const offJournal = journal.onRecord((entry) => stream.publishLazy('request.recorded', entry.projectId, () => requestSummary(entry)));
  return () => {
    offBus();
    offJournal();
  };
}
