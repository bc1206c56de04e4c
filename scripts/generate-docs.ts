// npm run docs: rewrites the generated parts and includes of README.md and docs/*.md (scripts/docs.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pages, renderPage, ROOT } from './docs.js';

for (const page of pages()) {
  const path = join(ROOT, page);
  const before = readFileSync(path, 'utf8');
  const after = renderPage(before);
  if (after !== before) {
    writeFileSync(path, after);
    console.log(`${page} written`);
  }
}
