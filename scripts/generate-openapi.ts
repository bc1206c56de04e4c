// npm run openapi: writes openapi.yaml from the routes' schemas (test/openapi.test.ts fails when it drifts).
import { writeFileSync } from 'node:fs';
import { renderOpenApiYaml } from '../src/openapi.js';

writeFileSync(new URL('../openapi.yaml', import.meta.url), await renderOpenApiYaml());
console.log('openapi.yaml written');
