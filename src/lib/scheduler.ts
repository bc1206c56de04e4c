// Work that falls due on the mock's clock (outbound message statuses moving by themselves;
// webhook retries, buffer windows and inactivity later). A piece of work says when its next
// item is due and does what is due; the scheduler decides when to ask:
//   - whenever the clock is frozen, advanced or reset, synchronously: a test that advances the
//     clock sees the due work done when the call returns, and a frozen clock moves nothing;
//   - after writes (wake()), on the next turn of the event loop, since a write can bring work due;
//   - by one unref'd real timer while the clock runs (real or offset), set for the earliest due time.
// What is due is read from the database each time (nextDue), never kept in memory: it survives a
// restart on a file database, a reset, a snapshot restore.
import type { Clock } from '../clock.js';

export interface ScheduledWork {
  /** Names the work in error logs. */
  name: string;
  /** The earliest mock-clock time (ms since the epoch) something is due, or undefined when nothing waits. */
  nextDue(): number | undefined;
  /** Does what is due at `now` (mock-clock ms). Called again while nextDue() stays at or before `now`. */
  runDue(now: number): void;
}

/** Rounds of runDue per work and tick: work that stays due after this many is left to the next tick. */
const MAX_ROUNDS = 100;
/** Real milliseconds before a tick continues work that was still due when the last one ended. */
const STILL_DUE_DELAY = 10;
/** setTimeout's largest delay. */
const MAX_DELAY = 2 ** 31 - 1;

export class Scheduler {
  private readonly works = new Set<ScheduledWork>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (err: unknown, work: ScheduledWork) => void = () => undefined,
  ) {
    this.unsubscribe = clock.onChange(() => this.tick());
  }

  /** Adds a piece of work; the returned function removes it. */
  add(work: ScheduledWork): () => void {
    this.works.add(work);
    this.wake();
    return () => this.works.delete(work);
  }

  /** Something may have become due (a write, a changed setting): look again on the next turn of the event loop. */
  wake(): void {
    if (this.stopped || this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.tick();
    });
    this.immediate.unref();
  }

  /** Runs what is due now and plans the timer for what comes next. */
  tick(): void {
    if (this.stopped || this.running) return;
    this.running = true;
    // What each work said is due when nothing ran: the timer is planned from these answers rather
    // than by asking again (a tick follows every write: two questions per work instead of four).
    let quiet: Map<ScheduledWork, number | undefined> | undefined = new Map();
    try {
      const now = this.clock.now();
      for (const work of this.works) {
        try {
          for (let round = 0; round < MAX_ROUNDS; round++) {
            const due = work.nextDue();
            if (due === undefined || due > now) {
              quiet?.set(work, due);
              break;
            }
            quiet = undefined;
            work.runDue(now);
          }
        } catch (err) {
          quiet = undefined;
          this.onError(err, work);
        }
      }
    } finally {
      this.running = false;
    }
    this.plan(quiet);
  }

  /** Stops the timer and every future run (app close). */
  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  /** @param known what every work answered in a tick where nothing ran (asked again otherwise) */
  private plan(known?: Map<ScheduledWork, number | undefined>): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // A frozen clock moves only when someone moves it, and then tick() runs at once.
    if (this.stopped || this.clock.frozen()) return;
    let next: number | undefined;
    for (const work of this.works) {
      try {
        const due = known?.has(work) ? known.get(work) : work.nextDue();
        if (due !== undefined && (next === undefined || due < next)) next = due;
      } catch (err) {
        this.onError(err, work);
      }
    }
    if (next === undefined) return;
    // Work still due after a tick (more than MAX_ROUNDS rounds of it) continues shortly, without spinning.
    const delay = next - this.clock.now();
    this.timer = setTimeout(() => this.tick(), delay <= 0 ? STILL_DUE_DELAY : Math.min(delay, MAX_DELAY));
    this.timer.unref();
  }
}
