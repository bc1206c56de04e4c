// Issue 4, item 5: tenancy under generated requests. For every /api/v1 route of the document
// (and the PUT/PATCH twins), generated requests with one project's key aimed at the other
// project's records: its IDs in the path (exact and in capitals), as references in generated
// bodies (whatsapp_config_id ...), with generated queries, in both directions. For each:
//
// - the victim project's rows are byte-for-byte the same before and after (state dump);
// - the answer is never a 2xx when a victim ID is in the path;
// - the answer is exactly the one the same request gets with the victim IDs replaced by an ID
//   that exists nowhere (status and body): another project's record is indistinguishable from
//   a missing one, whatever the body;
// - no victim ID appears in any answer (lists show only the caller's own records).
// test/tenancy.test.ts pins the fixed cases; this file generates them.
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_KEY, OTHER_KEY } from '../helpers/app.js';
import { bodyCase, queryString, type BodyCase } from './helpers/arbitraries.js';
import { Findings, violationsOf } from './helpers/check.js';
import { dump, dumpDiff } from './helpers/db.js';
import { figure } from './helpers/http.js';
import { exchange, freshApp } from './helpers/inject.js';
import { DEMO, fillPath, ids, KINDS, label, MISSING_ID, OTHER, PARENT_OF, routes, type Kind, type Pools } from './helpers/routes.js';
import { SCALE, SEED } from './helpers/knobs.js';

// Per route (about 150 of them now); ROBUSTNESS_SCALE=2 gives each the earlier depth.
const RUNS = Math.round(80 * SCALE);

const SIDES = {
  demo: { key: DEMO_KEY, project: ids.demoProject, pools: DEMO },
  other: { key: OTHER_KEY, project: ids.otherProject, pools: OTHER },
};

const totals = { cases: 0, requests: 0, victimIdsInPath: 0, victimIdsInBody: 0, stateComparisons: 0 };
afterAll(() => figure('item 5 totals', totals));

interface PathPick { value: string; victim: boolean }

/** A path parameter value: mostly the victim's record of the right kind (or its capitalised ID), sometimes the caller's own or a missing one. */
function pathPick(kind: Kind | undefined, victim: Pools, attacker: Pools): fc.Arbitrary<PathPick> {
  const v = kind ? victim[kind] : [];
  const a = kind ? attacker[kind] : [];
  return fc.oneof(
    { weight: 6, arbitrary: v.length ? fc.constantFrom(...v).map((value) => ({ value, victim: true })) : fc.constant({ value: MISSING_ID, victim: false }) },
    { weight: 1, arbitrary: v.length ? fc.constantFrom(...v).map((value) => ({ value: value.toUpperCase(), victim: true })) : fc.constant({ value: MISSING_ID, victim: false }) },
    { weight: 3, arbitrary: a.length ? fc.constantFrom(...a).map((value) => ({ value, victim: false })) : fc.constant({ value: MISSING_ID, victim: false }) },
    { weight: 1, arbitrary: fc.constant({ value: MISSING_ID, victim: false }) },
  );
}

/** Every ID of the victim project in the database. */
function victimIds(app: FastifyInstance, project: string): string[] {
  const tables = Object.values(KINDS).map((k) => k.table).filter((t) => t !== 'projects');
  return app.db
    .prepare(`SELECT id FROM projects WHERE id = @p ${tables.map((t) => `UNION SELECT id FROM ${t} WHERE project_id = @p`).join(' ')}`)
    .pluck()
    .all({ p: project }) as string[];
}

/** Replaces every victim ID (any case) in a text by the missing ID, in the same case. */
function withMissing(text: string, victimIdList: string[]): string {
  let out = text;
  for (const id of victimIdList) {
    out = out.split(id).join(MISSING_ID).split(id.toUpperCase()).join(MISSING_ID.toUpperCase());
  }
  return out;
}

describe('item 5: one project\'s key on the other project\'s records, generated', () => {
  describe.each(routes.map((r, i) => [label(r), r, i] as const))('%s', (name, route, index) => {
    it(`${RUNS} generated requests in both directions change nothing of the victim and cannot tell its records from missing ones`, async () => {
      const app = await freshApp();
      const findings = new Findings();
      const tenancy = new Findings();
      const stats = { victimInPath: 0, victimInBody: 0, twoXX: 0 };
      try {
        const victims = { demo: victimIds(app, ids.demoProject), other: victimIds(app, ids.otherProject) };
        const arb = fc.constantFrom('demo', 'other').chain((attackerSide) => {
          const attacker = SIDES[attackerSide as 'demo' | 'other'];
          const victim = SIDES[attackerSide === 'demo' ? 'other' : 'demo'];
          return fc.record({
            attackerSide: fc.constant(attackerSide as 'demo' | 'other'),
            path: fc.tuple(...route.kinds.map((kind) => pathPick(kind, victim.pools, attacker.pools))),
            // Bodies whose ID fields point mostly at the victim's records.
            body: route.bodySchema || route.method !== 'GET' ? bodyCase(route, { pools: victim.pools, foreign: attacker.pools }) : fc.constant<BodyCase>({ shape: 'none', text: undefined, contentType: undefined }),
            query: fc.option(queryString(route), { freq: 4 }),
            align: fc.boolean(),
          });
        });
        await fc.assert(
          fc.asyncProperty(arb, async ({ attackerSide, path, body, query, align }) => {
            totals.cases++;
            const attacker = SIDES[attackerSide];
            const victimSide = attackerSide === 'demo' ? 'other' : 'demo';
            const victim = SIDES[victimSide];
            const victimList = victims[victimSide];
            let i = 0;
            // A record under its own parent now and then (an agent link under its agent), so the lookup itself is reached.
            const values = path.map((p) => p.value);
            if (align) {
              values.forEach((v, n) => {
                if (n > 0 && PARENT_OF[v]) values[n - 1] = PARENT_OF[v]!;
              });
            }
            const url = fillPath(route, () => encodeURIComponent(values[i++]!)) + (query === null ? '' : `?${query}`);
            const inPath = values.some((v) => victimList.includes(v.toLowerCase()));
            const inBody = body.text !== undefined && victimList.some((id) => body.text!.toLowerCase().includes(id));
            if (inPath) stats.victimInPath++;
            if (inBody) stats.victimInBody++;

            const before = dump(app.db, victim.project);
            const x = await exchange(app, route.method, url, { key: attacker.key, body: body.text, contentType: body.contentType });
            totals.requests++;
            findings.record(x, violationsOf(x, route), x.request);
            const afterFirst = dump(app.db, victim.project);
            totals.stateComparisons++;
            if (afterFirst !== before) tenancy.add(`${name}: the victim's rows changed`, `${x.request} -> ${x.status}\n      ${dumpDiff(before, afterFirst)}`);
            if (x.status < 300) stats.twoXX++;
            if (inPath && x.status < 300) tenancy.add(`${name}: ${x.status} with another project's ID in the path`, `${x.request} -> ${x.raw.slice(0, 200)}`);
            const requestText = `${url} ${body.text ?? ''}`.toLowerCase();
            const leaked = victimList.filter((id) => x.raw.includes(id) && !requestText.includes(id));
            if (leaked.length > 0) tenancy.add(`${name}: the answer names another project's records`, `${x.request} -> ${x.raw.slice(0, 200)} (leaked ${leaked.join(', ')})`);

            if (inPath || inBody) {
              // The same request with the victim's IDs replaced by one that exists nowhere.
              const missingUrl = withMissing(url, victimList);
              const missingBody = body.text === undefined ? undefined : withMissing(body.text, victimList);
              const y = await exchange(app, route.method, missingUrl, { key: attacker.key, body: missingBody, contentType: body.contentType });
              totals.requests++;
              const afterSecond = dump(app.db, victim.project);
              totals.stateComparisons++;
              if (afterSecond !== before) tenancy.add(`${name}: the victim's rows changed`, `${y.request}\n      ${dumpDiff(before, afterSecond)}`);
              const comparable = x.status >= 300 || y.status >= 300;
              if (x.status !== y.status || (comparable && x.raw !== y.raw)) {
                tenancy.add(`${name}: another project's record answers differently from a missing one`, `${x.request}\n      victim ID -> ${x.status} ${x.raw.slice(0, 160)}\n      missing ID -> ${y.status} ${y.raw.slice(0, 160)}`);
              }
            }
          }),
          { numRuns: RUNS, seed: SEED + 2000 + index, endOnFailure: true },
        );
      } finally {
        await app.close();
      }
      totals.victimIdsInPath += stats.victimInPath;
      totals.victimIdsInBody += stats.victimInBody;
      figure(`item 5 ${name}`, { cases: RUNS, requests: findings.requests, statuses: findings.statusLine(), ...stats, tenancyViolations: tenancy.total, contractViolations: findings.total });
      for (const line of [...tenancy.summary(), ...findings.summary()]) console.log(`  FINDING ${line}`);
      expect(tenancy.summary()).toEqual([]);
      expect(findings.summary()).toEqual([]);
    });
  });
});
