import { createHash } from 'node:crypto';
import { uniqueRules } from '../../db/constraints.js';
import { RecordInvalid } from '../../errors.js';
import { newGraphId, newId } from '../../lib/ids.js';
import type { RepoContext } from '../../lib/resource.js';
import { uploadProblem } from './schemas.js';

/** A stored file's description (everything but its bytes). */
export interface MediaRecord {
  id: string;
  media_id: string;
  whatsapp_config_id: string;
  mime_type: string;
  sha256: string;
  file_size: number;
  filename: string | null;
  created_at: string;
  updated_at: string;
}

export interface MediaUpload {
  bytes: Uint8Array;
  mime_type: string;
  filename?: string | undefined;
}

const COLUMNS = 'id, media_id, whatsapp_config_id, mime_type, sha256, file_size, filename, created_at, updated_at';
const TYPE = 'media';

export function createMediaRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[MediaRecord & { project_id: string; bytes: Uint8Array }]>(
    `INSERT INTO media (project_id, id, media_id, whatsapp_config_id, mime_type, sha256, file_size, filename, bytes, created_at, updated_at)
     VALUES (@project_id, @id, @media_id, @whatsapp_config_id, @mime_type, @sha256, @file_size, @filename, @bytes, @created_at, @updated_at)`,
  );
  const byMediaId = db.prepare<[string, string], MediaRecord>(`SELECT ${COLUMNS} FROM media WHERE project_id = ? AND media_id = ?`);
  const bytesOf = db.prepare<[string, string], { bytes: Buffer; mime_type: string }>('SELECT bytes, mime_type FROM media WHERE project_id = ? AND media_id = ?');
  const remove = db.prepare<[string, string]>('DELETE FROM media WHERE project_id = ? AND media_id = ?');
  const unique = uniqueRules({ 'media.project_id, media.media_id': 'Media ID has already been taken' });

  const record = (projectId: string, fields: Omit<MediaRecord, 'sha256' | 'file_size'> & { bytes: Uint8Array }): MediaRecord => {
    const { bytes, ...rest } = fields;
    const row = { ...rest, sha256: createHash('sha256').update(bytes).digest('hex'), file_size: bytes.length };
    unique(() => insert.run({ ...row, project_id: projectId, bytes }));
    return row;
  };

  return {
    /** Writes a file as given (fixtures). */
    insert(projectId: string, fields: Omit<MediaRecord, 'sha256' | 'file_size'> & { bytes: Uint8Array }): void {
      record(projectId, fields);
    },

    /** Stores an upload to a phone number, if WhatsApp takes its type and size. */
    upload: db.transaction((projectId: string, whatsappConfigId: string, upload: MediaUpload): MediaRecord => {
      const problem = uploadProblem(upload.mime_type, upload.bytes);
      if (problem !== undefined) throw new RecordInvalid(problem, { graphCode: 100 });
      const now = clock.iso();
      const media = record(projectId, {
        id: newId(), media_id: newGraphId('media'), whatsapp_config_id: whatsappConfigId, mime_type: upload.mime_type,
        filename: upload.filename ?? null, bytes: upload.bytes, created_at: now, updated_at: now,
      });
      events.publish('record.created', projectId, { type: TYPE, id: media.id });
      return media;
    }),

    get(projectId: string, mediaId: string): MediaRecord | undefined {
      return byMediaId.get(projectId, mediaId);
    },

    /** The file's bytes and type. */
    content(projectId: string, mediaId: string): { bytes: Buffer; mime_type: string } | undefined {
      return bytesOf.get(projectId, mediaId);
    },

    delete: db.transaction((projectId: string, mediaId: string): boolean => {
      const media = byMediaId.get(projectId, mediaId);
      if (!media) return false;
      remove.run(projectId, mediaId);
      events.publish('record.deleted', projectId, { type: TYPE, id: media.id });
      return true;
    }),
  };
}

export type MediaRepository = ReturnType<typeof createMediaRepository>;
