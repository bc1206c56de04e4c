// The scheduler (src/lib/scheduler.ts): work due on the mock's clock runs when the clock is frozen,
// advanced or reset (synchronously), after a wake, and by one real timer while the clock runs;
// what is due is asked of the work each time, never remembered.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClock, type Clock } from '../../src/clock.js';
import { Scheduler, type ScheduledWork } from '../../src/lib/scheduler.js';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');

/** Work over a list of due times (what a table of rows would hold): runDue removes what is due. */
function dueTimes(times: number[], log: number[] = []) {
  const pending = [...times];
  const work: ScheduledWork = {
    name: 'test work',
    nextDue: () => (pending.length === 0 ? undefined : Math.min(...pending)),
    runDue: (now) => {
      for (const t of pending.filter((t) => t <= now)) {
        pending.splice(pending.indexOf(t), 1);
        log.push(t);
      }
    },
  };
  return { work, pending, log, add: (t: number) => pending.push(t) };
}

let clock: Clock;
let scheduler: Scheduler;
const errors: unknown[] = [];

beforeEach(() => {
  clock = createClock();
  errors.length = 0;
  scheduler = new Scheduler(clock, (err) => errors.push(err));
});

afterEach(() => {
  scheduler.stop();
  vi.useRealTimers();
});

describe('on a frozen clock', () => {
  it('nothing runs until the clock moves; advancing runs what became due before advance() returns', () => {
    clock.freeze(T0);
    const w = dueTimes([T0 + 1000, T0 + 5000]);
    scheduler.add(w.work);
    clock.advance(999);
    expect(w.log).toEqual([]);
    clock.advance(1);
    expect(w.log).toEqual([T0 + 1000]);
    clock.advance(10_000);
    expect(w.log).toEqual([T0 + 1000, T0 + 5000]);
  });

  it('freezing at a later instant runs what is due by then; work added later is asked on the next move', () => {
    clock.freeze(T0);
    const w = dueTimes([T0 + 60_000]);
    scheduler.add(w.work);
    clock.freeze(T0 + 60_000);
    expect(w.log).toEqual([T0 + 60_000]);
    w.add(T0 + 61_000);
    clock.advance(1000);
    expect(w.log).toEqual([T0 + 60_000, T0 + 61_000]);
  });

  it('runDue is called again while work stays due (work that moves one step per call)', () => {
    clock.freeze(T0);
    let steps = 0;
    scheduler.add({ name: 'steps', nextDue: () => (steps < 3 ? T0 : undefined), runDue: () => void steps++ });
    clock.advance(0);
    expect(steps).toBe(3);
  });

  it('a failing piece of work is reported and does not stop the others', () => {
    clock.freeze(T0);
    const w = dueTimes([T0]);
    scheduler.add({ name: 'broken', nextDue: () => T0, runDue: () => { throw new Error('boom'); } });
    scheduler.add(w.work);
    clock.advance(0);
    expect(w.log).toEqual([T0]);
    expect(errors).toEqual([new Error('boom')]);
  });

  it('after stop() nothing runs', () => {
    clock.freeze(T0);
    const w = dueTimes([T0 + 1]);
    scheduler.add(w.work);
    scheduler.stop();
    clock.advance(10);
    expect(w.log).toEqual([]);
  });
});

describe('on a running clock (real timers, faked)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });

  it('a timer fires at the earliest due time', () => {
    const w = dueTimes([T0 + 1000, T0 + 3000]);
    scheduler.add(w.work);
    vi.advanceTimersByTime(0);
    expect(w.log).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(w.log).toEqual([T0 + 1000]);
    vi.advanceTimersByTime(2000);
    expect(w.log).toEqual([T0 + 1000, T0 + 3000]);
  });

  it('wake() looks again after a write brought something sooner', () => {
    const w = dueTimes([T0 + 60_000]);
    scheduler.add(w.work);
    vi.advanceTimersByTime(0);
    w.add(T0 + 10);
    scheduler.wake();
    vi.advanceTimersByTime(10);
    expect(w.log).toEqual([T0 + 10]);
  });

  it('an offset clock counts in mock time: advancing it runs what is due at once', () => {
    const w = dueTimes([T0 + 3_600_000]);
    scheduler.add(w.work);
    vi.advanceTimersByTime(0);
    clock.advance(3_600_000);
    expect(w.log).toEqual([T0 + 3_600_000]);
  });

  it('freezing stops the timer: nothing runs however much real time passes', () => {
    const w = dueTimes([T0 + 1000]);
    scheduler.add(w.work);
    clock.freeze(T0);
    vi.advanceTimersByTime(10_000);
    expect(w.log).toEqual([]);
    clock.reset();
    vi.advanceTimersByTime(0);
    expect(w.log).toEqual([T0 + 1000]);
  });

  it('the timer does not keep the process alive', () => {
    scheduler.add(dueTimes([T0 + 1000]).work);
    vi.advanceTimersByTime(0);
    const timers = vi.getTimerCount();
    expect(timers).toBe(1);
    expect((scheduler as unknown as { timer: NodeJS.Timeout }).timer.hasRef()).toBe(false);
  });
});
