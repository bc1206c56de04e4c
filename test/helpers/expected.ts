// Seeded records as the API answers them (fixtures/), for tests that compare whole bodies.
import { ids } from './app.js';

/** WhatsApp configs of the fixtures, as GET /api/v1/whatsapp_configs/{id} shows them. */
export const seededConfigs = {
  acmeSupport: {
    id: ids.acmeSupport,
    name: 'Acme Support',
    display_name: 'Acme Support (+106540352242922)',
    phone_number_id: '106540352242922',
    business_account_id: '102290129340398',
    webhook_verify_token: 'acme-verify-7f3c2a',
    webhook_destination_url: 'https://hooks.acme.example/whatsapp/support',
    customer_id: ids.acme,
    created_at: '2026-01-10T15:00:00.000Z',
    updated_at: '2026-01-10T15:00:00.000Z',
  },
  acmeSales: {
    id: ids.acmeSales,
    name: 'Acme Sales',
    display_name: 'Acme Sales (+106540352242923)',
    phone_number_id: '106540352242923',
    business_account_id: '102290129340398',
    webhook_verify_token: 'acme-verify-91d0e4',
    webhook_destination_url: 'https://hooks.acme.example/whatsapp/sales',
    customer_id: ids.acme,
    created_at: '2026-01-12T11:20:00.000Z',
    updated_at: '2026-01-12T11:20:00.000Z',
  },
  umbrellaConfig: {
    id: ids.umbrellaConfig,
    name: 'Umbrella Appointments',
    display_name: 'Umbrella Appointments (+130495867201234)',
    phone_number_id: '130495867201234',
    business_account_id: '120394857601234',
    webhook_verify_token: 'umbrella-verify-3e9a6d',
    webhook_destination_url: 'https://umbrella.example/whatsapp/events',
    customer_id: ids.umbrella,
    created_at: '2026-01-21T09:30:00.000Z',
    updated_at: '2026-01-21T09:30:00.000Z',
  },
};
