// fixtures/: validated at load time, seeded in one transaction, errors that name the record.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureFormat } from '../src/app.js';
import { client, makeApp } from './helpers/app.js';
import { fixtures, seed } from './helpers/seed.js';

const dir = mkdtempSync(join(tmpdir(), 'kapso-fixtures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const P = '33333333-3333-4333-8333-333333333333';
const project = (extra: Record<string, unknown> = {}) => ({ id: P, name: 'Test Project', api_key: 'test-key', ...extra });
const write = (name: string, doc: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
};

describe('the shipped fixtures', () => {
  it('hold the Demo Project and the Other Project with their documented keys', () => {
    expect(fixtures.projects.map((p) => [p.name, p.api_key])).toEqual([
      ['Demo Project', 'kapso-demo-key'],
      ['Other Project', 'kapso-other-key'],
    ]);
  });

  it('give every agent exactly one primary link and fill every field', () => {
    for (const p of fixtures.projects) {
      expect(seed.count('customers', p.id)).toBeGreaterThan(0);
      for (const agent of seed.ids('agents', p.id)) {
        const links = seed.records.filter((r) => r.kind === 'agentWhatsappConfigs' && r.parentId === agent);
        expect(links.filter((l) => l.record.is_primary)).toHaveLength(1);
        expect(seed.find('agents', (a) => a.id === agent).record.description).toBeTruthy();
      }
      for (const w of seed.records.filter((r) => r.kind === 'whatsappConfigs' && r.projectId === p.id)) {
        expect(w.record.webhook_destination_url).toMatch(/^https:\/\//);
        expect(w.record.access_token).toBeTruthy();
      }
    }
  });
});

describe('validation names the bad record', () => {
  it.each([
    ['a bad ID', { projects: [project({ customers: [{ id: 'c-1', name: 'Bad', external_customer_id: 'B' }] })] }, /customers\[0\] "Bad" \(c-1\) > id: must be a lowercase UUID v4/],
    ['an unknown field (a typo)', { projects: [project({ custmers: [] })] }, /projects\[0\] "Test Project" \(3333.*\): Unrecognized key: "custmers"/],
    ['a missing field', { projects: [{ id: P, name: 'No key' }] }, /projects\[0\] "No key" .* > api_key: /],
    ['two primary links for an agent', {
      projects: [project({
        agents: [{
          id: 'a3000000-0000-4000-8000-000000000001', name: 'Twice',
          whatsapp_configs: [
            { id: 'd3000000-0000-4000-8000-000000000001', whatsapp_config_id: 'b3000000-0000-4000-8000-000000000001', is_primary: true },
            { id: 'd3000000-0000-4000-8000-000000000002', whatsapp_config_id: 'b3000000-0000-4000-8000-000000000002', is_primary: true },
          ],
        }],
      })],
    }, /agents\[0\] "Twice" .* > whatsapp_configs: an agent has at most one primary WhatsApp config link/],
    ['a bad timestamp', { projects: [project({ created_at: 'yesterday' })] }, /projects\[0\] "Test Project" .* > created_at: must be an RFC 3339 timestamp/],
  ])('%s', (_case, doc, message) => {
    expect(() => fixtureFormat.parse(doc, 'test.json')).toThrow(message);
  });

  it('a link to a config that does not exist fails at start-up, naming the link', async () => {
    const file = write('dangling.json', {
      projects: [project({
        agents: [{ id: 'a3000000-0000-4000-8000-000000000001', name: 'A', whatsapp_configs: [{ id: 'd3000000-0000-4000-8000-000000000001', whatsapp_config_id: 'b3000000-0000-4000-8000-000000000009' }] }],
      })],
    });
    await expect(makeApp({ fixturesPath: file })).rejects.toThrow(/agents\[0\] \(a3000000-.*\) > whatsapp_configs\[0\] \(d3000000-.*\): FOREIGN KEY constraint failed/);
  });

  it('a duplicate external customer ID fails at start-up', async () => {
    const c = (n: number) => ({ id: `c3000000-0000-4000-8000-00000000000${n}`, name: `C${n}`, external_customer_id: 'SAME' });
    const file = write('dupe.json', { projects: [project({ customers: [c(1), c(2)] })] });
    await expect(makeApp({ fixturesPath: file })).rejects.toThrow(/customers\[1\] \(c3000000-0000-4000-8000-000000000002\): UNIQUE constraint failed/);
  });

  it('a file that is not JSON fails with its name', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "projects": [');
    await expect(makeApp({ fixturesPath: file })).rejects.toThrow(/Cannot read fixtures file .*broken\.json/);
  });
});

describe('KAPSO_MOCK_FIXTURES', () => {
  it('seeds another file, with timestamps defaulting to load time and IDs kept', async () => {
    const file = write('custom.json', {
      projects: [project({ customers: [{ id: 'c3000000-0000-4000-8000-000000000001', name: 'Only One', external_customer_id: 'ONE' }] })],
    });
    const api = client(await makeApp({ fixturesPath: file }), 'test-key');
    const res = await api.get('/api/v1/customers');
    expect(res.status).toBe(200);
    expect(res.body.data.map((c: any) => c.id)).toEqual(['c3000000-0000-4000-8000-000000000001']);
    expect(res.body.data[0].created_at).toBe(res.body.data[0].updated_at);
    expect((await api.get('/api/v1/agents', { key: 'kapso-demo-key' })).status).toBe(401);
  });

  it('seeds nothing when fixtures are off', async () => {
    const app = await makeApp({ fixturesPath: null });
    expect((app.db.prepare('SELECT count(*) AS n FROM projects').get() as { n: number }).n).toBe(0);
  });

  it('KAPSO_MOCK_API_KEY (config.apiKey) replaces the first project key only', async () => {
    const app = await makeApp({ apiKey: 'replaced-key' });
    expect((await client(app, 'replaced-key').get('/api/v1/agents')).status).toBe(200);
    expect((await client(app, 'kapso-demo-key').get('/api/v1/agents')).status).toBe(401);
    expect((await client(app, 'kapso-other-key').get('/api/v1/agents')).status).toBe(200);
  });
});

describe('the shipped fixtures\' IDs', () => {
  it('are unique across every family and project, so an ID names one record (and the seed helper, the docs and the control plane can rely on it)', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const r of seed.records) {
      const other = seen.get(r.id);
      if (other !== undefined) clashes.push(`${r.id}: ${other} and ${r.kind}`);
      seen.set(r.id, r.kind);
    }
    expect(clashes).toEqual([]);
  });

  it('begin with one prefix per family: a reader tells the kind of a record by its ID', () => {
    const families = new Map<string, Set<string>>();
    for (const r of seed.records) families.set(r.id.slice(0, 4), (families.get(r.id.slice(0, 4)) ?? new Set()).add(r.kind));
    expect([...families].filter(([, kinds]) => kinds.size > 1).map(([prefix, kinds]) => `${prefix}: ${[...kinds].join(', ')}`)).toEqual([]);
  });
});
