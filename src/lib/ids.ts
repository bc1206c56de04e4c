import { createHash, randomFillSync, randomInt, randomUUID } from 'node:crypto';

/** New record IDs: lowercase UUID v4. */
export const newId = (): string => randomUUID();

/** Random bytes drawn from a buffer filled 4 KiB at a time (a call into OpenSSL per message ID cost more than the rest of it). */
const pool = Buffer.alloc(4096);
let drawn = pool.length;
const randomHex = (bytes: number): string => {
  if (drawn + bytes > pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  drawn += bytes;
  return pool.toString('hex', drawn - bytes, drawn);
};

/**
 * A WhatsApp message ID in Meta's form: `wamid.` and base64 of the recipient's number and 18 hex
 * digits, in the URL-safe alphabet (no `/` or `+`: the Meta proxy puts it in paths unencoded).
 * `seed` makes it the same on every run (fixtures derive it from the record's UUID).
 */
export function newWamid(phoneDigits: string, seed?: string): string {
  const hex = (seed === undefined ? randomHex(9) : createHash('sha256').update(seed).digest('hex').slice(0, 18)).toUpperCase();
  const bytes = Buffer.concat([
    Buffer.from([0x1c, 0x18, phoneDigits.length]), Buffer.from(phoneDigits),
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]), Buffer.from(hex), Buffer.from([0x00]),
  ]);
  return `wamid.${bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')}`;
}

/**
 * Graph-style IDs of the objects only the Meta proxy shows (docs/meta-proxy.md "IDs"): 16 digits,
 * the first two naming the kind, so `GET /{id}` can tell a media item from a WhatsApp Flow by
 * looking at the ID, and neither can be a phone number or business account ID (those are the
 * WhatsApp configs' own values, 15 digits in the fixtures).
 */
export const GRAPH_ID_PREFIX = { media: '71', flow: '72' } as const;
export type GraphKind = keyof typeof GRAPH_ID_PREFIX;

export const newGraphId = (kind: GraphKind): string =>
  GRAPH_ID_PREFIX[kind] + String(randomInt(0, 100_000_000_000_000)).padStart(14, '0');

/** The kind a Graph-style ID names by its range, or undefined (a phone number, a business account, nothing). */
export function graphKindOf(id: string): GraphKind | undefined {
  if (!/^\d{16}$/.test(id)) return undefined;
  const prefix = id.slice(0, 2);
  return (Object.keys(GRAPH_ID_PREFIX) as GraphKind[]).find((kind) => GRAPH_ID_PREFIX[kind] === prefix);
}
