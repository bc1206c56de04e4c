// The OpenAPI document generated from the routes, as YAML: what openapi.yaml must hold.
import { buildApp } from './app.js';
import { makeConfig } from './config.js';

export async function renderOpenApiYaml(): Promise<string> {
  const app = buildApp(makeConfig({ fixturesPath: null, logLevel: 'silent' }), { generateDocument: true });
  try {
    await app.ready();
    return app.swagger({ yaml: true });
  } finally {
    await app.close();
  }
}
