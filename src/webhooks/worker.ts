// Sending: two pieces of work on the app's scheduler (lib/scheduler.ts), both read from the
// database each time, so they resume after a restart:
//   - deliveries: every row due on the mock's clock (a new delivery at once, a retry after its
//     delay, a batch when its window closes) is claimed and sent, at most MAX_IN_FLIGHT at a time,
//     never on a request's path. A delivery whose conversation has an earlier one still pending
//     waits for it, at most ORDER_WAIT_MS; a failure is retried after webhook_retry_delays_ms, then
//     the delivery is failed (a failed batch falls back to single deliveries);
//   - inactivity: whatsapp.conversation.inactive when a conversation's quiet spell reaches a
//     webhook's inactivity_minutes.
// The request timeout is real time (a frozen clock must not hold a delivery); everything else
// counts on the mock's clock.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Settings } from '../admin/settings/settings.js';
import type { Repositories } from '../lib/resource.js';
import type { ScheduledWork } from '../lib/scheduler.js';
import { ORDER_WAIT_MS, whatsappTarget, type Dispatcher } from './dispatcher.js';
import type { PayloadBuilder } from './payloads.js';
import { createAgents, post, type SendResult } from './sender.js';
import type { Attempt, DeliveryRow, DeliveryStore, DueRow, ProgressRow } from './store.js';

/** Requests in flight at most; the rest wait for a free place (memory stays flat under a flood). */
export const MAX_IN_FLIGHT = 16;
/** Rows read per round at most (twice the free places: some may have to wait for their conversation). */
const ROUND = 64;

export interface WorkerDeps {
  db: Db;
  clock: Clock;
  repos: Repositories;
  settings: Settings;
  store: DeliveryStore;
  dispatcher: Dispatcher;
  payloads: PayloadBuilder;
  log: FastifyBaseLogger;
  /** Something changed (a delivery made, tried, finished): waiters look again. */
  changed: () => void;
  /** Work may be due (an attempt finished): the scheduler looks again. */
  wake: () => void;
  /** An attempt's outcome was recorded: the delivery's status now (pending: a retry is due) and how many attempts it has. */
  attempted: (row: DeliveryRow, status: 'pending' | 'delivered' | 'failed', attemptCount: number, attempt: Attempt) => void;
}

const ok = (r: SendResult) => r.status !== null && r.status >= 200 && r.status < 300;
const describe = (r: SendResult) => r.error ?? `HTTP ${r.status}`;

export function createWorker({ db, clock, repos, settings, store, dispatcher, payloads, log, changed, wake, attempted }: WorkerDeps) {
  const inFlight = new Map<number, { projectId: string; controller: AbortController }>();
  const agents = createAgents();
  let closed = false;

  const attemptOf = (at: string, r: SendResult, duplicate = false): Attempt => ({
    at, status: r.status, error: r.error, duration_ms: r.durationMs, response_body: r.responseBody, ...(duplicate && { duplicate: true as const }),
  });

  /** Records an attempt's outcome: delivered, due again after its delay, or failed (undefined: the delivery is gone or cancelled). */
  const complete = db.transaction((seq: number, attempt: Attempt, r: SendResult): { status: 'pending' | 'delivered' | 'failed'; count: number } | undefined => {
    const row = store.progress(seq);
    // Cancelled, or cleared by a reset, while it was in flight.
    if (!row || row.status !== 'pending') return undefined;
    const now = clock.now();
    const attempts = [...(JSON.parse(row.attempts) as Attempt[]), attempt];
    const count = row.attempt_count + 1;
    const base = { seq, attempts: JSON.stringify(attempts), attempt_count: count, delivered_at: null, failed_at: null };
    if (ok(r)) {
      store.finish({ ...base, status: 'delivered', next: null, delivered_at: now, error: null });
      if (row.is_batch) store.deleteItems(row.id);
      store.release(row, now);
    } else {
      const delays = settings.webhookRetryDelaysMs;
      if (count <= delays.length) {
        store.finish({ ...base, status: 'pending', next: now + delays[count - 1]!, error: describe(r) });
      } else {
        store.finish({ ...base, status: 'failed', next: null, failed_at: now, error: `${describe(r)} (gave up after ${count} attempt${count === 1 ? '' : 's'})` });
        // Kapso: "After max retries, batched messages fall back to individual delivery."
        if (row.is_batch) store.fallBack(row.id, now, now + ORDER_WAIT_MS);
        store.release(row, now);
      }
    }
    store.finished(settings.webhookHistory);
    return { status: ok(r) ? 'delivered' : count <= settings.webhookRetryDelaysMs.length ? 'pending' : 'failed', count };
  });

  const appendDuplicate = db.transaction((seq: number, attempt: Attempt): ProgressRow | undefined => {
    const row = store.progress(seq);
    if (row) store.appendAttempt(seq, JSON.stringify([...(JSON.parse(row.attempts) as Attempt[]), attempt]));
    return row;
  });

  const send = (row: DeliveryRow, duplicate = false) => {
    const controller = new AbortController();
    const key = duplicate ? -row.seq : row.seq;
    inFlight.set(key, { projectId: row.project_id, controller });
    const at = clock.iso();
    const headers = JSON.parse(row.headers) as Record<string, string>;
    void post(row.url, headers, row.body, { timeoutMs: settings.webhookTimeoutMs, allowedHosts: settings.webhookHosts, signal: controller.signal, agents })
      .then((result) => {
        inFlight.delete(key);
        if (closed) return;
        try {
          const attempt = attemptOf(at, result, duplicate);
          if (duplicate) {
            const current = appendDuplicate(row.seq, attempt);
            if (current) attempted(row, current.status as 'delivered', current.attempt_count, attempt);
          } else {
            const outcome = complete(row.seq, attempt, result);
            if (outcome) attempted(row, outcome.status, outcome.count, attempt);
            if (outcome?.status === 'delivered' && settings.webhookDuplicateRate > 0 && Math.random() < settings.webhookDuplicateRate) {
              // The deliver-twice fault: the same bytes, signature and idempotency key again.
              send(row, true);
            }
          }
        } catch (err) {
          log.error({ err, delivery: row.id }, 'recording a webhook attempt failed');
        }
        changed();
        wake();
      });
  };

  /**
   * Claims what is due now and sends it; rows that wait for their conversation's earlier deliveries
   * are put off. The due rows are read without their bodies; only the claimed ones are read whole.
   */
  const claim = db.transaction((now: number): DeliveryRow[] => {
    const claimed: DeliveryRow[] = [];
    // A few rows at a time, as many as the free places allow; every row read is claimed or put off
    // (its next_attempt_at moves past now), so the next read finds others.
    for (;;) {
      const free = MAX_IN_FLIGHT - inFlight.size - claimed.length;
      if (free <= 0) break;
      const limit = Math.min(ROUND, free * 2);
      const rows = store.due(now, limit);
      claimRows(now, rows, claimed);
      if (rows.length < limit) break;
    }
    return claimed;
  });

  /** claim()'s work on the rows it read: each one claimed (until every place is taken), put off or set aside. */
  const claimRows = (now: number, rows: DueRow[], claimed: DeliveryRow[]) => {
    for (let row of rows as Array<DueRow | DeliveryRow>) {
      if (row.status === 'buffering') {
        const batch = store.bySeq(row.seq)!;
        const webhook = repos.whatsappWebhooks.record(batch.project_id, batch.webhook_id);
        if (!webhook) {
          store.cancel(batch.project_id, 'whatsapp', batch.webhook_id, now, 'cancelled: the webhook is gone');
          continue;
        }
        if (!dispatcher.closeBatch(batch, webhook.secret_key, now)) {
          store.setNext(row.seq, null);
          continue;
        }
        row = store.bySeq(row.seq)!;
        if (row.next_attempt_at! > now) continue;
      }
      if (row.status !== 'pending') {
        store.setNext(row.seq, null);
        continue;
      }
      if (row.attempt_count === 0 && row.order_deadline !== null && now < row.order_deadline && store.waitsForEarlier(row)) {
        store.setNext(row.seq, row.order_deadline);
        continue;
      }
      if (inFlight.size + claimed.length >= MAX_IN_FLIGHT) break;
      store.setNext(row.seq, null);
      claimed.push('body' in row ? row : store.bySeq(row.seq)!);
    }
  };

  /** whatsapp.conversation.inactive for every quiet spell that reached its webhook's minutes. */
  const fireInactivity = db.transaction((now: number): number => {
    let made = 0;
    for (const t of store.timers.due(now, ROUND)) {
      const c = repos.whatsappConversations.record(t.project_id, t.conversation_id);
      const w = repos.whatsappWebhooks.record(t.project_id, t.webhook_id);
      if (!c || c.status !== 'active' || !w || !w.active || !w.events.includes('whatsapp.conversation.inactive') || w.whatsapp_config_id !== c.whatsapp_config_id) {
        store.timers.drop(t);
        continue;
      }
      const due = Date.parse(c.last_active_at) + w.inactivity_minutes * 60_000;
      if (c.last_active_at !== t.last_active_at || due > now) {
        // The conversation moved without an event (fixtures), or the webhook's minutes changed: the spell is counted again.
        store.timers.arm({ project_id: t.project_id, webhook_id: w.id, conversation_id: c.id, last_active_at: c.last_active_at, due_at: due });
        if (due > now) continue;
      }
      const payload = payloads.inactive(t.project_id, c.id, w.inactivity_minutes, w.payload_version);
      dispatcher.enqueue(t.project_id, whatsappTarget(w), 'whatsapp.conversation.inactive', payload, { conversationId: c.id, orderKey: c.id, now });
      store.timers.fire(t);
      made++;
    }
    return made;
  });

  const deliveries: ScheduledWork = {
    name: 'webhook deliveries',
    // While every place is taken nothing more is claimed: a finished attempt wakes the scheduler.
    nextDue: () => (closed || inFlight.size >= MAX_IN_FLIGHT ? undefined : store.nextDue()),
    runDue(now) {
      for (const row of claim(now)) send(row);
      changed();
    },
  };

  const inactivity: ScheduledWork = {
    name: 'webhook inactivity',
    nextDue: () => (closed ? undefined : store.timers.next()),
    runDue(now) {
      if (fireInactivity(now) > 0) {
        changed();
        wake();
      }
    },
  };

  return {
    works: [deliveries, inactivity],

    /** Sends of a project (or every project) in flight end now; the rows they belonged to are cleared by the caller. */
    abort(projectId: string | '*'): void {
      for (const { projectId: p, controller } of inFlight.values()) if (projectId === '*' || p === projectId) controller.abort();
    },

    /** The app is closing: every send in flight ends, and what it was sending is due again at the next start. */
    close(): void {
      closed = true;
      for (const { controller } of inFlight.values()) controller.abort();
      inFlight.clear();
      agents.destroy();
      store.recover(clock.now());
    },

    get inFlight() {
      return inFlight.size;
    },
  };
}

export type Worker = ReturnType<typeof createWorker>;
