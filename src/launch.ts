#!/usr/bin/env node
// dist/kapso-mock.js, the command (`npm start`, the package's bin, the Docker image): runs the
// one-file bundle of src/cli.ts, dist/kapso-mock.cjs (scripts/bundle.ts), with V8's code cache for
// it, dist/kapso-mock.cjs.cache, written at build time by a start of the server. V8 then skips
// parsing the 2.7 MB bundle and compiling the functions a start runs (about 130 ms of a cold start:
// docs/benchmark.md, "Start-up"). A missing cache, or one V8 rejects (another Node version or V8
// flags), only means compiling as without it; a cache made for another bundle is never used (the
// bundle's SHA-1 heads the file).
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

const BUNDLE = fileURLToPath(new URL('./kapso-mock.cjs', import.meta.url));
const CODE_CACHE = `${BUNDLE}.cache`;
const HASH_BYTES = 20;
/**
 * How far V8 lets the old generation grow past what was live at its last collection: 50 %. By
 * default it grows up to four times that when collecting is cheap, as it is here: after a run of
 * big pages the growth benchmark's server held 200 MB of heap for 50 MB live, 240 to 320 MB
 * resident; with 50 % it stays under 210 MB for the same CPU per request (docs/benchmark.md, "As the
 * data grows"). The command's process only: the library leaves its host's heap alone.
 */
const HEAP_GROWING_PERCENT = 50;

/** The cached data for `source`, when the cache file was made for exactly this bundle. */
function readCache(source: Buffer): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
  const hash = createHash('sha1').update(source).digest();
  return file.length > HASH_BYTES && hash.equals(file.subarray(0, HASH_BYTES)) ? file.subarray(HASH_BYTES) : undefined;
}

/**
 * Runs the bundle as Node runs a CommonJS module. `writeCacheOnExit` (the build's priming start)
 * writes the code cache when the process exits: it then holds every function the start, the
 * requests made meanwhile and the shutdown compiled.
 */
export function launch({ writeCacheOnExit = false } = {}): void {
  // Before compiling: V8 accepts a code cache only under the flags it was made with, and the
  // priming start comes through here too. A value given on node's command line wins.
  if (!process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent/.test(arg))) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  const bytes = readFileSync(BUNDLE);
  const cachedData = writeCacheOnExit ? undefined : readCache(bytes);
  // The bundle is ASCII (scripts/bundle.ts): read as Latin-1 it is the same text, made twice as fast.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    ...(cachedData !== undefined && { cachedData }),
  });
  if (writeCacheOnExit) {
    process.once('exit', () => {
      writeFileSync(CODE_CACHE, Buffer.concat([createHash('sha1').update(bytes).digest(), script.createCachedData()]));
    });
  }
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
}

/** Whether this module is the process's entry point (through the bin's symlink too), not imported. */
function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) launch();
