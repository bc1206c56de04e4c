// Kapso's documented operations the mock does not emulate yet (docs/behaviour.md, "Known
// differences"): a request no route answers but that Kapso documents is told so, rather than
// looking like a typo. Only consulted on a 404, after every registered route had its chance.
import fp from 'fastify-plugin';
import { notEmulated, routeNotFound } from './errors.js';
import { KAPSO_OPERATIONS, type KapsoOperation } from './kapso-operations.js';
import { byCodeUnits } from './lib/order.js';

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
for (const list of byMethod.values()) list.sort((a, b) => byCodeUnits(mask(a), mask(b)));

/** The Kapso operation a request under /api/v1 is for, when Kapso documents one. */
export function kapsoOperationFor(method: string, path: string): KapsoOperation | undefined {
  if (!path.startsWith(`${API_PREFIX}/`)) return undefined;
  const segments = path.slice(API_PREFIX.length).split('/').slice(1);
  return byMethod.get(method)?.find((p) =>
    p.segments.length === segments.length && p.segments.every((s, i) => (s === null ? segments[i] !== '' : s === segments[i])),
  )?.operation;
}

/**
 * Kapso operations with a static segment where an emulated operation has a parameter, that the
 * mock does not emulate (GET /whatsapp_templates/sync_status beside GET /whatsapp_templates/{template_id}):
 * the router would hand them to the parameterised route, so a hook answers them first, as routing
 * would if the static route existed. Registered in the /api/v1 scope before its routes; the list is
 * made once, from the routes that scope registered, when the app is ready. An empty path parameter
 * (a trailing slash) matches no route either.
 */
export const shadowedOperations = fp(async (api) => {
  const registered: { method: string; url: string; segments: (string | null)[] }[] = [];
  api.addHook('onRoute', (route) => {
    const url = route.url.startsWith(API_PREFIX) ? route.url.slice(API_PREFIX.length) : route.url;
    const segments = url.split('/').slice(1).map((s) => (s.startsWith(':') ? null : s));
    for (const method of [route.method].flat()) registered.push({ method, url: route.url, segments });
  });
  /** By `<method> <route URL>`: the shadowed operations that route would capture (most routes: none). */
  let captured = new Map<string, Pattern[]>();
  api.addHook('onReady', async () => {
    const sameShape = (a: (string | null)[], b: (string | null)[]) => a.length === b.length && a.every((s, i) => s === b[i]);
    const captures = (route: (string | null)[], op: (string | null)[]) =>
      route.length === op.length && route.every((s, i) => s === null || s === op[i]);
    const shadowed = [...byMethod.values()].flat().filter((p) =>
      !registered.some((r) => r.method === p.operation[0] && sameShape(r.segments, p.segments))
      && registered.some((r) => r.method === p.operation[0] && captures(r.segments, p.segments)));
    captured = new Map(registered.flatMap((r) => {
      const mine = shadowed.filter((p) => p.operation[0] === r.method && captures(r.segments, p.segments));
      return mine.length > 0 ? [[`${r.method} ${r.url}`, mine] as const] : [];
    }));
  });
  api.addHook('onRequest', (request, _reply, done) => {
    const params = request.params as Record<string, string>;
    let empty = false;
    for (const key in params) if (params[key] === '') empty = true;
    // Every request pays this hook: with no empty parameter and nothing its route could hide, it is done here.
    if (!empty && captured.size === 0) return done();
    const url = request.routeOptions.url;
    if (!url?.includes(':')) return done();
    const candidates = captured.get(`${request.method} ${url}`);
    if (!empty && candidates === undefined) return done();
    const path = request.url.split('?', 1)[0]!;
    // An empty path parameter (`/whatsapp_templates/`) names no record: no route matches, as for any unknown path.
    if (empty) return done(routeNotFound(request.method, path));
    const segments = path.slice(API_PREFIX.length).split('/').slice(1);
    const hit = candidates!.find((p) => p.segments.length === segments.length
      && p.segments.every((s, i) => (s === null ? segments[i] !== '' : s === segments[i])));
    done(hit ? notEmulated(hit.operation[2], hit.operation[0], `${API_PREFIX}${hit.operation[1]}`) : undefined);
  });
}, { name: 'shadowed-operations' });
