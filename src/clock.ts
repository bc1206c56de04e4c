// Every timestamp the mock writes comes from here, so tests can freeze or move time.

export interface Clock {
  /** Current time in milliseconds since the epoch. */
  now(): number;
  /** Current time as RFC 3339 UTC with milliseconds: 2026-11-23T10:15:00.000Z. */
  iso(): string;
  /** Stops time at `at` (ms since epoch). */
  freeze(at: number): void;
  /** Moves time forward by `ms`, frozen or not. */
  advance(ms: number): void;
  /** Back to real time. */
  reset(): void;
  /** Moves whenever the clock is frozen, advanced or reset (the response cache drops its answers then). */
  version(): number;
  /** What the clock is doing, for the admin API. */
  state(): { mode: 'real' | 'frozen' | 'offset'; now: string; offset_ms: number };
  /** True while time stands still (frozen): nothing becomes due until the clock is moved. */
  frozen(): boolean;
  /**
   * Calls `fn` after every freeze, advance and reset, synchronously (work due on the mock's
   * clock runs before the call that moved it returns). The returned function unsubscribes.
   */
  onChange(fn: () => void): () => void;
}

export function createClock(): Clock {
  let frozenAt: number | null = null;
  let offset = 0;
  let version = 0;
  const listeners = new Set<() => void>();
  const now = () => (frozenAt ?? Date.now() + offset);
  const changed = () => {
    version++;
    for (const fn of [...listeners]) fn();
  };
  // A write stamps several times in the same millisecond (its row, its events, its journal entry):
  // the text of the last millisecond asked for is kept.
  let isoAt = NaN;
  let isoText = '';
  return {
    now,
    iso: () => {
      const t = now();
      if (t !== isoAt) {
        isoText = new Date(t).toISOString();
        isoAt = t;
      }
      return isoText;
    },
    freeze(at) {
      frozenAt = at;
      offset = 0;
      changed();
    },
    advance(ms) {
      if (frozenAt !== null) frozenAt += ms;
      else offset += ms;
      changed();
    },
    reset() {
      frozenAt = null;
      offset = 0;
      changed();
    },
    frozen: () => frozenAt !== null,
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    version: () => version,
    state: () => ({
      mode: frozenAt !== null ? 'frozen' : offset !== 0 ? 'offset' : 'real',
      now: new Date(now()).toISOString(),
      offset_ms: frozenAt !== null ? frozenAt - Date.now() : offset,
    }),
  };
}
