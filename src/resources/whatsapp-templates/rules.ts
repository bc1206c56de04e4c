// What a template send must satisfy, written once for every door that sends one
// (send_template, a message of type template in a conversation or by phone number):
// the template is approved, gets exactly its body's parameters (positional or named), and gets
// header content when its header needs it. Pure functions over the stored template.
import { SendRefused } from '../../errors.js';
import type { MetaComponent, TemplateParameters } from './schemas.js';

/** `{{1}}` or `{{customer_name}}`. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export interface TemplateForSend {
  name: string;
  language_code: string;
  status: string;
  parameter_format: 'POSITIONAL' | 'NAMED';
  components: MetaComponent[];
}

/** What a send asks of the template. */
export interface TemplateSendInput {
  params?: TemplateParameters | undefined;
  header_type?: string | undefined;
  header_params?: string | undefined;
  header_filename?: string | undefined;
}

/** A send the template accepts: the text the recipient reads and the values used. */
export interface FilledTemplate {
  /** The body with every placeholder filled. */
  content: string;
  /** The values in the order of the body's placeholders. */
  values: string[];
  /** The values by name (named templates). */
  named: Record<string, string> | undefined;
  header: { type: string; params: string | undefined; filename: string | undefined } | undefined;
}

export const componentOf = (components: readonly MetaComponent[], type: MetaComponent['type']) => components.find((c) => c.type === type);

/** The distinct placeholders of a text, in order of first appearance. */
export function placeholders(text: string | undefined): string[] {
  const names: string[] = [];
  for (const match of (text ?? '').matchAll(PLACEHOLDER)) if (!names.includes(match[1]!)) names.push(match[1]!);
  return names;
}

/** The body text (the template's `content`). */
export const bodyText = (components: readonly MetaComponent[]): string => componentOf(components, 'BODY')?.text ?? '';

/** How many parameters a send must give: the body's distinct placeholders. */
export const parameterCount = (components: readonly MetaComponent[]): number => placeholders(bodyText(components)).length;

const fill = (text: string, values: Record<string, string>) =>
  text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);

const refuse = (message: string): never => {
  throw new SendRefused('template_parameters', message);
};

/** The values for the body's placeholders, or the refusal that says what is wrong with them. */
function bodyValues(t: TemplateForSend, params: TemplateParameters | undefined): Record<string, string> {
  const names = placeholders(bodyText(t.components));
  const required = names.length;
  if (params === undefined) {
    if (required > 0) refuse(`Template requires ${required} parameters, but 0 were provided`);
    return {};
  }
  let byName: Record<string, string>;
  if (Array.isArray(params)) {
    if (params.length !== required) refuse(`Template requires ${required} parameters, but ${params.length} were provided`);
    // Named templates take an array too: its values fill the names in the order they appear.
    byName = Object.fromEntries(names.map((name, i) => [name, params[i]!]));
  } else {
    const given = Object.keys(params);
    if (given.length !== required) refuse(`Template requires ${required} parameters, but ${given.length} were provided`);
    const missing = names.filter((name) => !Object.hasOwn(params, name));
    if (missing.length > 0) {
      refuse(t.parameter_format === 'POSITIONAL'
        ? `Template uses positional parameters ({{1}}, {{2}}): give them as an array`
        : `Template requires the parameters ${names.join(', ')}; missing: ${missing.join(', ')}`);
    }
    byName = params;
  }
  for (const name of names) if (byName[name]!.trim() === '') refuse(`Template parameter ${name} can't be blank`);
  return byName;
}

/** The header content a send gives, checked against the template's header. */
function headerOf(t: TemplateForSend, input: TemplateSendInput): FilledTemplate['header'] {
  const header = componentOf(t.components, 'HEADER');
  if (!header?.format) return undefined;
  const format = header.format.toLowerCase();
  if (input.header_type !== undefined && input.header_type !== format) refuse(`Template header is ${format}, not ${input.header_type}`);
  const given = input.header_params?.trim() ? input.header_params : undefined;
  if (format === 'text') {
    const needed = placeholders(header.text).length;
    if (needed > 0 && given === undefined) refuse(`Template header requires ${needed} parameter, but 0 were provided`);
    return { type: 'text', params: needed > 0 ? given : undefined, filename: undefined };
  }
  if (format === 'location') return { type: format, params: given, filename: undefined };
  if (given === undefined) refuse(`Template header requires a ${format} URL in header_params`);
  return { type: format, params: given, filename: format === 'document' ? input.header_filename : undefined };
}

/**
 * Checks a send against the template and fills it in; throws SendRefused (nothing is sent)
 * when the template is not approved or the parameters do not fit.
 */
export function fillTemplate(t: TemplateForSend, input: TemplateSendInput): FilledTemplate {
  if (t.status !== 'approved') throw new SendRefused('template_status', `Template is not approved (status: ${t.status})`);
  const byName = bodyValues(t, input.params);
  const names = placeholders(bodyText(t.components));
  return {
    content: fill(bodyText(t.components), byName),
    values: names.map((name) => byName[name]!),
    named: t.parameter_format === 'NAMED' ? Object.fromEntries(names.map((name) => [name, byName[name]!])) : undefined,
    header: headerOf(t, input),
  };
}
