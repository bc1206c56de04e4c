// The webhooks of an app (app.webhooks): the dispatcher on the event bus, the worker on the
// scheduler, and what the control plane reads and does (list, wait, redeliver, test). What happens
// to deliveries (one made, an attempt's outcome) is reported as it happens (the inspector's live
// stream: webhook_delivery.created and webhook_delivery.attempted, docs/inspector.md).
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Settings } from '../admin/settings/settings.js';
import type { EventBus } from '../lib/events.js';
import { newId } from '../lib/ids.js';
import type { Repositories } from '../lib/resource.js';
import type { Scheduler } from '../lib/scheduler.js';
import type { PayloadVersion } from '../resources/whatsapp-webhooks/schemas.js';
import { agentTarget, createDispatcher, whatsappTarget } from './dispatcher.js';
import { createPayloadBuilder } from './payloads.js';
import { createDeliveryStore, type Attempt, type DeliveryFilter, type DeliveryRow, type SummaryRow } from './store.js';
import { createWorker } from './worker.js';

/** A delivery as the control plane shows it. */
export interface DeliveryView {
  id: string;
  project_id: string;
  webhook_kind: 'whatsapp' | 'agent';
  webhook_id: string;
  event: string;
  url: string;
  conversation_id: string | null;
  status: 'pending' | 'delivered' | 'failed';
  origin: 'event' | 'fallback' | 'redelivery' | 'test';
  redelivery_of: string | null;
  fallback_of: string | null;
  batch: { size: number; window_ms: number; open: boolean } | null;
  sequence: number;
  payload_version: string;
  idempotency_key: string;
  headers: Record<string, string>;
  payload: unknown;
  attempt_count: number;
  attempts: Attempt[];
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
  failed_at: string | null;
  error: string | null;
}

/** What the live stream says about a delivery: where it goes, what it carries, where it stands. */
export interface DeliverySummary {
  id: string;
  project_id: string;
  webhook_kind: 'whatsapp' | 'agent';
  webhook_id: string;
  event: string;
  conversation_id: string | null;
  origin: DeliveryView['origin'];
  status: DeliveryView['status'];
  attempt_count: number;
  /** webhook_delivery.attempted: the attempt just recorded. */
  attempt?: Attempt;
}

export type DeliveryReport = 'webhook_delivery.created' | 'webhook_delivery.attempted';

interface Waiter {
  filter: DeliveryFilter;
  count: number;
  done: (rows: DeliveryRow[] | undefined) => void;
}

export interface WebhookServiceDeps {
  db: Db;
  clock: Clock;
  repos: Repositories;
  settings: Settings;
  events: EventBus;
  scheduler: Scheduler;
  log: FastifyBaseLogger;
  /** Told when a delivery is made and when an attempt's outcome is recorded (after the change committed). */
  report?: (name: DeliveryReport, summary: DeliverySummary) => void;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function createWebhookService({ db, clock, repos, settings, events, scheduler, log, report }: WebhookServiceDeps) {
  const store = createDeliveryStore(db);
  const payloads = createPayloadBuilder(db, repos);
  const waiters = new Set<Waiter>();

  const summary = (row: SummaryRow, status: DeliverySummary['status'], attemptCount: number, attempt?: Attempt): DeliverySummary => ({
    id: row.id, project_id: row.project_id, webhook_kind: row.webhook_kind, webhook_id: row.webhook_id, event: row.event,
    conversation_id: row.conversation_id, origin: row.origin, status, attempt_count: attemptCount, ...(attempt && { attempt }),
  });

  // Deliveries are made in many places (an event's transaction, a batch's fallback, an inactivity
  // timer, a redelivery, a test): rather than tell each of them, every point where deliveries may
  // have been made and committed looks for rows newer than the last one reported.
  let reported = store.newest();
  const reportMade = () => {
    // Every write's commit comes here: the store says at no cost whether a delivery was inserted since.
    if (!report || !store.insertedAfter(reported)) return;
    for (let rows = store.madeAfter(reported); rows.length > 0; rows = store.madeAfter(reported)) {
      for (const row of rows) {
        reported = row.seq;
        report('webhook_delivery.created', summary(row, row.status === 'buffering' ? 'pending' : (row.status as DeliverySummary['status']), row.attempt_count));
      }
    }
  };

  const changed = () => {
    reportMade();
    if (waiters.size === 0) return;
    for (const w of [...waiters]) {
      const rows = store.list(w.filter);
      if (rows.length >= w.count) w.done(rows);
    }
  };

  // The worker is made after the dispatcher, which tells it when a project's state is replaced.
  let abort: (projectId: string) => void = () => undefined;
  const dispatcher = createDispatcher({ db, clock, repos, settings, store, payloads, onReplaced: (projectId) => abort(projectId) });
  const worker = createWorker({
    db, clock, repos, settings, store, dispatcher, payloads, log, changed, wake: () => scheduler.wake(),
    attempted: (row, status, count, attempt) => {
      // A retry's fallback deliveries, made with the outcome, are announced first.
      reportMade();
      report?.('webhook_delivery.attempted', summary(row, status, count, attempt));
    },
  });
  abort = (projectId) => worker.abort(projectId);

  const view = (row: DeliveryRow): DeliveryView => {
    const open = row.status === 'buffering';
    const items = row.is_batch === 1 ? (open ? store.items(row.id) : undefined) : undefined;
    // A batch cancelled while it was collecting never got a body.
    const payload = open
      ? (items!.length > 0 ? payloads.batch(row.event, items!, row.window_ms!, row.conversation_id!) : null)
      : row.body === '' ? null : (JSON.parse(row.body) as unknown);
    return {
      id: row.id,
      project_id: row.project_id,
      webhook_kind: row.webhook_kind,
      webhook_id: row.webhook_id,
      event: row.event,
      url: row.url,
      conversation_id: row.conversation_id,
      status: open ? 'pending' : (row.status as DeliveryView['status']),
      origin: row.origin,
      redelivery_of: row.origin === 'redelivery' ? row.origin_id : null,
      fallback_of: row.origin === 'fallback' ? row.batch_id : null,
      batch: row.is_batch === 1
        ? { size: open ? items!.length : Number((JSON.parse(row.headers) as Record<string, string>)['X-Batch-Size'] ?? 0), window_ms: row.window_ms!, open }
        : null,
      sequence: row.seq,
      payload_version: row.payload_version,
      idempotency_key: row.idempotency_key,
      headers: JSON.parse(row.headers) as Record<string, string>,
      payload,
      attempt_count: row.attempt_count,
      attempts: JSON.parse(row.attempts) as Attempt[],
      next_attempt_at: iso(row.next_attempt_at),
      created_at: iso(row.created_at)!,
      delivered_at: iso(row.delivered_at),
      failed_at: iso(row.failed_at),
      error: row.error,
    };
  };

  /** A new delivery of an existing one's bytes, made in a transaction and woken at once. */
  const redeliverTx = db.transaction((projectId: string, id: string): DeliveryRow | 'missing' | 'open' => {
    const row = store.byId(id);
    if (!row || row.project_id !== projectId) return 'missing';
    if (row.status === 'buffering') return 'open';
    const now = clock.now();
    const { seq: _seq, attempts: _attempts, attempt_count: _count, delivered_at: _delivered, failed_at: _failed, error: _error, ...copy } = row;
    const seq = store.insert({
      ...copy, id: newId(), status: 'pending', batch_id: null, origin: 'redelivery', origin_id: row.id,
      // Out of band: it does not wait for, nor hold up, the conversation's other deliveries.
      order_key: null, next_attempt_at: now + settings.webhookDelayMs, order_deadline: null, created_at: now,
    });
    return store.bySeq(seq)!;
  });

  const testTx = db.transaction((projectId: string, webhookId: string, eventType: string | undefined): DeliveryRow | { missing: true } | { invalid: string } => {
    const now = clock.now();
    const at = clock.iso();
    const whatsapp = repos.whatsappWebhooks.record(projectId, webhookId);
    if (whatsapp) {
      const event = eventType ?? 'whatsapp.message.received';
      if (!event.startsWith('whatsapp.')) return { invalid: event };
      const config = repos.whatsappConfigs.get(projectId, whatsapp.whatsapp_config_id)!;
      const payload = payloads.sample(event, whatsapp.payload_version, { phoneNumberId: config.phone_number_id, config }, at);
      return store.bySeq(dispatcher.enqueue(projectId, whatsappTarget(whatsapp), event, payload, { conversationId: null, orderKey: null, origin: 'test', now }))!;
    }
    const agent = repos.agentWebhooks.get(projectId, webhookId);
    if (!agent) return { missing: true };
    const event = eventType ?? 'agent_execution_started';
    if (!event.startsWith('agent_execution_')) return { invalid: event };
    const name = repos.agents.get(projectId, agent.agent_id)?.name ?? '';
    const payload = payloads.sample(event, 'v2' as PayloadVersion, {
      phoneNumberId: '', config: { id: '', name: '', business_account_id: '' }, agent: { id: agent.agent_id, name },
    }, at);
    return store.bySeq(dispatcher.enqueue(projectId, agentTarget(agent), event, payload, { conversationId: null, orderKey: null, origin: 'test', now }))!;
  });

  return {
    store,
    dispatcher,
    worker,

    /** Wires the dispatcher to the bus and the worker to the scheduler; the returned function undoes it. */
    start(): () => void {
      // Attempts in flight when the process stopped (a crash) go again; timers catch up with the data.
      store.recover(clock.now());
      db.transaction(() => dispatcher.armAll())();
      const off = [
        events.onDurable((event) => dispatcher.onEvent(event)),
        // New deliveries are visible once their change committed.
        events.onLive(() => changed()),
        ...worker.works.map((work) => scheduler.add(work)),
      ];
      return () => off.forEach((undo) => undo());
    },

    /** Matching deliveries, newest first (batches still collecting show as pending with batch.open). */
    list: (filter: DeliveryFilter, limit?: number): DeliveryView[] => store.list(filter, limit).map(view),

    /** Resolves once `count` deliveries match (those already there count), or after `timeoutMs` with what matched. */
    wait(filter: DeliveryFilter, count: number, timeoutMs: number): Promise<{ deliveries: DeliveryView[]; timedOut: boolean }> {
      const already = store.list(filter);
      if (already.length >= count) return Promise.resolve({ deliveries: already.map(view), timedOut: false });
      return new Promise((resolve) => {
        const waiter: Waiter = {
          filter,
          count,
          done: (rows) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve({ deliveries: (rows ?? store.list(filter)).map(view), timedOut: rows === undefined });
          },
        };
        const timer = setTimeout(() => waiter.done(undefined), timeoutMs);
        waiters.add(waiter);
      });
    },

    /** Sends a delivery's bytes again as a new delivery (same body, signature and X-Idempotency-Key). */
    redeliver(projectId: string, id: string): DeliveryView | 'missing' | 'open' {
      const result = redeliverTx.immediate(projectId, id);
      if (typeof result === 'string') return result;
      changed();
      scheduler.wake();
      return view(result);
    },

    /** Sends a sample of an event to a webhook (a WhatsApp or an agent webhook), whatever it subscribes to. */
    test(projectId: string, webhookId: string, eventType?: string): DeliveryView | { missing: true } | { invalid: string } {
      const result = testTx.immediate(projectId, webhookId, eventType);
      if ('missing' in result || 'invalid' in result) return result;
      changed();
      scheduler.wake();
      return view(result);
    },

    /** The projects holding a delivery with this ID. */
    holders: (id: string) => store.holders(id),

    /** Drops the oldest finished deliveries beyond settings.webhookHistory. */
    trimHistory: () => {
      store.trim(settings.webhookHistory);
    },

    /** The app is closing: waits end, sends in flight end (their deliveries are due again at the next start). */
    close(): void {
      for (const w of [...waiters]) w.done(undefined);
      worker.close();
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
