// Checks against Kapso's own published OpenAPI documents. They are reference data kept beside
// the project in the team's workspace (../shared/kapso-spec), not part of the repository: in a
// plain clone these checks are skipped, and say so, so nobody believes they ran.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KAPSO_OPERATIONS } from '../src/kapso-operations.js';
import { readKapsoOperations, renderKapsoOperations, SPEC_DIR, specsPresent } from '../scripts/kapso-operations.js';
import { KAPSO_SPEC } from './helpers/contract.js';

const contractPresent = existsSync(KAPSO_SPEC);
const absent = (what: string) => `skipped: ${what} is not there (it exists only in the team's workspace, beside the project)`;
if (!contractPresent) {
  console.warn(`Kapso's published contract is absent (${fileURLToPath(KAPSO_SPEC)}): every response is checked against the generated openapi.yaml only.`);
}
if (!specsPresent()) console.warn(`Kapso's published documents are absent (${SPEC_DIR}): src/kapso-operations.ts is not compared with them.`);

describe("Kapso's published contract (../shared/kapso-spec/openapi.patched.yaml)", () => {
  it.skipIf(!contractPresent)(
    contractPresent ? 'every /api/v1 operation of openapi.yaml is one of Kapso\'s (v1 or its later revision), with its method, path and operationId; 2xx bodies are checked against it in every test'
      : absent('../shared/kapso-spec/openapi.patched.yaml'),
    () => {
      const kapso = parse(readFileSync(KAPSO_SPEC, 'utf8')) as { paths: Record<string, Record<string, { operationId: string }>> };
      const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');
      // The v1 document, and the operations its later revision adds (the generated table holds them).
      const theirs = new Map<string, string>([
        ...KAPSO_OPERATIONS.filter((o) => o[3] === 'later').map(([method, path, operationId]) => [`${method} ${shape(path)}`, operationId] as const),
        ...Object.entries(kapso.paths).flatMap(([path, item]) =>
          Object.entries(item).map(([method, op]) => [`${method.toUpperCase()} ${shape(path)}`, op.operationId] as const)),
      ]);
      const ours = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8')) as typeof kapso;
      const operations = Object.entries(ours.paths).filter(([path]) => path.startsWith('/api/v1/')).flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${shape(path.slice('/api/v1'.length))}`, operationId: op.operationId })));
      expect(operations.length).toBeGreaterThan(0);
      for (const { key, operationId } of operations) expect({ key, operationId: theirs.get(key) }).toEqual({ key, operationId });
    },
  );
});

describe("the table of Kapso's operations (src/kapso-operations.ts)", () => {
  it.skipIf(!specsPresent())(
    specsPresent() ? 'is what `npm run kapso-operations` generates from the published documents' : absent(`Kapso's published documents (${SPEC_DIR})`),
    () => {
      expect(readFileSync(new URL('../src/kapso-operations.ts', import.meta.url), 'utf8')).toBe(renderKapsoOperations(readKapsoOperations()));
    },
  );

  it('holds the 72 operations of the v1 API, each route once', () => {
    expect(KAPSO_OPERATIONS.filter((o) => o[3] === 'v1')).toHaveLength(72);
    const routes = KAPSO_OPERATIONS.map(([method, path]) => `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`);
    expect(new Set(routes).size).toBe(routes.length);
  });
});
