// The package's own files, found from the package root: one level up from this module, which sits
// directly in src/ (tsx), in dist/ (tsc's output) and is bundled into dist/kapso-mock.js (esbuild,
// scripts/bundle.ts), so the same relative step is right in all three. Nothing else in the code
// names a path relative to itself.
import { fileURLToPath } from 'node:url';

/** The package's root folder (package.json, fixtures/, inspector/, openapi.yaml). */
const ROOT = new URL('../', import.meta.url);

/** A file or folder of the package, as an absolute path. */
export const packagePath = (relative: string): string => fileURLToPath(new URL(relative, ROOT));
