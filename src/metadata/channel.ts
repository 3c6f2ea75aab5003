/**
 * MessagingChannel ↔ Parlance channel settings (with the channel's id). Pure: element trees in,
 * settings and located problems out, and back. The mapping's sources: docs/salesforce-metadata.md.
 */
import type { ChannelType } from '../channels/profiles.js';
import { AUTO_RESPONSE_TYPE, automatedResponseSupport, LANGUAGE_RESPONSE_TYPE, supportsAutoResponseComponents } from '../consent/automated.js';
import { AUTOMATED_RESPONSE_TYPES, CONSENT_TYPES, type AutomatedResponse, type AutomatedResponseType, type AutoResponses, type ConsentType, type LanguageResponseKind, type ListKeywordKind } from '../consent/model.js';
import { byLine, ImportLog, Node, placeKept, type SalesforceExtension } from './reader.js';
import { element, METADATA_NS, MetadataCode, XSI_NS, type MetadataProblem, type XmlElement } from './xml.js';

export const CHANNEL_ROOT = 'MessagingChannel';

const KNOWN = new Set([
  'automatedResponses', 'channelUsages', 'countryCode', 'customParameters', 'description', 'embeddedConfig', 'masterLabel', 'messagingChannelType',
  'messagingKeywords', 'platformKey', 'sessionHandlerFlow', 'sessionHandlerQueue', 'sessionHandlerType', 'standardParameters', 'endUserIdleAction',
  'autoResponseContentType', 'language', 'response', 'type', 'messageDefinitionName', 'responseTimeoutInMins', 'channelConsentType', 'deploymentType',
  'keyword', 'keywordType', 'inactivityTimeout', 'isRestrictedToLanguage',
]);

/** messagingChannelType → Parlance channel type (MessagingChannel files describe enhanced channels). */
const TYPE_TO_PARLANCE: Readonly<Record<string, ChannelType>> = {
  Text: 'SmsEnhanced',
  EmbeddedMessaging: 'EmbeddedWeb',
  WhatsApp: 'WhatsAppEnhanced',
  Facebook: 'FacebookEnhanced',
  AppleBusinessChat: 'AppleMessagesEnhanced',
  Line: 'LineEnhanced',
  Custom: 'BringYourOwn',
};
const TYPE_TO_SALESFORCE: Readonly<Record<ChannelType, string>> = {
  SmsLongCode: 'Text',
  SmsTollFree: 'Text',
  SmsShortCode: 'Text',
  SmsEnhanced: 'Text',
  EmbeddedWeb: 'EmbeddedMessaging',
  EmbeddedInApp: 'EmbeddedMessaging',
  WhatsAppStandard: 'WhatsApp',
  WhatsAppEnhanced: 'WhatsApp',
  FacebookStandard: 'Facebook',
  FacebookEnhanced: 'Facebook',
  AppleMessagesEnhanced: 'AppleBusinessChat',
  LineEnhanced: 'Line',
  BringYourOwn: 'Custom',
};

const KEYWORD_KIND: Readonly<Record<string, ListKeywordKind>> = { OptIn: 'optIn', OptOut: 'optOut', Help: 'help', DoubleOptIn: 'doubleOptIn' };
const KEYWORD_TYPE: Readonly<Record<ListKeywordKind, string>> = { optIn: 'OptIn', optOut: 'OptOut', help: 'Help', doubleOptIn: 'DoubleOptIn' };
/** Salesforce locale `en_US` ↔ BCP 47 `en-US`. */
export const toLanguageTag = (locale: string): string => locale.replace(/_/g, '-');
export const toLocale = (tag: string): string => tag.replace(/-/g, '_');

interface Language {
  language: string;
  keywords: Partial<Record<ListKeywordKind, string[]>>;
}

/** Imported channel: the id and the settings, as `parlance import` writes them. */
export interface ChannelDocument {
  readonly id: string;
  readonly type: ChannelType;
  readonly country?: string;
  readonly consentType?: ConsentType;
  readonly defaultLanguage: string;
  readonly languages: ReadonlyArray<{ language: string; keywords?: Partial<Record<ListKeywordKind, readonly string[]>>; responses?: Partial<Record<LanguageResponseKind, string>> }>;
  readonly autoResponses?: AutoResponses;
  readonly automatedResponses?: readonly AutomatedResponse[];
  readonly 'x-salesforce'?: SalesforceExtension;
}

export interface ChannelImport {
  readonly channel?: ChannelDocument;
  readonly errors: readonly MetadataProblem[];
  readonly warnings: readonly MetadataProblem[];
}

class Languages {
  readonly list: Language[] = [];
  get(tag: string): Language {
    let l = this.list.find((x) => x.language === tag);
    if (l === undefined) this.list.push((l = { language: tag, keywords: {} }));
    return l;
  }
}

function readKeywords(top: Node, langs: Languages, log: ImportLog): void {
  for (const n of top.all('messagingKeywords')) {
    const kindName = n.text('keywordType');
    const kind = kindName === undefined ? undefined : KEYWORD_KIND[kindName];
    const language = n.text('language');
    if (kind === undefined || language === undefined) {
      if (kindName !== undefined && kind === undefined) log.error(MetadataCode.InvalidValue, `keywordType "${kindName}" is not one of ${Object.keys(KEYWORD_KIND).join(', ')}`, n);
      top.release(n);
      continue;
    }
    const list = (langs.get(toLanguageTag(language)).keywords[kind] ??= []);
    for (const k of n.all('keyword')) list.push(k.el.text);
    n.finish(log);
  }
}

/**
 * The `automatedResponses` entries, one to one: `TextResponse` → `text`, `MessageDefinition` →
 * `component` (the ConversationMessageDefinition of that name; In-App and Web channels only).
 * An entry the channel type can't have, or a second one for a trigger and language, is kept.
 */
function readResponses(top: Node, type: ChannelType | undefined, langs: Languages, log: ImportLog): AutomatedResponse[] {
  const out: AutomatedResponse[] = [];
  const seen = new Set<string>();
  for (const n of top.all('automatedResponses')) {
    const kind = n.el.children.find((c) => c.name === 'type')?.text;
    const content = n.el.children.find((c) => c.name === 'autoResponseContentType')?.text;
    const language = n.el.children.find((c) => c.name === 'language')?.text;
    const key = `${kind ?? ''}/${language ?? ''}`;
    let why: string | undefined;
    if (kind === undefined || !(AUTOMATED_RESPONSE_TYPES as readonly string[]).includes(kind)) why = `automated response type "${kind ?? ''}" is not one of ${AUTOMATED_RESPONSE_TYPES.join(', ')}`;
    else if (type !== undefined && !automatedResponseSupport(kind as AutomatedResponseType, type).ok) why = (automatedResponseSupport(kind as AutomatedResponseType, type) as { reason: string }).reason;
    else if (content === 'MessageDefinition' && type !== undefined && !supportsAutoResponseComponents(type)) why = `a ${type} channel can't send a messaging component as an automated response (In-App and Web only, G:4519)`;
    else if (content !== 'TextResponse' && content !== 'MessageDefinition') why = `autoResponseContentType "${content ?? ''}" is neither TextResponse nor MessageDefinition`;
    else if (seen.has(key)) why = `a second ${kind} response${language !== undefined ? ` in ${language}` : ''}`;
    const body = content === 'TextResponse' ? n.el.children.find((c) => c.name === 'response')?.text : n.el.children.find((c) => c.name === 'messageDefinitionName')?.text;
    const timeout = n.el.children.find((c) => c.name === 'responseTimeoutInMins')?.text;
    if (why === undefined && body === undefined) why = `no ${content === 'TextResponse' ? 'response' : 'messageDefinitionName'}`;
    if (why === undefined && timeout !== undefined && !/^\d+$/.test(timeout)) why = `responseTimeoutInMins "${timeout}" is not a whole number`;
    if (why !== undefined) {
      top.release(n);
      log.keepLater(n, why);
      continue;
    }
    seen.add(key);
    n.text('type');
    n.text('autoResponseContentType');
    n.text(content === 'TextResponse' ? 'response' : 'messageDefinitionName');
    if (language !== undefined) n.text('language');
    if (timeout !== undefined) n.text('responseTimeoutInMins');
    if (language !== undefined) langs.get(toLanguageTag(language));
    out.push({
      type: kind as AutomatedResponseType,
      ...(language !== undefined ? { language: toLanguageTag(language) } : {}),
      ...(content === 'TextResponse' ? { text: body as string } : { component: body as string }),
      ...(timeout !== undefined ? { responseTimeoutInMins: Number(timeout) } : {}),
    });
    n.finish(log);
  }
  return out;
}

/** The first language any keyword or response names, else `en`. */
function firstLanguage(root: XmlElement): string {
  for (const c of root.children) {
    const l = c.children.find((x) => x.name === 'language');
    if ((c.name === 'messagingKeywords' || c.name === 'automatedResponses') && l !== undefined) return toLanguageTag(l.text);
  }
  return 'en';
}

/** Imports a MessagingChannel element tree; `id` is the file's full name. */
export function importChannel(root: XmlElement, id: string): ChannelImport {
  const log = new ImportLog(KNOWN);
  const top = Node.root(root);
  if (root.name !== CHANNEL_ROOT) {
    log.error(MetadataCode.WrongRoot, `Expected a <${CHANNEL_ROOT}> document; found <${root.name}>`, top);
    return { errors: log.errors, warnings: log.warnings };
  }
  const typeNode = top.one('messagingChannelType');
  const type = typeNode === undefined ? undefined : TYPE_TO_PARLANCE[typeNode.el.text];
  if (typeNode === undefined) log.error(MetadataCode.MissingElement, 'messagingChannelType is required', top);
  else if (type === undefined) log.error(MetadataCode.InvalidValue, `messagingChannelType "${typeNode.el.text}" has no Parlance channel type (${Object.keys(TYPE_TO_PARLANCE).join(', ')})`, typeNode);
  const country = top.text('countryCode');
  top.derived('masterLabel', id);
  let consentType: ConsentType | undefined;
  const usage = top.one('channelUsages');
  if (usage !== undefined) {
    const ct = usage.one('channelConsentType');
    if (ct !== undefined && (CONSENT_TYPES as readonly string[]).includes(ct.el.text)) {
      consentType = ct.el.text as ConsentType;
      usage.finish(log);
    } else {
      if (ct !== undefined) log.error(MetadataCode.InvalidValue, `channelConsentType "${ct.el.text}" is not one of ${CONSENT_TYPES.join(', ')}`, ct);
      top.release(usage);
    }
  }
  const defaultLanguage = firstLanguage(root);
  const langs = new Languages();
  langs.get(defaultLanguage);
  readKeywords(top, langs, log);
  const automatedResponses = readResponses(top, type, langs, log);
  top.finish(log);
  if (type === undefined) return { errors: log.errors, warnings: byLine(log.warnings) };
  const ext: SalesforceExtension = log.kept.length > 0 ? { elements: log.kept } : {};
  const channel: ChannelDocument = {
    id,
    type,
    ...(country !== undefined ? { country } : {}),
    ...(consentType !== undefined ? { consentType } : {}),
    defaultLanguage,
    languages: langs.list.map((l) => ({ language: l.language, keywords: l.keywords })),
    ...(automatedResponses.length > 0 ? { automatedResponses } : {}),
    ...(Object.keys(ext).length > 0 ? { 'x-salesforce': ext } : {}),
  };
  return { channel, errors: log.errors, warnings: byLine(log.warnings) };
}

// ---------------------------------------------------------------------------------------------
// Export

export interface ChannelExport {
  readonly root: XmlElement;
  readonly warnings: readonly MetadataProblem[];
}

/** Writes channel settings (with their id) as a MessagingChannel element tree. */
export function exportChannel(doc: ChannelDocument): ChannelExport {
  const derived = new Set<XmlElement>();
  const ext = doc['x-salesforce'] ?? {};
  const response = (type: AutomatedResponseType, language: string | undefined, text: string | undefined, component: string | undefined, timeout?: number): XmlElement =>
    element('automatedResponses', [
      element('autoResponseContentType', text !== undefined ? 'TextResponse' : 'MessageDefinition'),
      ...(language !== undefined ? [element('language', toLocale(language))] : []),
      ...(component !== undefined ? [element('messageDefinitionName', component)] : []),
      ...(text !== undefined ? [element('response', text)] : []),
      ...(timeout !== undefined ? [element('responseTimeoutInMins', String(timeout))] : []),
      element('type', type),
    ]);
  // The older spellings first (they are equivalents: docs/auto-responses.md), then automatedResponses.
  const responses: XmlElement[] = [];
  for (const [kind, v] of Object.entries(doc.autoResponses ?? {}) as Array<[keyof typeof AUTO_RESPONSE_TYPE, string | { component: string }]>) {
    responses.push(response(AUTO_RESPONSE_TYPE[kind], undefined, typeof v === 'string' ? v : undefined, typeof v === 'string' ? undefined : v.component));
  }
  for (const l of doc.languages) {
    for (const [kind, text] of Object.entries(l.responses ?? {}) as Array<[LanguageResponseKind, string]>) responses.push(response(LANGUAGE_RESPONSE_TYPE[kind], l.language, text, undefined));
  }
  for (const r of doc.automatedResponses ?? []) responses.push(response(r.type, r.language, r.text, r.component, r.responseTimeoutInMins));
  const keywords: XmlElement[] = [];
  for (const l of doc.languages) {
    for (const [kind, list] of Object.entries(l.keywords ?? {}) as Array<[ListKeywordKind, readonly string[]]>) {
      if (list.length === 0) continue;
      keywords.push(element('messagingKeywords', [...list.map((k) => element('keyword', k)), element('keywordType', KEYWORD_TYPE[kind]), element('language', toLocale(l.language))]));
    }
  }
  const label = element('masterLabel', doc.id);
  derived.add(label);
  const children = [
    ...responses,
    ...(doc.consentType !== undefined ? [element('channelUsages', [element('channelConsentType', doc.consentType)])] : []),
    ...(doc.country !== undefined ? [element('countryCode', doc.country)] : []),
    label,
    element('messagingChannelType', TYPE_TO_SALESFORCE[doc.type]),
    ...keywords,
  ];
  const warnings: MetadataProblem[] = [];
  for (const key of ['stripTrailingPunctuation', 'capacityModel', 'globals', 'globalValues'] as const) {
    if ((doc as unknown as Readonly<Record<string, unknown>>)[key] !== undefined) warnings.push({ code: MetadataCode.NotExported, message: `/${key}: no Metadata API equivalent; left out of the export`, path: `/${key}` });
  }
  doc.languages.forEach((l, i) => {
    const custom = (l as { custom?: unknown[] }).custom;
    if (custom !== undefined && custom.length > 0) warnings.push({ code: MetadataCode.NotExported, message: `/languages/${i}/custom: custom keywords have no MessagingChannel element; left out of the export`, path: `/languages/${i}/custom` });
  });
  const root = element(CHANNEL_ROOT, children, { xmlns: METADATA_NS });
  warnings.push(...placeKept(root, ext.elements, derived));
  if ((ext.elements ?? []).some((k) => k.xml.includes('xsi:'))) (root.attributes as Record<string, string>)['xmlns:xsi'] = XSI_NS;
  return { root, warnings };
}
