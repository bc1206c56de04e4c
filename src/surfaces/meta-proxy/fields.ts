// Graph field selection (`fields=id,name,preview.invalidate(true)`): which fields to answer, with
// their modifiers. An unknown field is refused as Meta refuses it.
import { graphInvalidParameter } from '../../errors.js';

export interface FieldRequest {
  name: string;
  /** `.invalidate(true)` -> { invalidate: 'true' } */
  modifiers: Record<string, string>;
}

/** Splits on commas outside parentheses and braces. */
export function topLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * The fields a `fields` parameter asks for, checked against what the node has (`node` names it in
 * the error, as Meta does); `defaults` when the parameter is absent or blank.
 */
export function requestedFields(text: string | undefined, available: readonly string[], node: string, defaults: readonly string[]): FieldRequest[] {
  if (text === undefined || text.trim() === '') return defaults.map((name) => ({ name, modifiers: {} }));
  return topLevel(text).map((part) => {
    const match = /^([a-z_]+)((?:\.[a-z_]+\([^()]*\))*)(\{.*\})?$/i.exec(part);
    const name = match?.[1] ?? part;
    if (!match || !available.includes(name)) throw graphInvalidParameter(`Tried accessing nonexisting field (${name}) on node type (${node})`);
    const modifiers: Record<string, string> = {};
    for (const m of match[2]!.matchAll(/\.([a-z_]+)\(([^()]*)\)/gi)) modifiers[m[1]!] = m[2]!;
    return { name, modifiers };
  });
}

/** The object with only the requested fields that have a value (plus `always`). */
export function pick<T extends Record<string, unknown>>(full: T, fields: FieldRequest[], always: readonly string[] = []): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const key of always) if (full[key] !== undefined) out[key] = full[key];
  for (const { name } of fields) if (full[name] !== undefined) out[name] = full[name];
  return out as Partial<T>;
}
