// The event bus: durable subscribers inside the write's transaction, live ones after the commit,
// one event per real change, none for a write that rolled back.
import { describe, expect, it } from 'vitest';
import { createClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/database.js';
import { EventBus, type AnyEvent, type RecordRef } from '../../src/lib/events.js';
import { client, ids, makeApp } from '../helpers/app.js';
import { demo } from '../helpers/seed.js';

function bus() {
  const { db } = openDatabase(':memory:');
  db.exec('CREATE TABLE outbox (name TEXT NOT NULL)');
  const errors: unknown[] = [];
  const events = new EventBus(db, createClock(), (err) => errors.push(err));
  const durable: { name: string; inTransaction: boolean }[] = [];
  const live: string[] = [];
  const write = db.prepare('INSERT INTO outbox (name) VALUES (?)');
  events.onDurable((e) => {
    durable.push({ name: e.name, inTransaction: db.inTransaction });
    write.run(e.name);
  });
  events.onLive((e) => live.push(`${(e.data as RecordRef).type}:${(e.data as RecordRef).id}`));
  const outbox = () => db.prepare('SELECT name FROM outbox').pluck().all();
  return { db, events, durable, live, outbox, errors };
}

const created = (id: string) => ['record.created', 'p', { type: 'thing', id }] as const;

describe('the event bus', () => {
  it('calls durable subscribers inside the transaction and live ones after the commit', () => {
    const { db, events, durable, live, outbox } = bus();
    db.transaction(() => {
      events.publish(...created('1'));
      events.publish(...created('2'));
      expect(live).toEqual([]);
    })();
    expect(durable).toEqual([{ name: 'record.created', inTransaction: true }, { name: 'record.created', inTransaction: true }]);
    expect(live).toEqual(['thing:1', 'thing:2']);
    expect(outbox()).toHaveLength(2);
  });

  it('delivers nothing for a write that rolled back, and the durable subscriber\'s rows roll back with it', () => {
    const { db, events, live, outbox } = bus();
    expect(() => db.transaction(() => {
      events.publish(...created('1'));
      throw new Error('the write failed after publishing');
    })()).toThrow('the write failed');
    expect(live).toEqual([]);
    expect(outbox()).toEqual([]);
    // The bus is not left holding the dropped event: the next commit delivers only its own.
    db.transaction(() => events.publish(...created('2')))();
    expect(live).toEqual(['thing:2']);
  });

  it('drops the events of a savepoint that rolled back and keeps the rest, delivered once at the outer commit', () => {
    const { db, events, live, outbox } = bus();
    const inner = db.transaction((id: string) => {
      events.publish(...created(id));
      throw new Error('inner failed');
    });
    db.transaction(() => {
      events.publish(...created('outer-1'));
      expect(() => inner('inner')).toThrow('inner failed');
      db.transaction(() => events.publish(...created('nested-ok')))();
      expect(live).toEqual([]);
      events.publish(...created('outer-2'));
    }).immediate();
    expect(live).toEqual(['thing:outer-1', 'thing:nested-ok', 'thing:outer-2']);
    expect(outbox()).toHaveLength(3);
  });

  it('refuses to publish outside a transaction: no event without its change', () => {
    const { events } = bus();
    expect(() => events.publish(...created('1'))).toThrow(/outside a transaction/);
  });

  it('a durable subscriber that throws rolls the write back; a live one that throws is reported and the others still hear', () => {
    const { db, events, live, errors } = bus();
    const stop = events.onDurable(() => {
      throw new Error('outbox full');
    });
    expect(() => db.transaction(() => events.publish(...created('1')))()).toThrow('outbox full');
    stop();
    events.onLive(() => {
      throw new Error('listener broke');
    });
    db.transaction(() => events.publish(...created('2')))();
    expect(live).toEqual(['thing:2']);
    expect(errors).toEqual([new Error('listener broke')]);
  });

  it('numbers events in publish order and stamps them with the mock\'s clock', () => {
    const { db } = openDatabase(':memory:');
    const clock = createClock();
    clock.freeze(Date.parse('2026-05-01T10:00:00.000Z'));
    const events = new EventBus(db, clock);
    const seen: AnyEvent[] = [];
    events.onLive((e) => seen.push(e));
    db.transaction(() => {
      events.publish(...created('a'));
      events.publish(...created('b'));
    })();
    expect(seen.map((e) => [e.seq, e.at])).toEqual([[1, '2026-05-01T10:00:00.000Z'], [2, '2026-05-01T10:00:00.000Z']]);
  });
});

describe('the app publishes one event per real change', () => {
  async function recorded() {
    const app = await makeApp();
    const seen: string[] = [];
    app.events.onLive((e) => seen.push(`${e.name} ${'type' in e.data ? `${e.data.type} ${e.data.id}` : ''}`.trim()));
    return { app, api: client(app), seen };
  }

  it('create, a no-op update, a real update, delete, delete again', async () => {
    const { api, seen } = await recorded();
    const res = await api.post('/api/v1/customers', { customer: { name: 'Evented', external_customer_id: 'EV-1' } });
    const id = res.body.data.id;
    await api.patch(`/api/v1/customers/${id}`, { customer: { name: 'Evented' } });
    await api.patch(`/api/v1/customers/${id}`, { customer: { name: 'Renamed' } });
    await api.delete(`/api/v1/customers/${id}`);
    await api.delete(`/api/v1/customers/${id}`);
    expect(seen).toEqual([`record.created customer ${id}`, `record.updated customer ${id}`, `record.deleted customer ${id}`]);
  });

  it('nothing for a write that fails (a duplicate external ID, a missing record)', async () => {
    const { api, seen } = await recorded();
    const taken = await api.post('/api/v1/customers', { customer: { name: 'Dupe', external_customer_id: 'ACME-001' } });
    expect(taken.status).toBe(422);
    expect((await api.patch(`/api/v1/agents/${ids.acme}`, { agent: { name: 'x' } })).status).toBe(404);
    expect(seen).toEqual([]);
  });

  it('making a link primary: the promoted link and the demoted one, each once', async () => {
    const { api, seen } = await recorded();
    await api.put(`/api/v1/agents/${ids.supportAgent}/agent_whatsapp_configs/${ids.supportSalesLink}`, { agent_whatsapp_config: { is_primary: true } });
    await api.put(`/api/v1/agents/${ids.supportAgent}/agent_whatsapp_configs/${ids.supportSalesLink}`, { agent_whatsapp_config: { is_primary: true } });
    expect(seen).toEqual([
      `record.updated agent_whatsapp_config ${ids.supportPrimaryLink}`,
      `record.updated agent_whatsapp_config ${ids.supportSalesLink}`,
    ]);
  });

  it('a reset and a restore say the state was replaced; seeding publishes no record events', async () => {
    const { app, seen } = await recorded();
    const admin = client(app, null);
    await admin.post('/__admin/snapshots', { name: 's' });
    await admin.post('/__admin/reset');
    await admin.post(`/__admin/reset?project_id=${demo.id}`);
    await admin.post('/__admin/snapshots/s/restore');
    expect(seen).toEqual(['state.replaced', 'state.replaced', 'state.replaced']);
  });
});
