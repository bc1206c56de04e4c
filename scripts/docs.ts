// The parts of README.md and docs/*.md that are written from the code, so they cannot drift:
//
//   <!-- BEGIN generated: NAME -->  ...  <!-- END generated: NAME -->
//       configuration   the configuration table (src/config.ts SETTINGS)
//       emulated        the Kapso operations the mock serves (openapi.yaml)
//       not-emulated    Kapso's documented operations it does not serve yet (src/kapso-operations.ts)
//   <!-- BEGIN include: PATH -->  ...  <!-- END include: PATH -->
//       the file at PATH as a fenced code block (docs/examples/*: files the tests typecheck and run)
//
// `npm run docs` rewrites them; test/docs.test.ts fails when a page is not what this renders.
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { configurationTable } from '../src/config.js';
import { KAPSO_OPERATIONS } from '../src/kapso-operations.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The pages that may hold generated parts: the README and every docs/*.md. */
export function pages(): string[] {
  return ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

type Operations = Record<string, Record<string, { operationId: string }>>;
const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

/** The /api/v1 operations of openapi.yaml, as [METHOD, path under /api/v1, operationId]. */
function emulatedOperations(): [string, string, string][] {
  const doc = parse(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8')) as { paths: Operations };
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => [method.toUpperCase(), path.slice('/api/v1'.length), op.operationId] as [string, string, string]));
}

function emulatedTable(): string {
  const ops = emulatedOperations();
  const byPath = new Map<string, [string, string, string][]>();
  for (const op of ops) byPath.set(op[1], [...(byPath.get(op[1]) ?? []), op]);
  const served = new Set(ops.map(([method, path]) => `${method} ${shape(path)}`));
  const kapso = (revision: 'v1' | 'later') => KAPSO_OPERATIONS.filter((o) => o[3] === revision);
  const v1 = kapso('v1').length;
  const servedV1 = kapso('v1').filter(([method, path]) => served.has(`${method} ${shape(path)}`)).length;
  const servedLater = kapso('later').filter(([method, path]) => served.has(`${method} ${shape(path)}`)).length;
  const rows = [...byPath].map(([path, list]) =>
    `| ${list.map((o) => `\`${o[0]}\``).join(', ')} | \`/api/v1${path}\` | ${list.map((o) => `\`${o[2]}\``).join(', ')} |`);
  return [
    `${servedV1 === v1 ? `All ${v1}` : `${servedV1} of the ${v1}`} operations of Kapso's v1 API${servedLater > 0 ? `, and ${servedLater} of the ${kapso('later').length} operations its later revision adds` : ''}:`,
    '',
    '| Method | Route | Operation |',
    '|---|---|---|',
    ...rows,
  ].join('\n');
}

function notEmulatedTable(): string {
  const served = new Set(emulatedOperations().map(([method, path]) => `${method} ${shape(path)}`));
  const missing = KAPSO_OPERATIONS.filter(([method, path]) => !served.has(`${method} ${shape(path)}`));
  const section = (revision: 'v1' | 'later', title: (n: number) => string) => {
    const rows = missing.filter((o) => o[3] === revision);
    if (rows.length === 0) return `${title(0).replace(/^\*\*0 operations/, '**No operation')}: every one is emulated.`;
    return [
      `${title(rows.length)}:`,
      '',
      '| Method | Route | Operation |',
      '|---|---|---|',
      ...rows.map(([method, path, id]) => `| \`${method}\` | \`/api/v1${path}\` | \`${id}\` |`),
    ].join('\n');
  };
  return [
    section('v1', (n) => `**${n} operations of Kapso's v1 API** (its \`openapi.yaml\`)`),
    '',
    section('later', (n) => `**${n} operations its later revision adds** (\`openapi-agents.yaml\`, \`openapi-platform.yaml\`, \`openapi-whatsapp.yaml\`)`),
  ].join('\n');
}

const GENERATED: Record<string, () => string> = {
  configuration: configurationTable,
  emulated: emulatedTable,
  'not-emulated': notEmulatedTable,
};

const FENCE: Record<string, string> = { '.ts': 'ts', '.json': 'json', '.yml': 'yaml', '.yaml': 'yaml', '.sh': 'sh' };

/** A page with its generated parts and includes rewritten. */
export function renderPage(text: string): string {
  return text
    .replace(/(<!-- BEGIN generated: ([\w-]+) -->)[\s\S]*?(<!-- END generated: \2 -->)/g, (_m, begin: string, name: string, end: string) => {
      const render = GENERATED[name];
      if (!render) throw new Error(`unknown generated part "${name}"`);
      return `${begin}\n${render()}\n${end}`;
    })
    .replace(/(<!-- BEGIN include: ([\w./-]+) -->)[\s\S]*?(<!-- END include: \2 -->)/g, (_m, begin: string, path: string, end: string) => {
      const body = readFileSync(join(ROOT, path), 'utf8').trimEnd();
      return `${begin}\n\`\`\`${FENCE[extname(path)] ?? ''}\n${body}\n\`\`\`\n${end}`;
    });
}
