import { newId } from '../../lib/ids.js';
import { applyPatch } from '../../lib/patch.js';
import type { RepoContext } from '../../lib/resource.js';
import { DEFAULT_ABOUT, type BusinessProfile, type Vertical } from './schemas.js';

interface Row {
  id: string;
  about: string | null;
  address: string | null;
  description: string | null;
  email: string | null;
  vertical: Vertical | null;
  websites: string;
  profile_picture_url: string | null;
  created_at: string;
  updated_at: string;
}

type Stored = Omit<Row, 'id' | 'created_at' | 'updated_at' | 'websites'> & { websites: string[] };
const FIELDS = ['about', 'address', 'description', 'email', 'vertical', 'websites', 'profile_picture_url'] as const;
const TYPE = 'business_profile';

const toProfile = (s: Stored): BusinessProfile => {
  const p: BusinessProfile = {};
  for (const f of FIELDS) {
    const v = s[f];
    if (v !== null && !(Array.isArray(v) && v.length === 0)) (p as Record<string, unknown>)[f] = v;
  }
  return p;
};

const EMPTY: Stored = { about: DEFAULT_ABOUT, address: null, description: null, email: null, vertical: null, websites: [], profile_picture_url: null };

export function createBusinessProfileRepository({ db, clock, events }: RepoContext) {
  const byConfig = db.prepare<[string, string], Row>(
    `SELECT id, about, address, description, email, vertical, websites, profile_picture_url, created_at, updated_at
     FROM business_profiles WHERE project_id = ? AND whatsapp_config_id = ?`,
  );
  const upsert = db.prepare<[Record<string, unknown>]>(
    `INSERT INTO business_profiles (project_id, id, whatsapp_config_id, about, address, description, email, vertical, websites, profile_picture_url, created_at, updated_at)
     VALUES (@project_id, @id, @whatsapp_config_id, @about, @address, @description, @email, @vertical, @websites, @profile_picture_url, @created_at, @updated_at)
     ON CONFLICT (project_id, whatsapp_config_id) DO UPDATE SET about = excluded.about, address = excluded.address,
       description = excluded.description, email = excluded.email, vertical = excluded.vertical, websites = excluded.websites,
       profile_picture_url = excluded.profile_picture_url, updated_at = excluded.updated_at`,
  );

  const stored = (projectId: string, configId: string): { row: Row | undefined; s: Stored } => {
    const row = byConfig.get(projectId, configId);
    return { row, s: row ? { ...row, websites: JSON.parse(row.websites) as string[] } : EMPTY };
  };
  const write = (projectId: string, configId: string, s: Stored, stamps: { id: string; created_at: string; updated_at: string }) =>
    upsert.run({ ...s, websites: JSON.stringify(s.websites), project_id: projectId, whatsapp_config_id: configId, ...stamps });

  return {
    /** Writes a profile as given (fixtures). */
    insert(projectId: string, configId: string, p: BusinessProfile, stamps: { id: string; created_at: string; updated_at: string }): void {
      write(projectId, configId, { ...EMPTY, ...p, websites: p.websites ?? [] }, stamps);
    },

    /** The number's profile (WhatsApp's default About text when nobody wrote one). */
    get(projectId: string, configId: string): BusinessProfile {
      return toProfile(stored(projectId, configId).s);
    },

    /** Sets the fields given; `websites` replaces the list. updated_at moves only on a real change. */
    update: db.transaction((projectId: string, configId: string, patch: BusinessProfile): BusinessProfile => {
      const { row, s } = stored(projectId, configId);
      const next = applyPatch(s, patch, FIELDS);
      if (!next) return toProfile(s);
      const now = clock.iso();
      const id = row?.id ?? newId();
      write(projectId, configId, next, { id, created_at: row?.created_at ?? now, updated_at: now });
      events.publish(row ? 'record.updated' : 'record.created', projectId, { type: TYPE, id });
      return toProfile(next);
    }),
  };
}

export type BusinessProfileRepository = ReturnType<typeof createBusinessProfileRepository>;
