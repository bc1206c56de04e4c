// What the mock checks in a Flow JSON asset (docs/families/whatsapp-flows.md): the JSON parses; a
// supported `version`; `screens`, each with an id (letters and underscores, not SUCCESS, unique)
// and a SingleColumnLayout with children; at least one terminal screen; a `routing_model` that
// names only existing screens, and only in a Flow with a `data_api_version` (an endpoint Flow).
// Each problem is reported as Meta reports Flow JSON errors: a code, a type, a message naming the
// place ($root/screens/0/id) and the lines and columns it spans in the text as uploaded.
import { jsonShapeProblem } from '../../plugins/json-body.js';

export interface FlowValidationError {
  error: string;
  error_type: string;
  message: string;
  line_start: number;
  line_end: number;
  column_start: number;
  column_end: number;
}

/** Flow JSON versions WhatsApp accepts (expired ones, 2.1 and older, are refused). */
export const FLOW_JSON_VERSIONS = ['3.0', '3.1', '4.0', '5.0', '5.1', '6.0', '6.1', '6.2', '6.3', '7.0', '7.1', '7.2', '7.3'];
export const DATA_API_VERSIONS = ['3.0'];

interface Span { line_start: number; line_end: number; column_start: number; column_end: number }

/** Where every value of a valid JSON text is, by JSON pointer ('' is the root). Lines and columns count from 1. */
function locate(text: string): Map<string, Span> {
  const spans = new Map<string, Span>();
  let i = 0;
  let line = 1;
  let col = 1;
  const advance = () => {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
    i++;
  };
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) advance();
  };
  const string = (): string => {
    const start = i;
    advance();
    while (text[i] !== '"') {
      if (text[i] === '\\') advance();
      advance();
    }
    advance();
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (pointer: string): void => {
    ws();
    const from = { line, col };
    const c = text[i];
    if (c === '{') {
      advance();
      ws();
      while (text[i] !== '}') {
        const key = string();
        ws();
        advance(); // :
        value(`${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        ws();
        if (text[i] === ',') {
          advance();
          ws();
        }
      }
      advance();
    } else if (c === '[') {
      advance();
      ws();
      let n = 0;
      while (text[i] !== ']') {
        value(`${pointer}/${n++}`);
        ws();
        if (text[i] === ',') advance();
        ws();
      }
      advance();
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !',]} \t\r\n'.includes(text[i]!)) advance();
    }
    spans.set(pointer, { line_start: from.line, column_start: from.col, line_end: line, column_end: col });
  };
  value('');
  return spans;
}

/** The text position of a JSON.parse error (Node 20 says "at position N", later Node "(line L column C)"). */
function parseErrorSpan(text: string, message: string): Span {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    const [l, c] = [Number(lc[1]), Number(lc[2])];
    return { line_start: l, line_end: l, column_start: c, column_end: c + 1 };
  }
  const pos = /position (\d+)/.exec(message);
  const at = pos ? Number(pos[1]) : text.length;
  const before = text.slice(0, at).split('\n');
  const l = before.length;
  const c = before.at(-1)!.length + 1;
  return { line_start: l, line_end: l, column_start: c, column_end: c + 1 };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const where = (pointer: string) => `$root${pointer}`;

export interface FlowJsonCheck {
  errors: FlowValidationError[];
  /** `version` and `data_api_version`, when the text has them as strings. */
  json_version?: string;
  data_api_version?: string;
}

/** Checks a Flow JSON text. */
export function checkFlowJson(text: string): FlowJsonCheck {
  let doc: unknown;
  const invalid = (message: string, span: Span): FlowJsonCheck =>
    ({ errors: [{ error: 'INVALID_JSON', error_type: 'JSON_PARSE_ERROR', message: `The Flow JSON is not valid JSON: ${message}`, ...span }] });
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return invalid((err as Error).message, parseErrorSpan(text, (err as Error).message));
  }
  // Bounded like request bodies (no Flow JSON nests this deep), so locating values cannot exhaust the stack.
  const shape = jsonShapeProblem(text);
  if (shape !== undefined) return invalid(shape.replace(/^Body/, 'The Flow JSON'), { line_start: 1, line_end: 1, column_start: 1, column_end: 2 });
  const spans = locate(text);
  const errors: FlowValidationError[] = [];
  const report = (pointer: string, error: string, message: string, type = 'FLOW_JSON_ERROR') =>
    errors.push({ error, error_type: type, message, ...(spans.get(pointer) ?? spans.get('')!) });
  const required = (parent: string, key: string) =>
    report(parent, 'MISSING_REQUIRED_PROPERTY', `The property "${key}" is required at "${where(parent)}".`, 'JSON_SCHEMA_ERROR');

  if (!isObject(doc)) {
    report('', 'INVALID_PROPERTY_TYPE', 'The Flow JSON must be an object.', 'JSON_SCHEMA_ERROR');
    return { errors };
  }
  const check: FlowJsonCheck = { errors };
  if (typeof doc.version === 'string') check.json_version = doc.version;
  if (typeof doc.data_api_version === 'string') check.data_api_version = doc.data_api_version;

  if (doc.version === undefined) required('', 'version');
  else if (typeof doc.version !== 'string' || !FLOW_JSON_VERSIONS.includes(doc.version)) {
    report('/version', 'INVALID_PROPERTY_VALUE', `Invalid Flow JSON version: "${String(doc.version)}" is not a supported version (${FLOW_JSON_VERSIONS.join(', ')}).`);
  }
  if (doc.data_api_version !== undefined && (typeof doc.data_api_version !== 'string' || !DATA_API_VERSIONS.includes(doc.data_api_version))) {
    report('/data_api_version', 'INVALID_PROPERTY_VALUE', `Invalid Flow JSON data_api_version: "${String(doc.data_api_version)}" is not supported (${DATA_API_VERSIONS.join(', ')}).`);
  }

  const ids = new Set<string>();
  if (doc.screens === undefined) required('', 'screens');
  else if (!Array.isArray(doc.screens) || doc.screens.length === 0) {
    report('/screens', 'INVALID_PROPERTY_VALUE', `The property "screens" at "${where('')}" must be a non-empty array of screens.`);
  } else {
    let terminal = false;
    doc.screens.forEach((screen, n) => {
      const at = `/screens/${n}`;
      if (!isObject(screen)) return report(at, 'INVALID_PROPERTY_TYPE', `The screen at "${where(at)}" must be an object.`, 'JSON_SCHEMA_ERROR');
      if (screen.id === undefined) required(at, 'id');
      else if (typeof screen.id !== 'string' || !/^[A-Za-z_]+$/.test(screen.id)) {
        report(`${at}/id`, 'INVALID_PROPERTY_VALUE', `The screen id at "${where(`${at}/id`)}" may only contain letters and underscores.`);
      } else if (screen.id === 'SUCCESS') {
        report(`${at}/id`, 'INVALID_PROPERTY_VALUE', `The screen id "SUCCESS" at "${where(`${at}/id`)}" is reserved.`);
      } else if (ids.has(screen.id)) {
        report(`${at}/id`, 'DUPLICATE_SCREEN_ID', `The screen id "${screen.id}" at "${where(`${at}/id`)}" is used by another screen.`);
      } else ids.add(screen.id);
      if (screen.terminal === true) terminal = true;
      if (screen.layout === undefined) required(at, 'layout');
      else if (!isObject(screen.layout)) report(`${at}/layout`, 'INVALID_PROPERTY_TYPE', `The layout at "${where(`${at}/layout`)}" must be an object.`, 'JSON_SCHEMA_ERROR');
      else {
        if (screen.layout.type !== 'SingleColumnLayout') {
          report(`${at}/layout${screen.layout.type === undefined ? '' : '/type'}`, 'INVALID_PROPERTY_VALUE', `The layout type at "${where(`${at}/layout`)}" must be "SingleColumnLayout".`);
        }
        if (!Array.isArray(screen.layout.children)) required(`${at}/layout`, 'children');
      }
    });
    if (!terminal) report('/screens', 'MISSING_TERMINAL_SCREEN', 'At least one screen must be terminal ("terminal": true).');
  }

  if (doc.routing_model !== undefined) {
    if (!isObject(doc.routing_model)) {
      report('/routing_model', 'INVALID_PROPERTY_TYPE', `The property "routing_model" at "${where('')}" must be an object.`, 'JSON_SCHEMA_ERROR');
    } else {
      if (doc.data_api_version === undefined) {
        report('/routing_model', 'INVALID_PROPERTY', `The property "routing_model" at "${where('')}" needs "data_api_version": only a Flow with an endpoint has one.`);
      }
      for (const [from, to] of Object.entries(doc.routing_model)) {
        const at = `/routing_model/${from}`;
        if (!ids.has(from)) report(at, 'INVALID_ROUTING_MODEL', `The routing model names a screen "${from}" that does not exist.`);
        if (!Array.isArray(to)) report(at, 'INVALID_PROPERTY_TYPE', `The routes of "${from}" at "${where(at)}" must be an array of screen ids.`, 'JSON_SCHEMA_ERROR');
        else to.forEach((target, n) => {
          if (typeof target !== 'string' || !ids.has(target)) report(`${at}/${n}`, 'INVALID_ROUTING_MODEL', `The routing model sends "${from}" to a screen "${String(target)}" that does not exist.`);
        });
      }
    }
  }
  return check;
}
