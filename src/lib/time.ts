// Time values in query filters (Ransack's *_gteq / *_lteq on timestamps).

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A filter bound as a stored timestamp string (millisecond precision), or undefined when the
 * value is absent or not a time (Ransack drops values it cannot cast). A bare date covers the
 * whole day. Times without a zone are UTC. A lower bound finer than a millisecond rounds up and
 * an upper bound rounds down, so a bound never lets in a record outside it.
 */
export function parseTimeFilter(value: string | undefined, bound: 'start' | 'end'): string | undefined {
  const text = value?.trim() ?? '';
  let ms: number;
  if (DATE_ONLY.test(text)) {
    ms = Date.parse(`${text}T00:00:00.000Z`) + (bound === 'end' ? 86_400_000 - 1 : 0);
  } else {
    const match = DATE_TIME.exec(text);
    if (!match) return undefined;
    const [, date, time, fraction = '', zone = 'Z'] = match;
    ms = Date.parse(`${date}T${time}.${fraction.slice(0, 3).padEnd(3, '0')}${zone}`);
    if (bound === 'start' && /[1-9]/.test(fraction.slice(3))) ms += 1;
  }
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
