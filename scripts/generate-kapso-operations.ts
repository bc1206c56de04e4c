// npm run kapso-operations: writes src/kapso-operations.ts from Kapso's published documents
// (../shared/kapso-spec, present in the team's workspace only).
import { writeFileSync } from 'node:fs';
import { renderKapsoOperations, SPEC_DIR, specsPresent } from './kapso-operations.js';

if (!specsPresent()) {
  console.error(`Kapso's published OpenAPI documents are not at ${SPEC_DIR}; src/kapso-operations.ts is left as it is.`);
  process.exit(1);
}
writeFileSync(new URL('../src/kapso-operations.ts', import.meta.url), renderKapsoOperations());
console.log('src/kapso-operations.ts written');
