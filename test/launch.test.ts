// The command's launcher (src/launch.ts, built into dist/kapso-mock.js): runs the bundle beside it
// as a CommonJS module, with V8's code cache when the cache was made for exactly that bundle.
// Here it runs a two-line stand-in bundle in a scratch folder, so no build is needed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'kapso-launch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const launcher = join(dir, 'kapso-mock.js');
const bundle = join(dir, 'kapso-mock.cjs');
const cache = `${bundle}.cache`;
writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
writeFileSync(launcher, transformSync(readFileSync(new URL('../src/launch.ts', import.meta.url), 'utf8'), { loader: 'ts', format: 'esm' }).code);
/** A stand-in bundle that says `word` and what a CommonJS module gets (same length for every 3-letter word). */
const writeBundle = (word: string) =>
  writeFileSync(bundle, `const path = require('node:path');\nconsole.log('${word}', path.basename(__filename), path.basename(__dirname) === path.basename(${JSON.stringify(dir)}), typeof module.exports);\n`);
const run = (entry = launcher) => execFileSync(process.execPath, [entry], { encoding: 'utf8' }).trim();
const prime = () =>
  execFileSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(pathToFileURL(launcher).href)}).then((m) => m.launch({ writeCacheOnExit: true }))`], { encoding: 'utf8' }).trim();

describe('the launcher', () => {
  it('runs the bundle as a CommonJS module, with no cache, with its cache, and through a symlink (npm\'s bin)', () => {
    writeBundle('one');
    rmSync(cache, { force: true });
    expect(run()).toBe('one kapso-mock.cjs true object');
    expect(prime()).toBe('one kapso-mock.cjs true object');
    const written = readFileSync(cache);
    expect(written.subarray(0, 20).equals(createHash('sha1').update(readFileSync(bundle)).digest())).toBe(true);
    expect(written.length).toBeGreaterThan(20);
    expect(run()).toBe('one kapso-mock.cjs true object');
    const link = join(dir, 'bin-link');
    symlinkSync(launcher, link);
    expect(run(link)).toBe('one kapso-mock.cjs true object');
  });

  it('never uses a cache made for another bundle, even one of the same length (which V8 itself would accept)', () => {
    writeBundle('one');
    prime();
    writeBundle('two');
    expect(run()).toBe('two kapso-mock.cjs true object');
  });

  it('is only a module when imported: nothing runs until launch() is called', () => {
    writeBundle('one');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(launcher).href)}); console.log('imported')`], { encoding: 'utf8' });
    expect(out.trim()).toBe('imported');
  });
});
