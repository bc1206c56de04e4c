// Operations of Kapso's proxy spec that the mock does not emulate yet. API-DECISIONS: such a route
// answers 404 naming the operation, so it cannot be mistaken for a typo. Every operation of the
// spec is emulated now (part 2 brought the inbox's); an operation Kapso adds goes here until its route lands.
import { routeNotFound } from '../../errors.js';

const NOT_EMULATED: [method: string, path: string, operationId: string][] = [
];

const PATTERNS = NOT_EMULATED.map(([method, path, operationId]) => ({
  method, path, operationId, regex: new RegExp(`^/meta/whatsapp/v\\d+\\.\\d+${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/** The proxy's 404: a documented operation not emulated yet says so; any other path has no route. */
export async function proxyNotFound(request: { method: string; url: string }): Promise<never> {
  const path = request.url.split('?', 1)[0]!;
  const known = PATTERNS.find((p) => p.method === request.method && p.regex.test(path));
  if (known) {
    throw routeNotFound(request.method, path, `Kapso operation ${known.operationId} (${known.method} ${known.path}) is not emulated yet`);
  }
  throw routeNotFound(request.method, path);
}
