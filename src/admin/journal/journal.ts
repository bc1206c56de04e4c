// The request journal: what the code under test sent to /api/v1 or the Meta proxy and what it got back.
// A fixed-size ring (KAPSO_MOCK_JOURNAL_SIZE): the oldest entry makes room for the newest,
// so memory stays flat however long the server runs.

/**
 * A request as recorded: raw references, so recording costs next to nothing on the hot path.
 * Redaction, query parsing and time formatting happen when someone reads the journal.
 */
export interface JournalEntry {
  /** Increasing sequence number (survives clears). */
  id: number;
  /** When it was recorded (the mock's clock), in ms since the epoch. */
  at: number;
  method: string;
  /** Path and query string as sent. */
  url: string;
  /** Request headers as received (never served without redaction). */
  headers: Record<string, unknown>;
  body: unknown;
  /** 0 when the connection was dropped by a fault rule. */
  status: number;
  /** The response body as sent (a string; parsed when read through the admin API). */
  responseBody: string | undefined;
  durationMs: number;
  projectId: string | null;
}

export interface JournalFilter {
  method?: string | undefined;
  /** Exact path; a trailing `*` makes it a prefix (`/api/v1/customers*`). */
  path?: string | undefined;
  status?: number | undefined;
  projectId?: string | undefined;
  /** Inclusive bounds, in ms since the epoch. */
  since?: number | undefined;
  until?: number | undefined;
}

export const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

/** Bodies kept per entry at most, so a run of big list responses cannot grow the journal. */
export const MAX_STORED_BODY = 64 * 1024;

export function matches(entry: JournalEntry, f: JournalFilter): boolean {
  if (f.method !== undefined && entry.method !== f.method.toUpperCase()) return false;
  if (f.path !== undefined) {
    const path = pathOf(entry.url);
    if (f.path.endsWith('*') ? !path.startsWith(f.path.slice(0, -1)) : path !== f.path) return false;
  }
  if (f.status !== undefined && entry.status !== f.status) return false;
  if (f.projectId !== undefined && entry.projectId !== f.projectId) return false;
  if (f.since !== undefined && entry.at < f.since) return false;
  if (f.until !== undefined && entry.at > f.until) return false;
  return true;
}

interface Waiter {
  filter: JournalFilter;
  count: number;
  seen: JournalEntry[];
  done: (timedOut: boolean) => void;
}

export class Journal {
  private ring: (JournalEntry | undefined)[];
  private next = 0;
  private seq = 0;
  private waiters = new Set<Waiter>();
  private listeners = new Set<(entry: JournalEntry) => void>();

  constructor(private size: number) {
    this.ring = new Array<JournalEntry | undefined>(size);
  }

  get capacity(): number {
    return this.size;
  }

  /** Changes the capacity, keeping the newest entries that fit. */
  resize(size: number): void {
    const kept = this.list({}).slice(0, size).reverse();
    this.size = size;
    this.ring = new Array<JournalEntry | undefined>(size);
    this.next = 0;
    for (const e of kept) this.push(e);
  }

  /** Takes an entry whose id is still 0 and numbers it. */
  record(entry: JournalEntry): void {
    entry.id = ++this.seq;
    if (this.size > 0) this.push(entry);
    for (const fn of this.listeners) fn(entry);
    if (this.waiters.size === 0) return;
    for (const w of this.waiters) {
      if (matches(entry, w.filter)) {
        w.seen.push(entry);
        if (w.seen.length >= w.count) w.done(false);
      }
    }
  }

  private push(entry: JournalEntry): void {
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.size;
  }

  /** Matching entries, newest first. */
  list(filter: JournalFilter, limit = Infinity): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = 1; i <= this.size && out.length < limit; i++) {
      const e = this.ring[(this.next - i + this.size) % this.size];
      if (e === undefined) break;
      if (matches(e, filter)) out.push(e);
    }
    return out;
  }

  /** The entry with this id, while the journal still holds it. */
  get(id: number): JournalEntry | undefined {
    for (let i = 1; i <= this.size; i++) {
      const e = this.ring[(this.next - i + this.size) % this.size];
      if (e === undefined || e.id < id) return undefined;
      if (e.id === id) return e;
    }
    return undefined;
  }

  /** Called with every recorded request (the event stream's request.recorded); the returned function unsubscribes. */
  onRecord(fn: (entry: JournalEntry) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  count(filter: JournalFilter): number {
    return this.list(filter).length;
  }

  clear(): void {
    this.ring = new Array<JournalEntry | undefined>(this.size);
    this.next = 0;
  }

  /**
   * Resolves once `count` matching requests are in the journal (those already there count),
   * or after `timeoutMs` with what was seen. Newest first.
   */
  wait(filter: JournalFilter, count: number, timeoutMs: number): Promise<{ entries: JournalEntry[]; timedOut: boolean }> {
    const already = this.list(filter);
    if (already.length >= count) return Promise.resolve({ entries: already, timedOut: false });
    return new Promise((resolve) => {
      const waiter: Waiter = {
        filter,
        count,
        // Oldest first while waiting, so new entries append; turned newest first when done.
        seen: already.reverse(),
        done: (timedOut) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve({ entries: [...waiter.seen].reverse(), timedOut });
        },
      };
      const timer = setTimeout(() => waiter.done(true), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Ends every pending wait now (the server is closing). */
  releaseWaiters(): void {
    for (const w of [...this.waiters]) w.done(true);
  }
}
