// From events to deliveries. The dispatcher is a durable subscriber of the event bus: it runs inside
// the transaction of the change and writes one delivery row per webhook that wants the event, so a
// delivery commits or rolls back with its change (never lost, never sent for a write that did not
// happen). It never sends anything: the worker (worker.ts) does, off the request path.
//
// What it decides (docs/webhooks.md):
//   - which webhooks get an event: the config's (or the agent's) active webhooks subscribed to it;
//   - the body, built now from the stored records (payloads.ts), signed now: every retry sends the
//     same bytes, the same signature and the same X-Idempotency-Key;
//   - buffering: a buffered event joins its conversation's open batch for that webhook (debounced
//     by buffer_window_seconds, closed at max_buffer_size);
//   - inactivity timers: armed by a conversation's activity, fired by the worker once per quiet spell.
import { createHmac } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Settings } from '../admin/settings/settings.js';
import type { AnyEvent } from '../lib/events.js';
import { newId } from '../lib/ids.js';
import type { Repositories } from '../lib/resource.js';
import type { AgentWebhook } from '../resources/agent-webhooks/schemas.js';
import type { WebhookRecord } from '../resources/whatsapp-webhooks/repository.js';
import type { PayloadVersion } from '../resources/whatsapp-webhooks/schemas.js';
import { AGENT_EVENTS, type Payload, type PayloadBuilder } from './payloads.js';
import type { DeliveryOrigin, DeliveryRow, DeliveryStore } from './store.js';

/** Kapso delivers a conversation's events in order, but an event waits at most this long for the earlier ones. */
export const ORDER_WAIT_MS = 30_000;

/** Where a delivery goes: a WhatsApp webhook or an agent webhook, as it is at the moment of the event. */
export interface Target {
  kind: 'whatsapp' | 'agent';
  id: string;
  url: string;
  secret_key: string;
  headers: Record<string, string> | null;
  payload_version: PayloadVersion;
}

export const whatsappTarget = (w: WebhookRecord): Target => ({
  kind: 'whatsapp', id: w.id, url: w.url, secret_key: w.secret_key, headers: w.headers, payload_version: w.payload_version,
});
/** Agent webhooks have one payload (the agents guide's); they say v2, as every new Kapso webhook does. */
export const agentTarget = (w: AgentWebhook): Target => ({
  kind: 'agent', id: w.id, url: w.url, secret_key: w.secret_key, headers: w.headers, payload_version: 'v2',
});

/** Lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the webhook's secret (no prefix). */
export const sign = (secret: string, body: string): string => createHmac('sha256', secret).update(body, 'utf8').digest('hex');

/** Every header of a delivery: the webhook's own first, then Kapso's (which custom headers cannot replace). */
export function deliveryHeaders(t: Pick<Target, 'secret_key' | 'headers' | 'payload_version'>, event: string, body: string, idempotencyKey: string, batchSize?: number): Record<string, string> {
  return {
    ...t.headers,
    'Content-Type': 'application/json',
    'X-Webhook-Event': event,
    'X-Webhook-Signature': sign(t.secret_key, body),
    'X-Idempotency-Key': idempotencyKey,
    'X-Webhook-Payload-Version': t.payload_version,
    ...(batchSize !== undefined && { 'X-Webhook-Batch': 'true', 'X-Batch-Size': String(batchSize) }),
  };
}

const MESSAGE_STATUS = {
  'whatsapp.message.received': 'received',
  'whatsapp.message.sent': 'sent',
  'whatsapp.message.delivered': 'delivered',
  'whatsapp.message.read': 'read',
  'whatsapp.message.failed': 'failed',
} as const;

/** Record types whose deletion can leave deliveries without their webhook (cascades publish nothing of their own). */
const OWNERS = { whatsapp_webhook: 'whatsapp', whatsapp_config: 'whatsapp', customer: 'whatsapp', agent_webhook: 'agent', agent: 'agent' } as const;

export interface DispatcherDeps {
  db: Db;
  clock: Clock;
  repos: Repositories;
  settings: Settings;
  store: DeliveryStore;
  payloads: PayloadBuilder;
  /** Called when a project's state is replaced (reset, restore, fixtures): its sends in flight are aborted. */
  onReplaced: (projectId: string) => void;
}

export function createDispatcher({ db, clock, repos, settings, store, payloads, onReplaced }: DispatcherDeps) {
  const activeConversations = db.prepare<[string, string], { id: string; last_active_at: string }>(
    "SELECT id, last_active_at FROM whatsapp_conversations WHERE project_id = ? AND whatsapp_config_id = ? AND status = 'active'",
  );
  const webhooksOf = db.prepare<[{ project: string | null }], { project_id: string; id: string }>(
    'SELECT project_id, id FROM whatsapp_webhooks WHERE @project IS NULL OR project_id = @project',
  );

  /** A single delivery of `payload` to `target`, due now (or after the delay fault); its seq. */
  const enqueue = (
    projectId: string, target: Target, event: string, payload: Payload,
    opts: { conversationId: string | null; orderKey: string | null; origin?: DeliveryOrigin; now?: number },
  ): number => {
    const now = opts.now ?? clock.now();
    const body = JSON.stringify(payload);
    const key = newId();
    return store.insert({
      id: newId(), project_id: projectId, webhook_kind: target.kind, webhook_id: target.id, event,
      conversation_id: opts.conversationId, order_key: opts.orderKey, status: 'pending', is_batch: 0, batch_id: null,
      origin: opts.origin ?? 'event', origin_id: null, url: target.url, headers: JSON.stringify(deliveryHeaders(target, event, body, key)),
      payload_version: target.payload_version, body, idempotency_key: key,
      next_attempt_at: now + settings.webhookDelayMs, order_deadline: now + ORDER_WAIT_MS, window_ms: null, max_size: null, created_at: now,
    });
  };

  /** Closes a batch: its body holds its events in order, its headers say it is a batch. False when it was not open. */
  const closeBatch = (batch: DeliveryRow, secret: string, now: number): boolean => {
    const items = store.items(batch.id);
    if (items.length === 0) return false;
    const payload = payloads.batch(batch.event, items, batch.window_ms!, batch.conversation_id!);
    const body = JSON.stringify(payload);
    const custom = JSON.parse(batch.headers) as Record<string, string>;
    const headers = deliveryHeaders({ secret_key: secret, headers: custom, payload_version: batch.payload_version as PayloadVersion }, batch.event, body, batch.idempotency_key, items.length);
    return store.close(batch.seq, body, JSON.stringify(headers), now + settings.webhookDelayMs, now + ORDER_WAIT_MS);
  };

  /** A buffered event joins its conversation's open batch for this webhook (or opens one). */
  const buffer = (projectId: string, webhook: WebhookRecord, event: string, payload: Payload, conversationId: string) => {
    const now = clock.now();
    const target = whatsappTarget(webhook);
    let batch = store.openBatch(projectId, webhook.id, conversationId);
    if (!batch) {
      const seq = store.insert({
        id: newId(), project_id: projectId, webhook_kind: 'whatsapp', webhook_id: webhook.id, event, conversation_id: conversationId,
        order_key: conversationId, status: 'buffering', is_batch: 1, batch_id: null, origin: 'event', origin_id: null, url: webhook.url,
        // Until it closes, a batch keeps the webhook's custom headers; its own are made when it closes.
        headers: JSON.stringify(webhook.headers ?? {}), payload_version: webhook.payload_version, body: '', idempotency_key: newId(),
        next_attempt_at: now + webhook.buffer_window_seconds * 1000, order_deadline: null,
        window_ms: webhook.buffer_window_seconds * 1000, max_size: webhook.max_buffer_size, created_at: now,
      });
      batch = store.bySeq(seq)!;
    }
    // The event itself, ready to go on its own should the batch fail (Kapso falls back to single deliveries).
    const body = JSON.stringify(payload);
    const key = newId();
    store.insert({
      id: newId(), project_id: projectId, webhook_kind: 'whatsapp', webhook_id: webhook.id, event, conversation_id: conversationId,
      order_key: conversationId, status: 'batched', is_batch: 0, batch_id: batch.id, origin: 'event', origin_id: null, url: webhook.url,
      headers: JSON.stringify(deliveryHeaders(target, event, body, key)), payload_version: webhook.payload_version, body, idempotency_key: key,
      next_attempt_at: null, order_deadline: null, window_ms: null, max_size: null, created_at: now,
    });
    // Debounced: the window starts again with every event; a full batch goes at once.
    if (store.itemCount(batch.id) >= batch.max_size!) closeBatch(batch, webhook.secret_key, now);
    else store.setNext(batch.seq, now + batch.window_ms!);
  };

  /**
   * Arms the conversation's inactivity timers for its current quiet spell, one per webhook that
   * wants the event (`webhooks`: its config's active webhooks, when the caller has read them).
   */
  const armConversation = (projectId: string, conversationId: string, webhooks?: WebhookRecord[]) => {
    const c = repos.whatsappConversations.record(projectId, conversationId);
    if (!c || c.status !== 'active') {
      store.timers.dropConversation(projectId, conversationId);
      return;
    }
    for (const w of webhooks ?? repos.whatsappWebhooks.activeFor(projectId, c.whatsapp_config_id)) {
      if (!w.events.includes('whatsapp.conversation.inactive')) continue;
      store.timers.arm({
        project_id: projectId, webhook_id: w.id, conversation_id: c.id, last_active_at: c.last_active_at,
        due_at: Date.parse(c.last_active_at) + w.inactivity_minutes * 60_000,
      });
    }
  };

  /**
   * A webhook (new, changed or back from a reset) watches its config's active conversations: a spell
   * already watched gets the webhook's current minutes; a spell still in progress (not yet as long
   * as inactivity_minutes) starts being watched; one that was already quiet longer before the
   * webhook could watch it does not fire.
   */
  const armWebhook = (projectId: string, webhookId: string) => {
    const w = repos.whatsappWebhooks.record(projectId, webhookId);
    if (!w || !w.active || !w.events.includes('whatsapp.conversation.inactive')) {
      store.timers.dropWebhook(projectId, webhookId);
      return;
    }
    const now = clock.now();
    const watched = new Map(store.timers.of(projectId, w.id).map((t) => [t.conversation_id, t]));
    const minutes = w.inactivity_minutes * 60_000;
    for (const c of activeConversations.all(projectId, w.whatsapp_config_id)) {
      const due = Date.parse(c.last_active_at) + minutes;
      if (watched.has(c.id) || due > now) {
        store.timers.arm({ project_id: projectId, webhook_id: w.id, conversation_id: c.id, last_active_at: c.last_active_at, due_at: due });
      }
      watched.delete(c.id);
    }
    for (const t of watched.values()) store.timers.drop(t);
  };

  const armAll = (projectId: string | null) => {
    for (const w of webhooksOf.all({ project: projectId })) armWebhook(w.project_id, w.id);
  };

  const onMessage = (event: AnyEvent & { name: keyof typeof MESSAGE_STATUS }) => {
    const { message_id, conversation_id, whatsapp_config_id } = event.data;
    const status = MESSAGE_STATUS[event.name];
    const built = new Map<PayloadVersion, Payload>();
    const webhooks = repos.whatsappWebhooks.activeFor(event.project_id, whatsapp_config_id);
    for (const w of webhooks) {
      if (!w.events.includes(event.name)) continue;
      let payload = built.get(w.payload_version);
      if (!payload) {
        payload = payloads.message(event.project_id, message_id, status, w.payload_version);
        built.set(w.payload_version, payload);
      }
      if (w.buffer_enabled && (w.buffer_events as string[]).includes(event.name)) buffer(event.project_id, w, event.name, payload, conversation_id);
      else enqueue(event.project_id, whatsappTarget(w), event.name, payload, { conversationId: conversation_id, orderKey: conversation_id });
    }
    // A message is activity: the conversation's quiet spell starts again.
    if (status === 'received' || status === 'sent') armConversation(event.project_id, conversation_id, webhooks);
  };

  const onConversation = (event: AnyEvent & { name: 'whatsapp.conversation.created' | 'whatsapp.conversation.ended' }) => {
    const { conversation_id, whatsapp_config_id } = event.data;
    const built = new Map<PayloadVersion, Payload>();
    for (const w of repos.whatsappWebhooks.activeFor(event.project_id, whatsapp_config_id)) {
      if (!w.events.includes(event.name)) continue;
      let payload = built.get(w.payload_version);
      if (!payload) {
        payload = payloads.conversation(event.project_id, conversation_id, w.payload_version);
        built.set(w.payload_version, payload);
      }
      enqueue(event.project_id, whatsappTarget(w), event.name, payload, { conversationId: conversation_id, orderKey: conversation_id });
    }
    if (event.name === 'whatsapp.conversation.created') armConversation(event.project_id, conversation_id);
    else store.timers.dropConversation(event.project_id, conversation_id);
  };

  const onAgentExecution = (event: AnyEvent & { name: keyof typeof AGENT_EVENTS }) => {
    const name = AGENT_EVENTS[event.name];
    const ref = event.data;
    let payload: Payload | undefined;
    for (const w of repos.agentWebhooks.activeFor(event.project_id, ref.agent_id)) {
      if (!w.events.includes(name)) continue;
      payload ??= payloads.agent(event.project_id, name, ref, event.at, repos.agentWebhooks.execution(event.project_id, ref.execution_id));
      // An execution's events go in order; they belong to its conversation when it has one.
      enqueue(event.project_id, agentTarget(w), name, payload, { conversationId: ref.conversation_id, orderKey: ref.execution_id });
    }
  };

  return {
    enqueue,
    closeBatch,
    armConversation,

    /** Arms every webhook's timers (start-up: timers armed before a restart stay as they were). */
    armAll: () => armAll(null),

    /** The durable subscriber: called inside the transaction of every change. */
    onEvent(event: AnyEvent): void {
      switch (event.name) {
        case 'whatsapp.message.received': case 'whatsapp.message.sent': case 'whatsapp.message.delivered':
        case 'whatsapp.message.read': case 'whatsapp.message.failed':
          return onMessage(event);
        case 'whatsapp.conversation.created': case 'whatsapp.conversation.ended':
          return onConversation(event);
        case 'agent_execution.started': case 'agent_execution.ended': case 'agent_execution.failed': case 'agent_execution.handoff':
          return onAgentExecution(event);
        case 'record.created': case 'record.updated':
          if (event.data.type === 'whatsapp_webhook') armWebhook(event.project_id, event.data.id);
          // A conversation opened again starts a new spell.
          else if (event.data.type === 'whatsapp_conversation') armConversation(event.project_id, event.data.id);
          return;
        case 'record.deleted': {
          const kind = OWNERS[event.data.type as keyof typeof OWNERS];
          if (kind === undefined) return;
          const own = event.data.type === 'whatsapp_webhook' || event.data.type === 'agent_webhook';
          store.cancel(event.project_id, kind, own ? event.data.id : null, clock.now(), own ? 'cancelled: the webhook was deleted' : 'cancelled: the webhook is gone');
          if (event.data.type === 'whatsapp_webhook') store.timers.dropWebhook(event.project_id, event.data.id);
          return;
        }
        case 'state.replaced':
          // Reset, restore, fixtures, a new sandbox: the project's deliveries belong to the state that went.
          onReplaced(event.project_id);
          store.clear(event.project_id);
          armAll(event.project_id === '*' ? null : event.project_id);
          return;
      }
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
