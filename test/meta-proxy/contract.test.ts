// The proxy's operations against Kapso's published proxy spec (when it sits beside the project):
// every documented operation is served, or answers "not emulated yet"; operation IDs and tags are
// Kapso's; one route serves the Graph-style shapes Kapso lists once per kind of object.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Json = Record<string, any>;
const SPEC = new URL('../../../shared/kapso-spec/meta-proxy/openapi-whatsapp.yaml', import.meta.url);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Operations by "METHOD shape" (parameter names dropped): `GET /{}/calls`. */
function operations(doc: Json, prefix: RegExp): Map<string, { operationId: string; tags: string[] }[]> {
  const out = new Map<string, { operationId: string; tags: string[] }[]>();
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    if (!prefix.test(path)) continue;
    const shape = path.replace(prefix, '').replace(/\{[^}]+\}/g, '{}');
    for (const m of METHODS) {
      if (!item[m]) continue;
      const key = `${m.toUpperCase()} ${shape}`;
      out.set(key, [...(out.get(key) ?? []), { operationId: item[m].operationId, tags: item[m].tags ?? [] }]);
    }
  }
  return out;
}

/** Part 2's operations (test/meta-proxy/surface.test.ts checks they answer "not emulated yet"). */
const NOT_EMULATED = new Set<string>([]);
/** Our one route for each Graph-style shape Kapso lists once per kind. */
const COMBINED: Record<string, string> = {
  'GET /{}': 'getGraphObject', 'POST /{}': 'updateGraphObject', 'GET /{}/flows': 'listFlows', 'POST /{}/flows': 'createFlow',
};

// Vitest still runs a skipped suite's body to collect its tests: the spec is read only when present.
const present = existsSync(SPEC);
describe.skipIf(!present)("Kapso's proxy spec", () => {
  const kapso = present ? operations(parse(readFileSync(SPEC, 'utf8')) as Json, /^(?=\/)/) : new Map<string, { operationId: string; tags: string[] }[]>();
  const ours = operations(parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Json, /^\/meta\/whatsapp(\/\{version\})?(?=\/)/);

  it.each([...kapso.entries()])('%s', (shape, theirs) => {
    const served = ours.get(shape);
    if (theirs.every((t) => NOT_EMULATED.has(t.operationId))) {
      expect(served).toBeUndefined();
      return;
    }
    expect(served, `${shape} is not served`).toHaveLength(1);
    const [op] = served!;
    expect(op!.operationId).toBe(theirs.length === 1 ? theirs[0]!.operationId : COMBINED[shape]);
    for (const t of theirs) expect(op!.tags).toEqual(expect.arrayContaining(t.tags));
  });
});
