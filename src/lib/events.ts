// The app's event bus (app.events): repositories publish what happened, in Kapso's webhook
// vocabulary, and the parts of the mock that react (webhooks, the inspector's live stream,
// the journal) subscribe instead of editing handlers.
//
// Two kinds of subscriber:
//   - durable: called synchronously inside the transaction that made the change. What it writes
//     (a webhook delivery row) commits or rolls back with the change: never one without the other.
//     A durable subscriber that throws rolls the whole write back.
//   - live: called after the outermost transaction commits, in publish order; never for a write
//     that rolled back. Errors are logged and do not reach the request.
// publish() refuses to run outside a transaction, so no event can be separated from its change.
import type { Clock } from '../clock.js';
import { onTransactionEnd, type Db } from '../db/database.js';

/** A record a generic event is about: its kind (the resource family) and ID. */
export interface RecordRef {
  type: string;
  id: string;
}

export interface MessageRef {
  message_id: string;
  conversation_id: string;
  whatsapp_config_id: string;
}

export interface ConversationRef {
  conversation_id: string;
  whatsapp_config_id: string;
}

export interface ExecutionRef {
  execution_id: string;
  agent_id: string;
  conversation_id: string | null;
  reason?: string;
}

/** Every event the mock publishes, named after Kapso's webhook events where Kapso has one. */
export interface EventMap {
  'record.created': RecordRef;
  'record.updated': RecordRef;
  'record.deleted': RecordRef;
  'whatsapp.message.received': MessageRef;
  'whatsapp.message.sent': MessageRef;
  'whatsapp.message.delivered': MessageRef;
  'whatsapp.message.read': MessageRef;
  'whatsapp.message.failed': MessageRef;
  'whatsapp.conversation.created': ConversationRef;
  'whatsapp.conversation.ended': ConversationRef;
  'agent_execution.started': ExecutionRef;
  'agent_execution.ended': ExecutionRef;
  'agent_execution.failed': ExecutionRef;
  'agent_execution.handoff': ExecutionRef;
  /** The control plane replaced data wholesale: a reset, a restore, loaded fixtures (project_id '*' for all). */
  'state.replaced': { reason: 'reset' | 'restore' | 'fixtures' | 'sandbox' };
}

export type EventName = keyof EventMap;

export interface DomainEvent<N extends EventName = EventName> {
  /** Increasing per app: the order events were published in. */
  seq: number;
  name: N;
  project_id: string;
  /** When, on the mock's clock (RFC 3339). */
  at: string;
  data: EventMap[N];
}

export type AnyEvent = { [N in EventName]: DomainEvent<N> }[EventName];
type Subscriber = (event: AnyEvent) => void;

export class EventBus {
  private readonly durable = new Set<Subscriber>();
  private readonly live = new Set<Subscriber>();
  private pending: AnyEvent[] = [];
  private seq = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly onLiveError: (err: unknown, event: AnyEvent) => void = () => undefined,
  ) {
    onTransactionEnd(db, {
      begin: () => this.pending.length,
      commit: () => this.flush(),
      rollback: (mark) => {
        this.pending.length = mark as number;
      },
    });
  }

  /** Called inside the transaction of each change; the returned function unsubscribes. */
  onDurable(fn: Subscriber): () => void {
    this.durable.add(fn);
    return () => this.durable.delete(fn);
  }

  /** Called after the change committed; the returned function unsubscribes. */
  onLive(fn: Subscriber): () => void {
    this.live.add(fn);
    return () => this.live.delete(fn);
  }

  /** Publishes an event about a change made in the current transaction. */
  publish<N extends EventName>(name: N, projectId: string, data: EventMap[N]): void {
    if (!this.db.inTransaction) throw new Error(`Event ${name} published outside a transaction`);
    const event = { seq: ++this.seq, name, project_id: projectId, at: this.clock.iso(), data } as AnyEvent;
    for (const fn of this.durable) fn(event);
    this.pending.push(event);
  }

  private flush(): void {
    const events = this.pending;
    this.pending = [];
    for (const event of events) {
      for (const fn of this.live) {
        try {
          fn(event);
        } catch (err) {
          this.onLiveError(err, event);
        }
      }
    }
  }
}
