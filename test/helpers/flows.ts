// Steps of the client flows every family's tests walk through, written once.
import { expect } from 'vitest';
import type { Client } from './app.js';

/** DELETE answers 204 with no body; then the record is gone: GET and a second DELETE answer 404 `{error}`. */
export async function expectDeleted(api: Client, url: string, error: string): Promise<void> {
  const deleted = await api.delete(url);
  expect(deleted.status).toBe(204);
  expect(deleted.raw).toBe('');
  expect(deleted.body).toBeUndefined();
  for (const res of [await api.get(url), await api.delete(url)]) {
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error });
  }
}
