// Kapso's documented operations the mock does not emulate yet (docs/behaviour.md, "Known
// differences"): a request no route answers but that Kapso documents is told so, rather than
// looking like a typo. Only consulted on a 404, after every registered route had its chance.
import { KAPSO_OPERATIONS, type KapsoOperation } from './kapso-operations.js';

export const API_PREFIX = '/api/v1';

interface Pattern {
  operation: KapsoOperation;
  /** Path segments; null where the template has a parameter. */
  segments: (string | null)[];
}

/** Per method, static segments before parameters (`/whatsapp_templates/sync_status` before `/{template_id}`). */
const byMethod = new Map<string, Pattern[]>();
for (const operation of KAPSO_OPERATIONS) {
  const segments = operation[1].split('/').slice(1).map((s) => (s.startsWith('{') ? null : s));
  const list = byMethod.get(operation[0]) ?? [];
  list.push({ operation, segments });
  byMethod.set(operation[0], list);
}
const mask = (p: Pattern) => p.segments.map((s) => (s === null ? '1' : '0')).join('');
for (const list of byMethod.values()) list.sort((a, b) => mask(a).localeCompare(mask(b)));

/** The Kapso operation a request under /api/v1 is for, when Kapso documents one. */
export function kapsoOperationFor(method: string, path: string): KapsoOperation | undefined {
  if (!path.startsWith(`${API_PREFIX}/`)) return undefined;
  const segments = path.slice(API_PREFIX.length).split('/').slice(1);
  return byMethod.get(method)?.find((p) =>
    p.segments.length === segments.length && p.segments.every((s, i) => (s === null ? segments[i] !== '' : s === segments[i])),
  )?.operation;
}
