import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** New record IDs: lowercase UUID v4. */
export const newId = (): string => randomUUID();

/**
 * A WhatsApp message ID in Meta's form: `wamid.` and base64 of the recipient's number and 18 hex
 * digits, in the URL-safe alphabet (no `/` or `+`: the Meta proxy puts it in paths unencoded).
 * `seed` makes it the same on every run (fixtures derive it from the record's UUID).
 */
export function newWamid(phoneDigits: string, seed?: string): string {
  const hex = (seed === undefined ? randomBytes(9).toString('hex') : createHash('sha256').update(seed).digest('hex').slice(0, 18)).toUpperCase();
  const bytes = Buffer.concat([
    Buffer.from([0x1c, 0x18, phoneDigits.length]), Buffer.from(phoneDigits),
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]), Buffer.from(hex), Buffer.from([0x00]),
  ]);
  return `wamid.${bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')}`;
}
