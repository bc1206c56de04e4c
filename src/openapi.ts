// The OpenAPI document as YAML, exactly as openapi.yaml holds it.
import { buildApp } from './app.js';
import { makeConfig } from './config.js';

export async function renderOpenApiYaml(): Promise<string> {
  const app = buildApp(makeConfig({ fixturesPath: null, logLevel: 'silent' }));
  try {
    await app.ready();
    return app.swagger({ yaml: true });
  } finally {
    await app.close();
  }
}
