// The live event stream behind GET /__admin/events (docs/inspector.md "The event stream"): what the
// app's event bus publishes after each commit, every recorded /api/v1 request, and every change made
// through the control plane, numbered, kept in a bounded in-memory buffer for Last-Event-ID resume,
// and fanned out to the open connections. Memory stays flat: the buffer holds the last `size`
// items, and a connection that stops reading is closed (its client reconnects and resumes).
import { randomBytes } from 'node:crypto';

/**
 * One item of the stream, serialized once whatever the number of connections, and only when
 * something reads it: with no connection open (a test suite's run), an item costs its place in
 * the buffer, not a JSON.stringify per request.
 */
export interface StreamItem {
  /** `<boot>.<seq>`: the SSE id a client resumes from (a restarted server has another boot). */
  readonly id: string;
  readonly seq: number;
  /** The SSE event name: a bus event (whatsapp.message.sent...), request.recorded or control.changed. */
  readonly event: string;
  /** The project it concerns; '*' for every project (a reset), null for the mock itself (the clock, faults). */
  readonly projectId: string | null;
  /** The data line: one line of JSON. */
  readonly data: string;
}

class Item implements StreamItem {
  private text: string | undefined;
  constructor(
    private readonly boot: string,
    readonly seq: number,
    readonly event: string,
    readonly projectId: string | null,
    private make: (() => unknown) | undefined,
  ) {}

  get id(): string {
    return `${this.boot}.${this.seq}`;
  }

  get data(): string {
    if (this.text === undefined) {
      this.text = JSON.stringify(this.make!());
      this.make = undefined;
    }
    return this.text;
  }
}

export interface StreamConnection {
  /** Writes an item the connection's filter accepts. */
  send(item: StreamItem): void;
  /** Ends the response (the server is closing). */
  end(): void;
}

/** Items the stream keeps for resuming connections. */
export const STREAM_BUFFER_SIZE = 1000;
/** How often an idle connection gets a comment line, so proxies and clients see it alive. */
export const HEARTBEAT_MS = 15_000;

export interface EventStreamOptions {
  /** Items kept for Last-Event-ID resume (default 1000). */
  bufferSize?: number;
  /** Milliseconds between heartbeat comments (default 15 s). */
  heartbeatMs?: number;
}

/** SSE wire format of an item. */
export const formatItem = (item: StreamItem): string => `id: ${item.id}\nevent: ${item.event}\ndata: ${item.data}\n\n`;

export class EventStream {
  /** Tells this run's IDs from a previous run's, so a client of a restarted server resyncs instead of resuming. */
  readonly boot = randomBytes(4).toString('hex');
  readonly heartbeatMs: number;
  private readonly size: number;
  private ring: (StreamItem | undefined)[];
  private next = 0;
  private seq = 0;
  private readonly connections = new Set<StreamConnection>();
  private closed = false;

  constructor(options: EventStreamOptions = {}) {
    this.size = options.bufferSize ?? STREAM_BUFFER_SIZE;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.ring = new Array<StreamItem | undefined>(this.size);
  }

  /** The ID of the newest item (`<boot>.0` before the first). */
  get lastId(): string {
    return `${this.boot}.${this.seq}`;
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Numbers, buffers and sends an item to every open connection. The payload is serialized when
   * first read (by a connection, now or on resume), so it must not change after it is published:
   * callers pass objects made for the event, or a function that makes one.
   */
  publish(event: string, projectId: string | null, payload: unknown): void {
    this.publishLazy(event, projectId, () => payload);
  }

  /** publish() with the payload made only if something reads the item (at most once). */
  publishLazy(event: string, projectId: string | null, payload: () => unknown): void {
    const item = new Item(this.boot, ++this.seq, event, projectId, payload);
    if (this.size > 0) {
      this.ring[this.next] = item;
      this.next = (this.next + 1) % this.size;
    }
    for (const connection of this.connections) connection.send(item);
  }

  /** Every buffered item, oldest first. */
  buffered(): StreamItem[] {
    const out: StreamItem[] = [];
    for (let i = 0; i < this.size; i++) {
      const item = this.ring[(this.next + i) % this.size];
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  /**
   * The items after `lastId`, oldest first; undefined when they cannot be told: an ID of another
   * run, not an ID at all, from the future, or older than the buffer (items were missed).
   */
  after(lastId: string): StreamItem[] | undefined {
    const match = /^([0-9a-f]+)\.(\d+)$/.exec(lastId.trim());
    if (!match || match[1] !== this.boot) return undefined;
    const n = Number(match[2]);
    if (n > this.seq) return undefined;
    const items = this.buffered();
    const oldest = items[0]?.seq ?? this.seq + 1;
    if (n < oldest - 1) return undefined;
    return items.filter((item) => item.seq > n);
  }

  /** Adds a connection; the returned function removes it. */
  connect(connection: StreamConnection): () => void {
    this.connections.add(connection);
    return () => this.connections.delete(connection);
  }

  /** Ends every open connection, and any opened later at once (the server is closing). */
  close(): void {
    this.closed = true;
    for (const connection of [...this.connections]) connection.end();
    this.connections.clear();
  }
}
