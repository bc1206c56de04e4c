// The dispatcher's rows: deliveries (mock_webhook_deliveries) and inactivity timers
// (mock_webhook_inactivity). Every statement the dispatcher and the worker run is here, prepared
// once. Times are mock-clock milliseconds.
import type { Db } from '../db/database.js';

export type DeliveryStatus = 'buffering' | 'pending' | 'delivered' | 'failed' | 'batched';
export type DeliveryOrigin = 'event' | 'fallback' | 'redelivery' | 'test';

export interface Attempt {
  /** When it started (RFC 3339, mock clock). */
  at: string;
  /** The receiver's HTTP status; null when there was none (refused, timed out, blocked host). */
  status: number | null;
  error: string | null;
  /** Real milliseconds the attempt took. */
  duration_ms: number;
  /** The start of the receiver's answer (at most 512 characters). */
  response_body: string | null;
  /** The second copy sent by the deliver-twice fault. */
  duplicate?: true;
}

export interface DeliveryRow {
  seq: number;
  id: string;
  project_id: string;
  webhook_kind: 'whatsapp' | 'agent';
  webhook_id: string;
  event: string;
  conversation_id: string | null;
  order_key: string | null;
  status: DeliveryStatus;
  is_batch: 0 | 1;
  batch_id: string | null;
  origin: DeliveryOrigin;
  origin_id: string | null;
  url: string;
  headers: string;
  payload_version: string;
  body: string;
  idempotency_key: string;
  attempts: string;
  attempt_count: number;
  next_attempt_at: number | null;
  order_deadline: number | null;
  window_ms: number | null;
  max_size: number | null;
  created_at: number;
  delivered_at: number | null;
  failed_at: number | null;
  error: string | null;
}

export type NewDelivery = Omit<DeliveryRow, 'seq' | 'attempts' | 'attempt_count' | 'delivered_at' | 'failed_at' | 'error'>;

/** What the worker's claim decides on (not the body, headers or attempts: it reads many rows to send a few). */
export type DueRow = Pick<DeliveryRow, 'seq' | 'status' | 'webhook_id' | 'order_key' | 'attempt_count' | 'next_attempt_at' | 'order_deadline'>;
/** What recording an attempt reads back. */
export type ProgressRow = Pick<DeliveryRow, 'seq' | 'id' | 'status' | 'is_batch' | 'webhook_id' | 'order_key' | 'attempts' | 'attempt_count'>;
/** What the live stream says of a new delivery. */
export type SummaryRow = Pick<DeliveryRow, 'seq' | 'id' | 'project_id' | 'webhook_kind' | 'webhook_id' | 'event' | 'conversation_id' | 'origin' | 'status' | 'attempt_count'>;

export interface DeliveryFilter {
  projectId?: string | undefined;
  webhookId?: string | undefined;
  event?: string | undefined;
  /** pending includes batches still collecting their events. */
  status?: 'pending' | 'delivered' | 'failed' | undefined;
  conversationId?: string | undefined;
}

export interface Timer {
  project_id: string;
  webhook_id: string;
  conversation_id: string;
  last_active_at: string;
  due_at: number;
  fired: 0 | 1;
}

const COLUMNS = `seq, id, project_id, webhook_kind, webhook_id, event, conversation_id, order_key, status, is_batch, batch_id, origin, origin_id,
  url, headers, payload_version, body, idempotency_key, attempts, attempt_count, next_attempt_at, order_deadline, window_ms, max_size,
  created_at, delivered_at, failed_at, error`;

export function createDeliveryStore(db: Db) {
  const insert = db.prepare<[NewDelivery]>(
    `INSERT INTO mock_webhook_deliveries (id, project_id, webhook_kind, webhook_id, event, conversation_id, order_key, status, is_batch, batch_id,
       origin, origin_id, url, headers, payload_version, body, idempotency_key, next_attempt_at, order_deadline, window_ms, max_size, created_at)
     VALUES (@id, @project_id, @webhook_kind, @webhook_id, @event, @conversation_id, @order_key, @status, @is_batch, @batch_id,
       @origin, @origin_id, @url, @headers, @payload_version, @body, @idempotency_key, @next_attempt_at, @order_deadline, @window_ms, @max_size, @created_at)`,
  );
  const bySeq = db.prepare<[number], DeliveryRow>(`SELECT ${COLUMNS} FROM mock_webhook_deliveries WHERE seq = ?`);
  const byId = db.prepare<[string], DeliveryRow>(`SELECT ${COLUMNS} FROM mock_webhook_deliveries WHERE id = ?`);
  const progress = db.prepare<[number], ProgressRow>(
    'SELECT seq, id, status, is_batch, webhook_id, order_key, attempts, attempt_count FROM mock_webhook_deliveries WHERE seq = ?',
  );
  const due = db.prepare<[number, number], DueRow>(
    `SELECT seq, status, webhook_id, order_key, attempt_count, next_attempt_at, order_deadline FROM mock_webhook_deliveries
     WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?`,
  );
  const nextDue = db.prepare<[], number | null>('SELECT min(next_attempt_at) FROM mock_webhook_deliveries WHERE next_attempt_at IS NOT NULL').pluck();
  const earlier = db.prepare<[string, string, number], number>(
    `SELECT 1 FROM mock_webhook_deliveries WHERE webhook_id = ? AND order_key = ? AND seq < ? AND status IN ('buffering', 'pending') LIMIT 1`,
  ).pluck();
  const setNext = db.prepare<[number | null, number]>('UPDATE mock_webhook_deliveries SET next_attempt_at = ? WHERE seq = ?');
  const openBatch = db.prepare<[string, string, string], DeliveryRow>(
    `SELECT ${COLUMNS} FROM mock_webhook_deliveries WHERE webhook_id = ? AND order_key = ? AND project_id = ? AND status = 'buffering' ORDER BY seq DESC LIMIT 1`,
  );
  const items = db.prepare<[string], { seq: number; body: string }>(
    "SELECT seq, body FROM mock_webhook_deliveries WHERE batch_id = ? AND status = 'batched' ORDER BY seq",
  );
  const itemCount = db.prepare<[string], number>("SELECT count(*) FROM mock_webhook_deliveries WHERE batch_id = ? AND status = 'batched'").pluck();
  const close = db.prepare<[string, string, number, number, number]>(
    "UPDATE mock_webhook_deliveries SET status = 'pending', body = ?, headers = ?, next_attempt_at = ?, order_deadline = ? WHERE seq = ? AND status = 'buffering'",
  );
  const finish = db.prepare<[{ seq: number; status: DeliveryStatus; attempts: string; attempt_count: number; next: number | null; delivered_at: number | null; failed_at: number | null; error: string | null }]>(
    `UPDATE mock_webhook_deliveries SET status = @status, attempts = @attempts, attempt_count = @attempt_count, next_attempt_at = @next,
       delivered_at = @delivered_at, failed_at = @failed_at, error = @error WHERE seq = @seq`,
  );
  const appendAttempt = db.prepare<[string, number]>('UPDATE mock_webhook_deliveries SET attempts = ? WHERE seq = ?');
  const deleteItems = db.prepare<[string]>("DELETE FROM mock_webhook_deliveries WHERE batch_id = ? AND status = 'batched'");
  const fallback = db.prepare<[number, number, string]>(
    `UPDATE mock_webhook_deliveries SET status = 'pending', origin = 'fallback', next_attempt_at = ?, order_deadline = ?
     WHERE batch_id = ? AND status = 'batched'`,
  );
  // The next one only: it releases the one after it when it is done, so a conversation with a long
  // queue costs one row per delivery, not the whole queue each time (the status IN (...) term lets
  // the partial index mock_webhook_deliveries_waiting serve it).
  const release = db.prepare<[{ now: number; webhook: string; key: string; seq: number }]>(
    `UPDATE mock_webhook_deliveries SET next_attempt_at = @now WHERE seq = (
       SELECT seq FROM mock_webhook_deliveries
       WHERE webhook_id = @webhook AND order_key = @key AND seq > @seq AND status IN ('buffering', 'pending') AND status = 'pending'
         AND attempt_count = 0 AND next_attempt_at > @now
       ORDER BY seq LIMIT 1)`,
  );
  const cancel = db.prepare<[{ project: string; kind: string; webhook: string | null; now: number; error: string }]>(
    `UPDATE mock_webhook_deliveries SET status = 'failed', failed_at = @now, next_attempt_at = NULL, error = @error
     WHERE project_id = @project AND webhook_kind = @kind AND (@webhook IS NULL OR webhook_id = @webhook) AND status IN ('buffering', 'pending')
       AND (@webhook IS NOT NULL OR webhook_id NOT IN (SELECT id FROM whatsapp_webhooks WHERE project_id = @project UNION ALL SELECT id FROM agent_webhooks WHERE project_id = @project))`,
  );
  const dropOrphanItems = db.prepare<[string]>(
    `DELETE FROM mock_webhook_deliveries WHERE project_id = ? AND status = 'batched'
       AND batch_id IN (SELECT id FROM mock_webhook_deliveries WHERE status = 'failed' AND is_batch = 1)`,
  );
  const trim = db.prepare<[number]>(
    `DELETE FROM mock_webhook_deliveries WHERE seq IN (
       SELECT seq FROM mock_webhook_deliveries WHERE status IN ('delivered', 'failed') ORDER BY seq DESC LIMIT -1 OFFSET ?)`,
  );
  const clearProject = db.prepare<[string]>('DELETE FROM mock_webhook_deliveries WHERE project_id = ?');
  const clearAll = db.prepare('DELETE FROM mock_webhook_deliveries');
  const recover = db.prepare<[number]>("UPDATE mock_webhook_deliveries SET next_attempt_at = ? WHERE status = 'pending' AND next_attempt_at IS NULL");
  const holders = db.prepare<[string], string>('SELECT project_id FROM mock_webhook_deliveries WHERE id = ?').pluck();
  const newest = db.prepare<[], number | null>('SELECT max(seq) FROM mock_webhook_deliveries').pluck();
  // Deliveries are only ever inserted by this store (this process's worker and dispatcher).
  let lastInserted = 0;
  // Finished deliveries beyond the history are dropped every few finishes rather than each time
  // (the drop walks the history's index), and always before anything reads the deliveries, so no
  // reader ever sees more than the history holds.
  let trimTo: number | undefined;
  let finishedSinceTrim = 0;
  const flushTrim = () => {
    if (trimTo === undefined) return;
    trim.run(trimTo);
    trimTo = undefined;
    finishedSinceTrim = 0;
  };
  const madeAfter = db.prepare<[number], SummaryRow>(
    `SELECT seq, id, project_id, webhook_kind, webhook_id, event, conversation_id, origin, status, attempt_count FROM mock_webhook_deliveries
     WHERE seq > ? AND status <> 'batched' ORDER BY seq LIMIT 1000`,
  );

  // Timers.
  const upsertTimer = db.prepare<[Omit<Timer, 'fired'>]>(
    `INSERT INTO mock_webhook_inactivity (project_id, webhook_id, conversation_id, last_active_at, due_at, fired)
     VALUES (@project_id, @webhook_id, @conversation_id, @last_active_at, @due_at, 0)
     ON CONFLICT (project_id, webhook_id, conversation_id) DO UPDATE SET
       due_at = excluded.due_at,
       fired = CASE WHEN last_active_at = excluded.last_active_at THEN fired ELSE 0 END,
       last_active_at = excluded.last_active_at`,
  );
  const timersOf = db.prepare<[string, string], Timer>('SELECT * FROM mock_webhook_inactivity WHERE project_id = ? AND webhook_id = ?');
  const dropWebhookTimers = db.prepare<[string, string]>('DELETE FROM mock_webhook_inactivity WHERE project_id = ? AND webhook_id = ?');
  const dropConversationTimers = db.prepare<[string, string]>('DELETE FROM mock_webhook_inactivity WHERE project_id = ? AND conversation_id = ?');
  const dropTimer = db.prepare<[string, string, string]>('DELETE FROM mock_webhook_inactivity WHERE project_id = ? AND webhook_id = ? AND conversation_id = ?');
  const fireTimer = db.prepare<[string, string, string]>('UPDATE mock_webhook_inactivity SET fired = 1 WHERE project_id = ? AND webhook_id = ? AND conversation_id = ?');
  const dueTimers = db.prepare<[number, number], Timer>('SELECT * FROM mock_webhook_inactivity WHERE fired = 0 AND due_at <= ? ORDER BY due_at LIMIT ?');
  const nextTimer = db.prepare<[], number | null>('SELECT min(due_at) FROM mock_webhook_inactivity WHERE fired = 0').pluck();
  const clearProjectTimers = db.prepare<[string]>('DELETE FROM mock_webhook_inactivity WHERE project_id = ?');
  const clearAllTimers = db.prepare('DELETE FROM mock_webhook_inactivity');

  // Lists, one statement per combination of filters (prepared on first use).
  const lists = new Map<string, ReturnType<Db['prepare']>>();
  const listStatement = (f: DeliveryFilter) => {
    const where = ["status <> 'batched'"];
    if (f.projectId !== undefined) where.push('project_id = @projectId');
    if (f.webhookId !== undefined) where.push('webhook_id = @webhookId');
    if (f.event !== undefined) where.push('event = @event');
    if (f.status !== undefined) where.push(f.status === 'pending' ? "status IN ('buffering', 'pending')" : 'status = @status');
    if (f.conversationId !== undefined) where.push('conversation_id = @conversationId');
    const sql = `SELECT ${COLUMNS} FROM mock_webhook_deliveries WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT @limit`;
    let statement = lists.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      lists.set(sql, statement);
    }
    return statement;
  };

  return {
    insert: (d: NewDelivery): number => (lastInserted = Number(insert.run(d).lastInsertRowid)),
    /** Whether this store inserted a delivery after `seq` (rolled back or not): only then can madeAfter(seq) find one. */
    insertedAfter: (seq: number): boolean => lastInserted > seq,
    bySeq: (seq: number) => bySeq.get(seq),
    /** Where a delivery stands (status, attempts), without its body. */
    progress: (seq: number) => progress.get(seq),
    byId: (id: string) => {
      flushTrim();
      return byId.get(id);
    },
    /** Deliveries due at `now`, soonest first, without their bodies. */
    due: (now: number, limit: number) => due.all(now, limit),
    nextDue: () => nextDue.get() ?? undefined,
    /** An earlier delivery of the same webhook and conversation is still pending (or collecting a batch). */
    waitsForEarlier: (d: Pick<DeliveryRow, 'webhook_id' | 'order_key' | 'seq'>) => d.order_key !== null && earlier.get(d.webhook_id, d.order_key, d.seq) !== undefined,
    setNext: (seq: number, at: number | null) => setNext.run(at, seq),
    openBatch: (projectId: string, webhookId: string, orderKey: string) => openBatch.get(webhookId, orderKey, projectId),
    items: (batchId: string) => items.all(batchId),
    itemCount: (batchId: string) => itemCount.get(batchId)!,
    /** A buffering batch becomes a delivery: its body and headers are final. */
    close: (seq: number, body: string, headers: string, next: number, deadline: number) => close.run(body, headers, next, deadline, seq).changes === 1,
    finish: (f: Parameters<typeof finish.run>[0]) => finish.run(f),
    appendAttempt: (seq: number, attempts: string) => appendAttempt.run(attempts, seq),
    deleteItems: (batchId: string) => deleteItems.run(batchId),
    /** A failed batch's events become single deliveries again, due at `now`. */
    fallBack: (batchId: string, now: number, deadline: number) => fallback.run(now, deadline, batchId).changes,
    /** The next delivery of the conversation that waited for this one (or an earlier one) may go now. */
    release: (d: Pick<DeliveryRow, 'webhook_id' | 'order_key' | 'seq'>, now: number) => {
      if (d.order_key !== null) release.run({ now, webhook: d.webhook_id, key: d.order_key, seq: d.seq });
    },
    /** Fails what a webhook still had to send: one webhook, or every webhook of the kind that no longer exists in the project. */
    cancel: (projectId: string, kind: 'whatsapp' | 'agent', webhookId: string | null, now: number, error: string) => {
      const n = cancel.run({ project: projectId, kind, webhook: webhookId, now, error }).changes;
      if (n > 0) dropOrphanItems.run(projectId);
      return n;
    },
    /** Keeps the newest `keep` finished deliveries; pending ones are never dropped. */
    trim: (keep: number) => {
      trimTo = undefined;
      finishedSinceTrim = 0;
      return trim.run(keep).changes;
    },
    /**
     * A delivery finished: the history is trimmed to `keep` after a sixteenth of it has finished
     * (64 at most; at once for a history under 32), or before the next read, whichever comes first.
     */
    finished: (keep: number) => {
      trimTo = keep;
      if (++finishedSinceTrim >= Math.max(1, Math.min(64, keep >> 4))) flushTrim();
    },
    clear: (projectId: string | '*') => {
      if (projectId === '*') {
        clearAll.run();
        clearAllTimers.run();
      } else {
        clearProject.run(projectId);
        clearProjectTimers.run(projectId);
      }
    },
    /** Attempts that were in flight when the process stopped go again (at-least-once). */
    recover: (now: number) => recover.run(now).changes,
    holders: (id: string): string[] => {
      flushTrim();
      return holders.all(id);
    },
    /** The newest delivery's seq (0 when there is none); seq is AUTOINCREMENT, never reused. */
    newest: (): number => newest.get() ?? 0,
    /** Deliveries (not a batch's items) made after `seq`, oldest first, 1000 at most, as the live stream summarises them. */
    madeAfter: (seq: number) => madeAfter.all(seq),
    list: (f: DeliveryFilter, limit = 1_000_000) => {
      flushTrim();
      return listStatement(f).all({ ...f, limit }) as DeliveryRow[];
    },

    timers: {
      arm: (t: Omit<Timer, 'fired'>) => upsertTimer.run(t),
      of: (projectId: string, webhookId: string) => timersOf.all(projectId, webhookId),
      dropWebhook: (projectId: string, webhookId: string) => dropWebhookTimers.run(projectId, webhookId),
      dropConversation: (projectId: string, conversationId: string) => dropConversationTimers.run(projectId, conversationId),
      drop: (t: Pick<Timer, 'project_id' | 'webhook_id' | 'conversation_id'>) => dropTimer.run(t.project_id, t.webhook_id, t.conversation_id),
      fire: (t: Pick<Timer, 'project_id' | 'webhook_id' | 'conversation_id'>) => fireTimer.run(t.project_id, t.webhook_id, t.conversation_id),
      due: (now: number, limit: number) => dueTimers.all(now, limit),
      next: () => nextTimer.get() ?? undefined,
    },
  };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
