// The inspector's page as the server ships it (docs/inspector.md): served at /__inspector/ from the
// package's inspector/ folder, offline (every asset is the mock's own, nothing from the internet),
// small (well under 200 KB gzipped), locked down by its Content-Security-Policy, linked from the
// home page, and shipped in the package and the Docker image. What it does in a browser is tested
// in a real one: test/browser (npm run test:browser).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { INSPECTOR_DIR } from '../src/plugins/inspector.js';
import { makeApp } from './helpers/app.js';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
const assets = files(INSPECTOR_DIR).map((path) => ({ path, name: relative(INSPECTOR_DIR, path), text: readFileSync(path, 'utf8') }));
const textAssets = assets.filter((a) => /\.(html|css|js|svg)$/.test(a.name));
const ROOT = new URL('../', import.meta.url);

describe('GET /__inspector/', () => {
  it('/__inspector redirects to /__inspector/, which is the page', async () => {
    const app = await makeApp();
    const bare = await app.inject({ method: 'GET', url: '/__inspector' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/__inspector/');
    const page = await app.inject({ method: 'GET', url: '/__inspector/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script type="module" src="js/main.js"></script>');
  });

  it.each(assets.map((a) => a.name))('serves %s with its type, a strict Content-Security-Policy and revalidation', async (name) => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: `/__inspector/${name}` });
    expect(res.statusCode).toBe(200);
    const type = { js: 'javascript', css: 'text/css', html: 'text/html', svg: 'image/svg+xml', png: 'image/png' }[name.split('.').pop()!];
    expect(String(res.headers['content-type'])).toContain(type);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('public, max-age=0');
    expect(res.headers.etag).toBeDefined();
  });

  it('nothing outside the folder, and the 404 envelope for what is not there', async () => {
    const app = await makeApp();
    for (const url of ['/__inspector/../package.json', '/__inspector/%2e%2e/package.json', '/__inspector/nothing.js']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
  });

  it('is open without the admin token (it holds no data); what it reads is not', async () => {
    const app = await makeApp({ adminToken: 'tok' });
    expect((await app.inject({ method: 'GET', url: '/__inspector/' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/__admin/projects' })).statusCode).toBe(401);
  });
});

describe('the assets', () => {
  it('gzip to well under 200 KB all together', () => {
    const gzipped = assets.reduce((sum, a) => sum + gzipSync(readFileSync(a.path)).length, 0);
    expect(gzipped).toBeLessThan(100 * 1024);
  });

  it('load nothing from elsewhere: relative URLs only in the page, no remote CSS, scripts that call the mock by path', () => {
    const html = textAssets.find((a) => a.name === 'index.html')!.text;
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url).not.toMatch(/^(https?:)?\/\//);
    for (const css of textAssets.filter((a) => a.name.endsWith('.css'))) {
      expect(css.text).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//);
    }
    for (const js of textAssets.filter((a) => a.name.endsWith('.js'))) {
      expect(js.text, js.name).not.toMatch(/\bimport\s*(?:[^'"]*from\s*)?['"](?!\.\/)/);
      expect(js.text, js.name).not.toMatch(/(fetch|EventSource)\(\s*['"`]https?:/);
      // The absolute URLs: a link a person may follow (a shared location on a map) and SVG's namespace, neither loaded by the page.
      const urls = [...js.text.matchAll(/https?:\/\/[^\s'"`]+/g)].map((m) => m[0]);
      expect(urls.filter((u) => !u.startsWith('https://www.openstreetmap.org/') && u !== 'http://www.w3.org/2000/svg'), js.name).toEqual([]);
    }
  });

  it('ship with the package and in the Docker image', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('inspector');
    expect(readFileSync(new URL('Dockerfile', ROOT), 'utf8')).toMatch(/^COPY inspector \.\/inspector$/m);
  });
});
