// Issue 4, item 1: property-based input fuzzing. For every write operation of the document,
// thousands of generated bodies; for every operation, generated path and query values. Every
// response must be a documented 2xx or the documented 4xx envelope (never a 5xx, never a stack
// trace); every acknowledged write must read back as it was acknowledged; afterwards SQLite's
// integrity checks pass and no agent has two primary links.
//
// ROBUSTNESS_SEED=<n>|random replays or varies the run; ROBUSTNESS_SCALE=<x> multiplies the case counts.
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Findings, violationsOf } from './helpers/check.js';
import { checkDatabase } from './helpers/db.js';
import { figure } from './helpers/http.js';
import { exchange, freshApp, readBackUrl, sweepReads } from './helpers/inject.js';
import { bodyCase, pathValue, queryString, type BodyCase } from './helpers/arbitraries.js';
import { DEMO, fillPath, label, MISSING_ID, OTHER, PARENT_OF, routes, writeRoutes, type Route } from './helpers/routes.js';
import { SCALE, SEED } from './helpers/knobs.js';

// Per operation. The surface grew from 20 operations to about 150 (the v1 API, the Meta proxy, the
// control plane's webhooks): these counts keep the suite's wall time near what it was, with about
// 70,000 generated requests in all; ROBUSTNESS_SCALE=2.5 gives each operation the earlier depth.
const BODY_RUNS = Math.round(800 * SCALE);
const DELETE_RUNS = Math.round(250 * SCALE);
const PATH_RUNS = Math.round(120 * SCALE);
/** DELETE cases get a fresh database every CHUNK cases, so deleted fixtures do not starve the rest of the run. */
const CHUNK = 100;

const totals = { cases: 0, requests: 0, readBacks: 0, dbChecks: 0 };

afterAll(() => {
  figure('item 1 seed', SEED);
  figure('item 1 totals', totals);
});

/** URLs of the route with every parameter an existing record of the Demo Project (links under their own agent). */
function validUrls(route: Route): string[] {
  let urls = [route.path];
  route.params.forEach((param, i) => {
    const kind = route.kinds[i];
    const values = kind ? DEMO[kind] : [MISSING_ID];
    urls = urls.flatMap((u) => values.map((v) => u.replace(`{${param}}`, v)));
  });
  // A record that lives under another (an agent link) is only found under its own parent.
  return urls.filter((u) => Object.entries(PARENT_OF).every(([child, parent]) => !u.endsWith(`/${child}`) || u.includes(`/${parent}/`)));
}

interface Runner {
  app: FastifyInstance;
  findings: Findings;
  dbProblems: string[];
  n: number;
}

async function rotate(r: Runner, final = false): Promise<void> {
  totals.readBacks += await sweepReads(r.app, r.findings);
  const { problems } = checkDatabase(r.app.db);
  totals.dbChecks++;
  r.dbProblems.push(...problems);
  await r.app.close();
  if (!final) r.app = await freshApp();
}

async function send(r: Runner, route: Route, url: string, body: BodyCase): Promise<void> {
  if (route.method === 'DELETE' && r.n > 0 && r.n % CHUNK === 0) await rotate(r);
  r.n++;
  totals.cases++;
  const x = await exchange(r.app, route.method, url, { body: body.text, contentType: body.contentType });
  totals.requests++;
  r.findings.record(x, violationsOf(x, route), x.request);
  if (x.status !== 200 && x.status !== 201) return;
  // An acknowledged write reads back exactly as it was acknowledged.
  const written = (JSON.parse(x.raw) as { data?: { id?: unknown } }).data;
  const back = readBackUrl(route, url, written);
  if (!back) return;
  const y = await exchange(r.app, 'GET', back);
  totals.requests++;
  const read = y.status === 200 ? (JSON.parse(y.raw) as { data?: unknown }).data : undefined;
  if (JSON.stringify(read) !== JSON.stringify(written)) {
    const diff = Object.entries((written ?? {}) as Record<string, unknown>)
      .filter(([k, v]) => JSON.stringify((read as Record<string, unknown> | undefined)?.[k]) !== JSON.stringify(v))
      .map(([k, v]) => `${k}: wrote ${JSON.stringify(v)?.slice(0, 60)}, read ${JSON.stringify((read as Record<string, unknown> | undefined)?.[k])?.slice(0, 60)}`);
    r.findings.add(`${label(route)} -> ${x.status}: acknowledged write reads back differently (GET -> ${y.status})`, `${x.request}\n      => ${diff.join('; ') || y.raw.slice(0, 200)}`);
  }
}

function report(name: string, r: Runner, extra: Record<string, unknown> = {}): void {
  figure(name, { requests: r.findings.requests, statuses: r.findings.statusLine(), violations: r.findings.total, ...extra });
  for (const line of r.findings.summary()) console.log(`  FINDING ${line}`);
  for (const p of r.dbProblems) console.log(`  DATABASE ${p}`);
}

const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

describe('item 1: generated bodies for every write operation', () => {
  it('covers every write operation of the document', () => {
    expect(writeRoutes.length).toBeGreaterThanOrEqual(10);
    expect(writeRoutes.filter((r) => r.bodySchema).length).toBeGreaterThanOrEqual(7);
  });

  describe.each(writeRoutes.map((r, i) => [label(r), r, i] as const))('%s', (name, route, index) => {
    // An operation's cases are shared between its PUT and PATCH routes.
    const twins = writeRoutes.filter((r) => r.operationId === route.operationId).length;
    const runs = Math.round((route.bodySchema ? BODY_RUNS : DELETE_RUNS) / twins);
    it(`answers ${runs} generated bodies with a documented status and envelope, and keeps the database sound`, async () => {
      const r: Runner = { app: await freshApp(), findings: new Findings(), dbProblems: [], n: 0 };
      const shapes: Record<string, number> = {};
      const urls = validUrls(route);
      const arb = fc.record({
        url: fc.oneof(
          { weight: 9, arbitrary: fc.constantFrom(...urls) },
          { weight: 1, arbitrary: fc.tuple(...route.kinds.map((kind) => pathValue(kind, DEMO, OTHER, MISSING_ID)))
            .map((values) => { let i = 0; return fillPath(route, () => values[i++]!.encoded); }) },
        ),
        body: bodyCase(route, { pools: DEMO, foreign: OTHER }),
      });
      try {
        await fc.assert(
          fc.asyncProperty(arb, async ({ url, body }) => {
            shapes[body.shape] = (shapes[body.shape] ?? 0) + 1;
            await send(r, route, url, body);
          }),
          { numRuns: runs, seed: SEED + index, endOnFailure: true },
        );
      } finally {
        await rotate(r, true);
      }
      report(`item 1 ${name}`, r, { cases: runs, shapes });
      expect(r.findings.summary()).toEqual([]);
      expect(r.dbProblems).toEqual([]);
    });
  });
});

describe('item 1: generated path and query values on every operation', () => {
  describe.each(routes.map((r, i) => [label(r), r, i] as const))('%s', (name, route, index) => {
    it(`answers ${PATH_RUNS} generated URLs with a documented status and envelope`, async () => {
      const r: Runner = { app: await freshApp(), findings: new Findings(), dbProblems: [], n: 0 };
      const valid = route.bodySchema ? bodyCase(route, { pools: DEMO, foreign: OTHER }).filter((b) => b.shape === 'valid') : fc.constant<BodyCase>({ shape: 'none', text: undefined, contentType: undefined });
      const arb = fc.record({
        values: fc.tuple(...route.kinds.map((kind) => pathValue(kind, DEMO, OTHER, MISSING_ID))),
        query: fc.option(queryString(route), { freq: 3 }),
        body: valid,
      });
      const shapes: Record<string, number> = {};
      try {
        await fc.assert(
          fc.asyncProperty(arb, async ({ values, query, body }) => {
            let i = 0;
            const path = fillPath(route, () => values[i++]!.encoded);
            for (const v of values) shapes[v.shape] = (shapes[v.shape] ?? 0) + 1;
            await send(r, route, query === null ? path : `${path}?${query}`, body);
          }),
          { numRuns: PATH_RUNS, seed: SEED + 1000 + index, endOnFailure: true },
        );
      } finally {
        await rotate(r, true);
      }
      report(`item 1 ${name} (paths and queries)`, r, { cases: PATH_RUNS, pathValues: shapes });
      expect(r.findings.summary()).toEqual([]);
      expect(r.dbProblems).toEqual([]);
    });
  });

  it('no request polluted Object.prototype', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort().join(',')).toBe(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
