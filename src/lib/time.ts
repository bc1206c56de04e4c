// Time values in query filters (Ransack's *_gteq / *_lteq on timestamps).

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A filter bound as a stored timestamp string, or undefined when the value is absent or not a
 * time (Ransack drops values it cannot cast). A bare date covers the whole day: the `start` of it
 * for a lower bound, the `end` of it for an upper bound. Times without a zone are UTC.
 */
export function parseTimeFilter(value: string | undefined, bound: 'start' | 'end'): string | undefined {
  const text = value?.trim() ?? '';
  let ms: number;
  if (DATE_ONLY.test(text)) {
    ms = Date.parse(`${text}T00:00:00.000Z`) + (bound === 'end' ? 86_400_000 - 1 : 0);
  } else {
    const match = DATE_TIME.exec(text);
    if (!match) return undefined;
    ms = Date.parse(match[1] ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`);
  }
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
