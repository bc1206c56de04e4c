import { randomInt, randomUUID } from 'node:crypto';

/** New record IDs: lowercase UUID v4. */
export const newId = (): string => randomUUID();

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
