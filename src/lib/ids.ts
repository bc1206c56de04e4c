import { randomUUID } from 'node:crypto';

/** New record IDs: lowercase UUID v4. */
export const newId = (): string => randomUUID();
