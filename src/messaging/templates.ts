/**
 * Messaging templates (automatic notifications, seed G:4981-5031, SPEC-EXTRACT.md §13.6) and
 * approved WhatsApp notification templates (G:2227-2320, §13.5).
 *
 * - A messaging template is a stored message with merge fields, `{!Object.Field}` (the seeds don't
 *   give the syntax, §13.6: Parlance uses Salesforce's merge-field braces), available on all
 *   channels or on SMS, WhatsApp or Facebook Messenger, with an optional message intent.
 * - Merge fields name the objects of G:5019-5023 or a custom object (`__c`); "Messaging End User
 *   fields can't be inserted as merge fields" (G:5024).
 * - "For the message to send successfully, all merge fields must be filled" (G:5055).
 * - An approved WhatsApp template is the text submitted to WhatsApp with numbered parameter
 *   placeholders `{{1}}`, its notification type (G:2304-2320), language and country ("Each
 *   template is language- and country-specific", G:2293); at most 250 per WhatsApp Business
 *   Account (G:2251, G:2137).
 * - "Other than the merge fields, the template content must match your WhatsApp submission
 *   exactly, including spaces and line breaks" (G:2255): a WhatsApp message sent under an
 *   approved template is compared with it, and the first difference is reported with its position.
 */

/** The notification types of approved WhatsApp templates (G:2304-2320). The seed says "10 notification types" (G:2104, G:2282) but lists 11. */
export const WHATSAPP_TEMPLATE_TYPES = [
  'ACCOUNT_UPDATE',
  'PAYMENT_UPDATE',
  'PERSONAL_FINANCE_UPDATE',
  'SHIPPING_UPDATE',
  'RESERVATION_UPDATE',
  'APPOINTMENT_UPDATE',
  'TRANSPORTATION_UPDATE',
  'TICKET_UPDATE',
  'ISSUE_RESOLUTION',
  'ALERT',
  'AUTO_REPLY',
] as const;
export type WhatsAppTemplateType = (typeof WHATSAPP_TEMPLATE_TYPES)[number];

/** At most this many templates for one WhatsApp Business Account (G:2251, G:2137). */
export const WHATSAPP_TEMPLATE_LIMIT = 250;

/** Objects whose fields may be merge fields (G:5019-5023), besides custom objects (`__c`). */
export const MERGE_FIELD_OBJECTS: readonly string[] = [
  'Account', 'Asset', 'Case', 'Contact', 'Lead', 'Location', 'Opportunity', 'Organization', 'ServiceContract', 'User',
  'AssignedResource', 'MaintenancePlan', 'ReturnOrder', 'ServiceAppointment', 'WorkOrder', 'Employee',
];

/** The channels a messaging template is available on (G:4994-5029). */
export const TEMPLATE_CHANNELS = ['All', 'SMS', 'WhatsApp', 'FacebookMessenger'] as const;

export interface MessagingTemplate {
  readonly name: string;
  readonly description?: string;
  /** The message, with `{!Object.Field}` merge fields. */
  readonly message: string;
  readonly channels: readonly (typeof TEMPLATE_CHANNELS)[number][];
  readonly intent?: string;
}

export interface WhatsAppTemplate {
  readonly name: string;
  readonly type: WhatsAppTemplateType;
  /** BCP 47 language, such as en_US or en. */
  readonly language: string;
  readonly country?: string;
  /** The approved text, with `{{1}}`, `{{2}}`… placeholders. */
  readonly text: string;
}

export interface TemplateProblem {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
}

/** Stable codes of template problems and outbound refusals. */
export const TemplateCode = {
  /** A merge field of a Messaging End User (G:5024). */
  EndUserMergeField: 'END_USER_MERGE_FIELD',
  /** A merge field of an object the seed doesn't list (G:5019-5023). */
  UnknownMergeObject: 'E_MERGE_FIELD_OBJECT',
  /** `{!` without a closing brace, or not `Object.Field`. */
  MergeFieldSyntax: 'E_MERGE_FIELD_SYNTAX',
  /** A merge field with no value at send time (G:5055). */
  FieldBlank: 'TEMPLATE_FIELD_BLANK',
  /** A WhatsApp message that isn't its approved template (G:2255). */
  Mismatch: 'TEMPLATE_MISMATCH',
  /** Not a notification type of G:2304-2320. */
  WhatsAppType: 'E_WHATSAPP_TEMPLATE_TYPE',
  /** Placeholders not numbered {{1}}, {{2}}… in order. */
  Placeholders: 'E_TEMPLATE_PLACEHOLDERS',
  /** More than 250 approved templates (G:2251). */
  Limit: 'E_TEMPLATE_LIMIT',
} as const;

/** One merge field in a message. */
export interface MergeField {
  readonly object: string;
  readonly field: string;
  /** `Object.Field`, as written. */
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

const MERGE = /\{!\s*([^}]*?)\s*\}/g;
const NAME = /^([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)$/;

/** The merge fields of a message, and syntax problems (pointer suffixes are the message's). */
export function mergeFields(message: string, pointer = '/message'): { fields: MergeField[]; problems: TemplateProblem[] } {
  const fields: MergeField[] = [];
  const problems: TemplateProblem[] = [];
  for (const m of message.matchAll(MERGE)) {
    const inner = m[1] ?? '';
    const parsed = NAME.exec(inner);
    if (parsed === null) {
      problems.push({ pointer, code: TemplateCode.MergeFieldSyntax, message: `${m[0]} at ${m.index} is not a merge field: write {!Object.Field}, such as {!Case.CaseNumber}` });
      continue;
    }
    fields.push({ object: parsed[1] as string, field: parsed[2] as string, key: inner, start: m.index, end: m.index + m[0].length });
  }
  const unclosed = message.replace(MERGE, '').indexOf('{!');
  if (unclosed >= 0) problems.push({ pointer, code: TemplateCode.MergeFieldSyntax, message: 'A merge field opens with {! and never closes with }' });
  return { fields, problems };
}

const isEndUser = (object: string): boolean => /^messaging_?end_?user$/i.test(object);

/** The problems of a messaging template's message: merge field syntax, Messaging End User fields (G:5024), objects not in G:5019-5023. */
export function validateMessagingTemplate(t: Pick<MessagingTemplate, 'message'>, pointer = '/message'): TemplateProblem[] {
  const { fields, problems } = mergeFields(t.message, pointer);
  for (const f of fields) {
    if (isEndUser(f.object)) {
      problems.push({ pointer, code: TemplateCode.EndUserMergeField, message: `{!${f.key}}: "Messaging End User fields can't be inserted as merge fields" (G:5024)` });
    } else if (!MERGE_FIELD_OBJECTS.includes(f.object) && !f.object.endsWith('__c')) {
      problems.push({ pointer, code: TemplateCode.UnknownMergeObject, message: `{!${f.key}}: merge fields come from ${MERGE_FIELD_OBJECTS.join(', ')} or a custom object with activities allowed (G:5019-5023)` });
    }
  }
  return problems;
}

/**
 * Fills a messaging template's merge fields from `values` (keyed `Object.Field`). "For the message
 * to send successfully, all merge fields must be filled" (G:5055): every blank or missing value is
 * a `TEMPLATE_FIELD_BLANK` problem, and there is no text.
 */
export function fillMessagingTemplate(t: Pick<MessagingTemplate, 'message'>, values: Readonly<Record<string, string | null | undefined>>, pointer = '/content/template/values'): { text?: string; problems: TemplateProblem[] } {
  const problems = validateMessagingTemplate(t);
  if (problems.length > 0) return { problems };
  const { fields } = mergeFields(t.message);
  const blank = fields.filter((f) => (values[f.key] ?? '').trim() === '');
  for (const f of blank) problems.push({ pointer: `${pointer}/${f.key}`, code: TemplateCode.FieldBlank, message: `The merge field {!${f.key}} is blank: "For the message to send successfully, all merge fields must be filled" (G:5055)` });
  if (problems.length > 0) return { problems };
  let text = '';
  let at = 0;
  for (const f of fields) {
    text += t.message.slice(at, f.start) + (values[f.key] as string);
    at = f.end;
  }
  return { text: text + t.message.slice(at), problems };
}

const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

/** The problems of an approved WhatsApp template: its type (G:2304-2320), language (G:2293), placeholders numbered 1, 2… in order. */
export function validateWhatsAppTemplate(t: WhatsAppTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (!(WHATSAPP_TEMPLATE_TYPES as readonly string[]).includes(t.type)) {
    problems.push({ pointer: '/type', code: TemplateCode.WhatsAppType, message: `${t.type} is not a WhatsApp notification type: one of ${WHATSAPP_TEMPLATE_TYPES.join(', ')} (G:2304-2320)` });
  }
  const numbers = [...t.text.matchAll(PLACEHOLDER)].map((m) => Number(m[1]));
  if (numbers.some((n, i) => n !== i + 1)) {
    problems.push({ pointer: '/text', code: TemplateCode.Placeholders, message: `Number the parameter placeholders {{1}}, {{2}}… in order; found ${numbers.map((n) => `{{${n}}}`).join(', ')}` });
  }
  return problems;
}

/** Where a WhatsApp message first differs from its approved template. */
export interface TemplateDifference {
  /** 0-based index into the message, in UTF-16 code units. */
  readonly position: number;
  /** The approved text expected there (up to 20 characters; '' at the end of the template). */
  readonly expected: string;
  /** What the message has there (up to 20 characters; '' at its end). */
  readonly found: string;
}

const common = (a: string, ai: number, b: string): number => {
  let n = 0;
  while (n < b.length && ai + n < a.length && a[ai + n] === b[n]) n++;
  return n;
};

/**
 * Compares a WhatsApp message with its approved template (G:2255): the text must be the
 * template's, character for character (spaces and line breaks included), with each `{{n}}`
 * placeholder replaced by a non-empty value. Returns undefined when it matches, else the first
 * difference. A value runs to the next occurrence of the template text that follows it; when that
 * text isn't found, the value is taken to end where the text's first character next appears, and
 * the difference is where the two part.
 */
export function compareWithApprovedTemplate(message: string, approved: string): TemplateDifference | undefined {
  const literals = approved.split(PLACEHOLDER).filter((_, i) => i % 2 === 0);
  const diff = (position: number, literal: string, at: number): TemplateDifference => ({ position, expected: literal.slice(at, at + 20), found: message.slice(position, position + 20) });
  let pos = 0;
  for (let i = 0; i < literals.length; i++) {
    const literal = literals[i] as string;
    const last = i === literals.length - 1;
    if (i === 0) {
      const n = common(message, 0, literal);
      if (n < literal.length) return diff(n, literal, n);
      pos = literal.length;
      if (last && pos < message.length) return diff(pos, '', 0);
      continue;
    }
    // A parameter's value: at least one character, then the literal.
    if (last) {
      const at = message.length - literal.length;
      if (at > pos && message.endsWith(literal)) return undefined;
    } else if (literal === '') {
      pos += 1;
      continue;
    } else {
      const at = message.indexOf(literal, pos + 1);
      if (at > pos) {
        pos = at + literal.length;
        continue;
      }
    }
    if (pos >= message.length) return diff(pos, `{{${i}}}`, 0);
    // Not found: the value ends where the literal's text first starts again (after at least one
    // value character), and the difference is where that partial match stops; with no such start,
    // the literal is missing at the end of the message.
    for (let s = pos + 1; s < message.length; s++) {
      const n = common(message, s, literal);
      if (n > 0) return diff(s + n, literal, n);
    }
    return diff(message.length, literal, 0);
  }
  return pos === message.length ? undefined : diff(pos, '', 0);
}
