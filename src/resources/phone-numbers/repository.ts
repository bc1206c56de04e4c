import { RecordInvalid } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import type { RepoContext } from '../../lib/resource.js';
import type { ConfigRecord } from '../whatsapp-configs/repository.js';
import { DEFAULT_CALLING, type CallingSettings } from './schemas.js';

/** A phone number as the proxy knows it: the config's number plus its WhatsApp state. */
export interface PhoneNumberState {
  display_phone_number: string;
  verified_name: string;
  quality_rating: string;
  code_verification_status: string;
  name_status: string;
  new_name_status: string;
  is_official_business_account: boolean;
  account_mode: 'SANDBOX' | 'LIVE';
  messaging_limit_tier: string;
  throughput_level: string;
  registered: boolean;
  /** The two-step verification PIN (never answered). */
  pin: string | null;
  verification_code: string | null;
  fallback_language: string | null;
  calling: CallingSettings;
}

interface Row extends Omit<PhoneNumberState, 'is_official_business_account' | 'registered' | 'calling'> {
  id: string;
  is_official_business_account: number;
  registered: number;
  calling: string;
  created_at: string;
  updated_at: string;
}

/**
 * The code request_code "sends" (docs/meta-proxy.md): the mock sends no SMS, so the code is always
 * this one, and verify_code takes nothing else.
 */
export const VERIFICATION_CODE = '123456';

/** A number's display form when the fixtures give none: the phone number ID's last seven digits in the 555 range. */
export const defaultDisplayNumber = (phoneNumberId: string): string => {
  const digits = phoneNumberId.replace(/\D/g, '').padStart(7, '0').slice(-7);
  return `+1 555-${digits.slice(0, 3)}-${digits.slice(3)}`;
};

/** What a config's number is before anything changed it: registered, verified, calling off. */
const defaults = (config: ConfigRecord): PhoneNumberState => ({
  display_phone_number: defaultDisplayNumber(config.phone_number_id),
  verified_name: config.name,
  quality_rating: 'GREEN',
  code_verification_status: 'VERIFIED',
  name_status: 'APPROVED',
  new_name_status: 'NONE',
  is_official_business_account: false,
  account_mode: 'LIVE',
  messaging_limit_tier: 'TIER_1K',
  throughput_level: 'STANDARD',
  registered: true,
  pin: null,
  verification_code: null,
  fallback_language: null,
  calling: DEFAULT_CALLING,
});

const fromRow = (row: Row): PhoneNumberState => ({
  display_phone_number: row.display_phone_number,
  verified_name: row.verified_name,
  quality_rating: row.quality_rating,
  code_verification_status: row.code_verification_status,
  name_status: row.name_status,
  new_name_status: row.new_name_status,
  is_official_business_account: row.is_official_business_account === 1,
  account_mode: row.account_mode,
  messaging_limit_tier: row.messaging_limit_tier,
  throughput_level: row.throughput_level,
  registered: row.registered === 1,
  pin: row.pin,
  verification_code: row.verification_code,
  fallback_language: row.fallback_language,
  calling: JSON.parse(row.calling) as CallingSettings,
});

const COLUMNS = `display_phone_number, verified_name, quality_rating, code_verification_status, name_status, new_name_status,
  is_official_business_account, account_mode, messaging_limit_tier, throughput_level, registered, pin, verification_code,
  fallback_language, calling`;
const TYPE = 'phone_number';

export function createPhoneNumberRepository({ db, clock, events }: RepoContext) {
  const byConfig = db.prepare<[string, string], Row>(`SELECT id, ${COLUMNS}, created_at, updated_at FROM phone_numbers WHERE project_id = ? AND whatsapp_config_id = ?`);
  const upsert = db.prepare<[Record<string, unknown>]>(
    `INSERT INTO phone_numbers (project_id, id, whatsapp_config_id, ${COLUMNS}, created_at, updated_at)
     VALUES (@project_id, @id, @whatsapp_config_id, @display_phone_number, @verified_name, @quality_rating, @code_verification_status,
       @name_status, @new_name_status, @is_official_business_account, @account_mode, @messaging_limit_tier, @throughput_level,
       @registered, @pin, @verification_code, @fallback_language, @calling, @created_at, @updated_at)
     ON CONFLICT (project_id, whatsapp_config_id) DO UPDATE SET
       display_phone_number = excluded.display_phone_number, verified_name = excluded.verified_name, quality_rating = excluded.quality_rating,
       code_verification_status = excluded.code_verification_status, name_status = excluded.name_status,
       new_name_status = excluded.new_name_status, is_official_business_account = excluded.is_official_business_account,
       account_mode = excluded.account_mode, messaging_limit_tier = excluded.messaging_limit_tier,
       throughput_level = excluded.throughput_level, registered = excluded.registered, pin = excluded.pin,
       verification_code = excluded.verification_code, fallback_language = excluded.fallback_language, calling = excluded.calling,
       updated_at = excluded.updated_at`,
  );

  const write = (projectId: string, configId: string, s: PhoneNumberState, stamps: { id?: string; created_at: string; updated_at: string }) =>
    upsert.run({
      ...s, project_id: projectId, id: stamps.id ?? newId(), whatsapp_config_id: configId,
      is_official_business_account: s.is_official_business_account ? 1 : 0, registered: s.registered ? 1 : 0,
      calling: JSON.stringify(s.calling), created_at: stamps.created_at, updated_at: stamps.updated_at,
    });

  const state = (projectId: string, config: ConfigRecord): PhoneNumberState => {
    const row = byConfig.get(projectId, config.id);
    return row ? fromRow(row) : defaults(config);
  };

  /** Applies `change` to the number's state and stores it when something changed. */
  const change = (projectId: string, config: ConfigRecord, fn: (s: PhoneNumberState) => PhoneNumberState): PhoneNumberState => {
    const before = state(projectId, config);
    const after = fn(before);
    if (JSON.stringify(after) === JSON.stringify(before)) return before;
    const now = clock.iso();
    const row = byConfig.get(projectId, config.id);
    write(projectId, config.id, after, { ...(row && { id: row.id }), created_at: row?.created_at ?? now, updated_at: now });
    events.publish('record.updated', projectId, { type: TYPE, id: config.id });
    return after;
  };

  return {
    /** Writes a number's state as given (fixtures). */
    insert(projectId: string, configId: string, s: PhoneNumberState, stamps: { id: string; created_at: string; updated_at: string }): void {
      write(projectId, configId, s, stamps);
    },

    /** The number's state (the defaults when nothing changed it yet). */
    get: state,

    /** Sets the two-step verification PIN. */
    setPin: db.transaction((projectId: string, config: ConfigRecord, pin: string) => change(projectId, config, (s) => ({ ...s, pin }))),

    /** Sends a verification code (always VERIFICATION_CODE). */
    requestCode: db.transaction((projectId: string, config: ConfigRecord) =>
      change(projectId, config, (s) => ({ ...s, verification_code: VERIFICATION_CODE }))),

    /** Verifies the number with the code request_code sent. */
    verifyCode: db.transaction((projectId: string, config: ConfigRecord, code: string) =>
      change(projectId, config, (s) => {
        if (s.verification_code === null) throw new RecordInvalid('Verify code error: no code was requested for this phone number (call request_code first)', { graphCode: 136025 });
        if (code !== s.verification_code) throw new RecordInvalid('Verify code error: the code does not match the one sent', { graphCode: 136025 });
        return { ...s, verification_code: null, code_verification_status: 'VERIFIED' };
      })),

    /**
     * Registers the number on the Cloud API. It must be verified; with two-step verification on,
     * the PIN must be the number's PIN; without, the PIN given becomes it.
     */
    register: db.transaction((projectId: string, config: ConfigRecord, pin: string) =>
      change(projectId, config, (s) => {
        if (s.code_verification_status !== 'VERIFIED') {
          throw new RecordInvalid('Phone number re-verification needed: verify the number (request_code, verify_code) before registering it', { graphCode: 133006 });
        }
        if (s.pin !== null && s.pin !== pin) throw new RecordInvalid('Two step verification PIN Mismatch', { graphCode: 133005 });
        return { ...s, pin, registered: true };
      })),

    /** Takes the number off the Cloud API. */
    deregister: db.transaction((projectId: string, config: ConfigRecord) =>
      change(projectId, config, (s) => {
        if (!s.registered) throw new RecordInvalid('Phone number is not registered', { graphCode: 133010 });
        return { ...s, registered: false };
      })),

    /** Changes the fallback language and merges the calling settings given into the stored ones. */
    updateSettings: db.transaction((projectId: string, config: ConfigRecord, patch: { fallback_language?: string | undefined; calling?: CallingSettings | undefined }) =>
      change(projectId, config, (s) => ({
        ...s,
        fallback_language: patch.fallback_language ?? s.fallback_language,
        calling: patch.calling ? { ...s.calling, ...patch.calling } : s.calling,
      }))),
  };
}

export type PhoneNumberRepository = ReturnType<typeof createPhoneNumberRepository>;
