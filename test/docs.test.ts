// The README and docs/ are kept true by the code: their generated parts (the configuration table,
// what is emulated and what is not yet) and the code samples they quote (docs/examples/*, which
// the tests typecheck and run) must be what `npm run docs` writes; every link must lead somewhere.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureFormat } from '../src/app.js';
import { pages, renderPage, ROOT } from '../scripts/docs.js';

const read = (page: string) => readFileSync(join(ROOT, page), 'utf8');

/** Pages linked before they are written (none today). */
const PENDING = new Set<string>();

/** GitHub's anchor for a heading. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
const anchorsOf = (text: string) => new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));

describe.each(pages())('%s', (page) => {
  it('is what `npm run docs` writes (generated parts and quoted files up to date)', () => {
    const text = read(page);
    expect(text).toBe(renderPage(text));
  });

  it('links only to files and headings that exist', () => {
    const text = read(page).replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:)/.test(target!)) continue;
      const [file, anchor] = target!.split('#') as [string, string | undefined];
      const path = file === '' ? page : normalize(join(dirname(page), file));
      if (PENDING.has(path)) continue;
      if (!existsSync(join(ROOT, path))) {
        broken.push(target!);
        continue;
      }
      if (anchor !== undefined && path.endsWith('.md') && !anchorsOf(read(path)).has(anchor)) broken.push(target!);
    }
    expect(broken).toEqual([]);
  });
});

describe('the README', () => {
  it('points nowhere outside the repository (a fresh clone has no ../shared)', () => {
    expect(read('README.md')).not.toMatch(/\.\.\/shared|API-DECISIONS/);
  });

  it('has a table of contents that names every section', () => {
    const text = read('README.md');
    const sections = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
    expect(sections.length).toBeGreaterThan(5);
    for (const s of sections) expect(text).toContain(`](#${slug(s)})`);
  });

  it('quotes the vitest sample the tests typecheck and run, as it is', () => {
    expect(read('README.md')).toContain(`\`\`\`ts\n${read('docs/examples/vitest.test.ts').trimEnd()}\n\`\`\``);
  });
});

describe('docs/examples', () => {
  it('fixtures.json is a valid fixtures document', () => {
    const doc = fixtureFormat.parse(JSON.parse(read('docs/examples/fixtures.json')), 'docs/examples/fixtures.json');
    expect(doc.projects.map((p) => p.name)).toEqual(['My Project']);
  });
});
