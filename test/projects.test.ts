// Projects: a key sees its own project and nothing else (docs/behaviour.md "Authentication and tenancy").
import { beforeEach, describe, expect, it } from 'vitest';
import { client, DEMO_KEY, ids, makeApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';

const project = (id: string) => `/api/v1/projects/${encodeURIComponent(id)}`;

const demo = { id: ids.demoProject, name: 'Demo Project', created_at: '2026-01-05T09:00:00.000Z', updated_at: '2026-01-05T09:00:00.000Z' };
const other = { id: ids.otherProject, name: 'Other Project', created_at: '2026-01-20T12:00:00.000Z', updated_at: '2026-01-20T12:00:00.000Z' };

let api: Client;

beforeEach(async () => {
  api = client(await makeApp());
});

describe('GET /projects/{project_id}', () => {
  it.each([
    ['the Demo Project', DEMO_KEY, demo],
    ['the Other Project', OTHER_KEY, other],
  ])('answers 200 with %s for its own key, and nothing more', async (_case, key, expected) => {
    const res = await api.get(project(expected.id), { key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: expected });
    expect(Object.keys(res.body.data).sort()).toEqual(['created_at', 'id', 'name', 'updated_at']);
    // The key is a credential: it is never part of the project as the API shows it.
    expect(res.raw).not.toContain(key);
    expect(res.raw).not.toContain('api_key');
  });

  it.each([
    ["another project's id", DEMO_KEY, ids.otherProject],
    ["another project's id, the other way round", OTHER_KEY, ids.demoProject],
    ['an unknown id', DEMO_KEY, MISSING_ID],
    ['an id that is not a UUID', DEMO_KEY, 'project-456def'],
    ['an SQL-looking id', DEMO_KEY, "' OR '1'='1"],
    ["a customer's id", DEMO_KEY, ids.acme],
    ["an agent's id", DEMO_KEY, ids.supportAgent],
  ])('answers 404 for %s', async (_case, key, id) => {
    const res = await api.get(project(id), { key });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Project not found' });
  });

  it("another project's id answers exactly as a missing one does", async () => {
    const foreign = await api.get(project(ids.otherProject));
    const missing = await api.get(project(MISSING_ID));
    expect(foreign.status).toBe(missing.status);
    expect(foreign.raw).toBe(missing.raw);
  });

  it.each([
    ['no key', null],
    ['an empty key', ''],
    ['an unknown key', 'kapso-unknown-key'],
  ])('answers 401 with %s, even for an existing project', async (_case, key) => {
    const res = await api.get(project(ids.demoProject), { key });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Invalid or missing API key' });
  });
});
