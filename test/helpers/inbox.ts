// Seeded inbox records the tests name (fixtures/1x-whatsapp-*.json), read from the fixtures, and
// small helpers for watching the event bus.
import type { FastifyInstance } from 'fastify';
import type { AnyEvent } from '../../src/lib/events.js';
import { ids } from './app.js';
import { seed } from './seed.js';

const contact = (name: string) => seed.find('whatsappContacts', (r) => r.profile_name === name).id;
const template = (name: string, configId: string) =>
  seed.find('whatsappTemplates', (r) => r.name === name && r.whatsapp_config_id === configId).id;
const conversation = (configId: string, phone: string, status: string) =>
  seed.find('whatsappConversations', (r) => r.whatsapp_config_id === configId && String(r.phone_number).replace(/\D/g, '') === phone && r.status === status).id;
const message = (conversationId: string, match: (r: Record<string, any>) => boolean) =>
  seed.find('whatsappMessages', (r) => match(r) && seed.parentOf(String(r.id)) === conversationId);

const mariaOpen = conversation(ids.acmeSupport, '15550102030', 'active');

export const inbox = {
  maria: contact('Maria Gonzalez'),
  james: contact("James O'Connor"),
  priya: contact('Priya Patel'),
  sofia: contact('Sofia Rossi'),
  helen: contact('Helen Park'),

  /** Maria on Acme Support: active, her last message 20 minutes before the fixtures load (window open). */
  mariaOpen,
  /** James on Acme Support: active, last inbound 119 minutes before load. */
  jamesOpen: conversation(ids.acmeSupport, '15550104411', 'active'),
  /** Priya on Globex Orders: active, last inbound in March 2026 (window closed). */
  priyaClosed: conversation(ids.globexOrders, '15550107788', 'active'),
  /** Sofia on Acme Sales: active, she never wrote (one template sent). */
  sofiaNeverWrote: conversation(ids.acmeSales, '15550103344', 'active'),
  /** Chen on Initech Dispatch: ended. */
  chenEnded: conversation(ids.initechDispatch, '15550106655', 'ended'),
  /** Maria's ended conversation on Acme Sales. */
  mariaSalesEnded: conversation(ids.acmeSales, '15550102030', 'ended'),
  /** Helen on Umbrella Appointments (Other Project): active. */
  helenOpen: conversation(ids.umbrellaConfig, '15550201122', 'active'),

  /** Maria's shipping label (outbound image) and the inbound messages around it. */
  mariaLabel: message(mariaOpen, (r) => r.message_type === 'image'),
  mariaFirst: message(mariaOpen, (r) => r.direction === 'inbound' && r.message_type === 'text'),
  mariaButtons: message(mariaOpen, (r) => r.direction === 'outbound' && r.message_type === 'interactive'),

  orderConfirmation: template('order_confirmation', ids.acmeSupport),
  helloAcme: template('hello_world', ids.acmeSupport),
  appointmentReminder: template('appointment_reminder', ids.acmeSupport),
  summerSale: template('summer_sale', ids.acmeSales),
  verificationCode: template('verification_code', ids.acmeSupport),
  shippingUpdate: template('shipping_update', ids.globexOrders),
  helloGlobex: template('hello_world', ids.globexOrders),
  driverCheckin: template('driver_checkin', ids.initechDispatch),
  appointmentConfirmation: template('appointment_confirmation', ids.umbrellaConfig),
};

/** Every event the app publishes from now on (after commit), in order. */
export function recordEvents(app: FastifyInstance): AnyEvent[] {
  const seen: AnyEvent[] = [];
  app.events.onLive((e) => seen.push(e));
  return seen;
}

/** The events' names and the IDs they carry, for compact assertions. */
export const named = (events: AnyEvent[]) => events.map((e) => e.name);
