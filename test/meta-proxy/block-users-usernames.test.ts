// Block users and business usernames over HTTP (the SDK has no methods for them), against
// Kapso's proxy spec: all-or-nothing blocks, usernames unique in a project, transfers inside a
// business account only.
import { describe, expect, it } from 'vitest';
import { graphError, http, proxy, useMock, V } from './helpers.js';

const ctx = useMock();
const blocked = async (phone = proxy.acmePhone) => (await http(ctx.mock, 'GET', `${V}/${phone}/block_users`)).body.data.map((u: { user: string }) => u.user);
const block = (users: string[], method: 'POST' | 'DELETE' = 'POST', phone = proxy.acmePhone) =>
  http(ctx.mock, method, `${V}/${phone}/block_users`, { body: { messaging_product: 'whatsapp', block_users: users.map((user) => ({ user })) } });

describe('block users', () => {
  it('blocks, lists (most recent first), unblocks', async () => {
    expect(await blocked()).toEqual(['15550107777', '15550106666']);
    expect((await block(['+1 555 010 1234', '15550105678'])).body).toEqual({ success: true });
    const now = await blocked();
    expect(now).toHaveLength(4);
    expect(now.slice(2)).toEqual(['15550107777', '15550106666']);
    expect(now.slice(0, 2).sort()).toEqual(['15550101234', '15550105678']);
    expect((await block(['15550101234', '+1 555 010 6666'], 'DELETE')).body).toEqual({ success: true });
    expect(await blocked()).toEqual(['15550105678', '15550107777']);
  });

  it('a user already blocked fails the whole request, and nothing changes', async () => {
    const res = await block(['15550109999', '+1 555-010-7777']);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(139100, '(#139100) Failed to block users: 15550107777 is already blocked', { error_data: { details: 'Already blocked: 15550107777' } }));
    expect(await blocked()).toEqual(['15550107777', '15550106666']);
  });

  it('a user who is not blocked cannot be unblocked, and nothing changes', async () => {
    const res = await block(['15550107777', '15550100001'], 'DELETE');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(139100, '(#139100) Failed to unblock users: 15550100001 is not blocked', { error_data: { details: 'Not blocked: 15550100001' } }));
    expect(await blocked()).toEqual(['15550107777', '15550106666']);
  });

  it('the same user twice in one request is one user', async () => {
    expect((await block(['15550104321', '+1 555 010 4321'])).status).toBe(200);
    expect((await blocked()).filter((u: string) => u === '15550104321')).toHaveLength(1);
  });

  it('a block list is the number\'s own', async () => {
    expect(await blocked(proxy.globexPhone)).toEqual(['15550208888']);
    expect((await block(['15550107777'], 'POST', proxy.globexPhone)).status).toBe(200);
  });

  it('pages by cursor', async () => {
    await block(['15550100001', '15550100002', '15550100003']);
    const first = await http(ctx.mock, 'GET', `${V}/${proxy.acmePhone}/block_users?limit=2`);
    expect(first.body.data).toHaveLength(2);
    const rest = await http(ctx.mock, 'GET', `${V}/${proxy.acmePhone}/block_users?limit=10&after=${first.body.paging.cursors.after}`);
    expect(rest.body.data).toHaveLength(3);
    expect(rest.body.paging.cursors.after).toBeUndefined();
  });

  it.each([
    ['no list', { messaging_product: 'whatsapp' }, "(#100) block_users can't be blank"],
    ['an empty list', { block_users: [] }, '(#100) block_users must be at least 1'],
    ['a user that is no phone number', { block_users: [{ user: 'bob' }] }, '(#100) block_users[0].user must be a phone number (7 to 15 digits)'],
    ['an entry without user', { block_users: [{}] }, "(#100) block_users[0].user can't be blank"],
  ])('refuses %s', async (_case, body, message) => {
    const res = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}/block_users`, { body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(100, message));
  });
});

describe('usernames', () => {
  const get = (phone: string) => http(ctx.mock, 'GET', `${V}/${phone}/username`);
  const set = (phone: string, username: string, transfer_action?: string) =>
    http(ctx.mock, 'POST', `${V}/${phone}/username`, { body: { username, ...(transfer_action && { transfer_action }) } });

  it('reads, claims (reserved), changes and deletes a number\'s username', async () => {
    expect((await get(proxy.acmePhone)).body).toEqual({ username: 'acmesupport', status: 'approved' });
    expect((await get(proxy.salesPhone)).body).toEqual({});
    expect((await set(proxy.salesPhone, 'Acme_Sales')).body).toEqual({ status: 'reserved' });
    expect((await get(proxy.salesPhone)).body).toEqual({ username: 'acme_sales', status: 'reserved' });
    expect((await set(proxy.salesPhone, 'acme.sales')).body).toEqual({ status: 'reserved' });
    expect((await get(proxy.salesPhone)).body).toEqual({ username: 'acme.sales', status: 'reserved' });
    expect((await http(ctx.mock, 'DELETE', `${V}/${proxy.salesPhone}/username`)).body).toEqual({ success: true });
    expect((await get(proxy.salesPhone)).body).toEqual({});
    const again = await http(ctx.mock, 'DELETE', `${V}/${proxy.salesPhone}/username`);
    expect(again.body).toEqual(graphError(100, '(#100) This phone number has no username'));
  });

  it('claiming the username the number has changes nothing', async () => {
    expect((await set(proxy.acmePhone, 'ACMESUPPORT')).body).toEqual({ status: 'approved' });
  });

  it('a username of another number of the business moves only with force_transfer', async () => {
    const refused = await set(proxy.salesPhone, 'acmesupport');
    expect(refused.body).toEqual(graphError(100, '(#100) Username belongs to another phone number of this business; send transfer_action force_transfer to move it'));
    expect((await set(proxy.salesPhone, 'acmesupport', 'force_transfer')).body).toEqual({ status: 'reserved' });
    expect((await get(proxy.salesPhone)).body).toEqual({ username: 'acmesupport', status: 'reserved' });
    expect((await get(proxy.acmePhone)).body).toEqual({});
  });

  it('a username held outside the business account is not available, even with force_transfer', async () => {
    const res = await set(proxy.salesPhone, 'globex.orders', 'force_transfer');
    expect(res.body).toEqual(graphError(100, '(#100) Username is not available'));
  });

  it.each([
    ['ab', 'Username must be 3 to 35 characters'],
    ['a'.repeat(36), 'Username must be 3 to 35 characters'],
    ['acme-support', 'Username may only use English letters, digits, periods and underscores'],
    ['12345', 'Username must contain at least one English letter'],
    ['.acme', 'Username cannot start or end with a period'],
    ['acme..support', 'Username cannot contain consecutive periods'],
    ['wwwacme', 'Username cannot start with www'],
    ['acme.com', 'Username cannot end with a domain extension such as .com'],
  ])('refuses %s', async (username, message) => {
    const res = await set(proxy.salesPhone, username);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(100, `(#100) ${message}`));
  });

  it('suggests usernames from the number\'s names that nobody else in the project holds', async () => {
    const res = await http(ctx.mock, 'GET', `${V}/${proxy.globexPhone}/username_suggestions`);
    expect(res.body).toEqual({ data: [{ username_suggestions: ['globex_retail', 'globexretail', 'globex_official'] }] });
    await set(proxy.acmePhone, 'globex_retail');
    const after = await http(ctx.mock, 'GET', `${V}/${proxy.globexPhone}/username_suggestions`);
    expect(after.body.data[0].username_suggestions).not.toContain('globex_retail');
  });
});
