/**
 * Business-initiated (outbound) messaging rules: may this rep, or this automatic notification,
 * message this customer on this channel now, with this content? A pure function: no database, no
 * clock. The server reads the messaging user and their open session (after applying any session
 * expiry that is due), calls {@link decideOutbound}, and for a send applies the decision in one
 * transaction. Every failing rule is reported, each with a stable code, a message and a JSON
 * pointer into the request. The rules follow article B ("Considerations for Business-Initiated
 * Messaging") for the channels it covers and the guide for standard channels (DECISIONS.md
 * "Outbound, sessions, linking"); docs/outbound.md lists them with their seed lines.
 */
import { phoneModule } from '../lazy-modules.js';
import type { ChannelType } from '../channels/profiles.js';
import type { SessionStatus } from '../consent/engine.js';
import { capacityModelOf, consentApplies, consentTypeOf, isStandardChannel, meets, type CapacityModel, type ChannelSettings, type ConsentStatus } from '../consent/settings.js';
import { checkE164, usesPhoneNumbers } from '../channels/phone.js';
import { expiryOf } from '../sessions/lifecycle.js';
import { isSmsChannel, smsLengthProblems, smsSegments, type SmsSegments } from '../channels/sms.js';
import { compareWithApprovedTemplate } from '../messaging/templates.js';
import { botComponentRefusal } from './bots.js';
import type { DynamicPart } from './dynamic.js';

/** The stable codes of the reasons an outbound message is refused. */
export const OutboundReason = {
  /** Reps can't start conversations on this channel type (Enhanced Web Chat: B:11, X:61). */
  ChannelNotSupported: 'CHANNEL_NOT_SUPPORTED',
  /** Automatic notifications aren't sent on this channel type (G:2488, G:4894, X:61). */
  AutomaticNotSupported: 'AUTOMATIC_NOT_SUPPORTED',
  /** An SMS or WhatsApp number that isn't in E.164 format (B:29). */
  PhoneNotE164: 'PHONE_NOT_E164',
  /** No messaging user record on the channel (B:18; enhanced SMS: unless consent is attested, B:21-27). */
  NoMessagingUser: 'NO_MESSAGING_USER',
  /** The user's consent doesn't meet the channel's required level, or they opted out (G:3739, G:6287). */
  ConsentNotMet: 'CONSENT_NOT_MET',
  /** An automatic SMS notification from a channel with no country: the same-country rule can't be checked (G:4894). */
  ChannelCountryMissing: 'CHANNEL_COUNTRY_MISSING',
  /** An automatic SMS notification to a number of another country than the channel's (G:4894). */
  SmsCountryMismatch: 'SMS_COUNTRY_MISMATCH',
  /** WhatsApp: more than 24 hours since the user's last message, and the message is freeform (B:31, G:2175). */
  WhatsAppWindowClosed: 'WHATSAPP_WINDOW_CLOSED',
  /** WhatsApp after 24 hours: the component isn't linked to an approved WhatsApp template (B:31). */
  WhatsAppTemplateRequired: 'WHATSAPP_TEMPLATE_REQUIRED',
  /** Enhanced WhatsApp after 24 hours: the component has dynamic content (B:31). */
  WhatsAppDynamicContent: 'WHATSAPP_DYNAMIC_CONTENT',
  /** Facebook Messenger: more than seven days since the user's last message (B:33, G:2459). */
  FacebookWindowClosed: 'FACEBOOK_WINDOW_CLOSED',
  /** The customer is in a live session with a different rep (B:17, G:506). */
  SessionInProgress: 'SESSION_IN_PROGRESS',
  /** SMS text over 840 characters: "Messages over 840 characters aren't sent" (G:2892, G:6212). */
  SmsTooLong: 'SMS_TOO_LONG',
  /** Text over 160 characters on a short code (G:3038, G:3348). */
  ShortCodeTooLong: 'SHORT_CODE_TOO_LONG',
  /** Standard WhatsApp: the named approved template isn't stored, so the message can't be checked against it (G:2255). */
  TemplateNotFound: 'TEMPLATE_NOT_FOUND',
  /** Standard WhatsApp: the message isn't its approved template with the parameters filled in (G:2255). */
  TemplateMismatch: 'TEMPLATE_MISMATCH',
  /** A messaging template's merge field has no value (G:5055). */
  TemplateFieldBlank: 'TEMPLATE_FIELD_BLANK',
  /** A messaging template uses a Messaging End User field (G:5024). */
  EndUserMergeField: 'END_USER_MERGE_FIELD',
  /** An enhanced bot sending a component other than an enhanced link, or any component on enhanced WhatsApp (G:4868, G:5729). */
  BotComponentNotAllowed: 'BOT_COMPONENT_NOT_ALLOWED',
} as const;
export type OutboundReasonCode = (typeof OutboundReason)[keyof typeof OutboundReason];

/** One failing rule. */
export interface OutboundReasonDetail {
  readonly code: OutboundReasonCode;
  readonly message: string;
  /** JSON pointer into the request body (`''`: the request as a whole). */
  readonly pointer: string;
  /** TEMPLATE_MISMATCH: the 0-based position in the text of the first difference from the approved template. */
  readonly position?: number;
}

const HOUR = 3_600_000;
/** The WhatsApp customer care window: 24 hours after the user's last message (B:31, G:2175). */
export const WHATSAPP_WINDOW_MS = 24 * HOUR;
/** The Facebook Messenger window: seven days after the user's last message (B:33, G:2459). */
export const FACEBOOK_WINDOW_MS = 7 * 24 * HOUR;

/** Channel types whose reps can't start a conversation: Enhanced Web Chat (B:11; X:61 "all enhanced channels except Enhanced Web Chat"). */
const NO_REP_INITIATED: ReadonlySet<ChannelType> = new Set(['EmbeddedWeb']);

/**
 * Channel types that send automatic notifications (flows, processes): the standard channels
 * (G:390: "Triggered outbound messaging is available in standard Messaging channels"), and enhanced
 * WhatsApp, enhanced Apple Messages for Business and Enhanced (In-App) Chat (X:61). Not enhanced
 * Facebook Messenger (G:2488), enhanced SMS (G:4894: "In enhanced Messaging channels, automatic
 * message notifications … aren't sent"; X:61 doesn't list it), LINE or Bring Your Own Channel.
 */
const AUTOMATIC: ReadonlySet<ChannelType> = new Set(['SmsLongCode', 'SmsTollFree', 'SmsShortCode', 'FacebookStandard', 'WhatsAppStandard', 'WhatsAppEnhanced', 'AppleMessagesEnhanced', 'EmbeddedInApp']);

const SMS: ReadonlySet<ChannelType> = new Set(['SmsLongCode', 'SmsTollFree', 'SmsShortCode', 'SmsEnhanced']);
const WHATSAPP: ReadonlySet<ChannelType> = new Set(['WhatsAppStandard', 'WhatsAppEnhanced']);
const FACEBOOK: ReadonlySet<ChannelType> = new Set(['FacebookStandard', 'FacebookEnhanced']);

/** The content of the message. */
export interface OutboundContent {
  readonly kind: 'freeform' | 'component';
  /** The name of the approved WhatsApp message template the message is (freeform, standard WhatsApp) or the component is linked to. */
  readonly approvedTemplate?: string;
  /** For a component: its dynamic parts (`dynamicParts` of the definition); empty when static. */
  readonly dynamicParts?: readonly DynamicPart[];
  /** For a freeform message: its text, checked against the channel's length rules (SMS: G:2892, G:3038). */
  readonly text?: string;
  /** The stored approved WhatsApp template named by `approvedTemplate` (its text with `{{n}}` placeholders); null when none is stored under that name. */
  readonly approved?: { readonly name: string; readonly text: string } | null;
  /** Problems of the messaging template the text was filled from: blank merge fields (G:5055), Messaging End User fields (G:5024). */
  readonly templateProblems?: readonly { readonly pointer: string; readonly code: string; readonly message: string }[];
  /** For a component: its type (`EnhancedLink`, …), for the bot rules. */
  readonly componentType?: string;
}

/** Everything the decision depends on. */
export interface OutboundInput {
  /** The channel's validated settings. */
  readonly settings: ChannelSettings;
  readonly platformKey: string;
  /** The rep (or, for an automatic notification, the flow or process) sending. */
  readonly repId: string;
  readonly content: OutboundContent;
  /** The rep checked "the customer consented to receive SMS messages" (enhanced SMS + New Conversation, B:27). */
  readonly consentAttested?: boolean;
  /** An automatic notification sent by a flow or process, not by a rep (G:390, G:4886-4894). */
  readonly automatic?: boolean;
  /** Who sends: a rep (default) or an enhanced bot, which may send only enhanced links (G:4868, G:5729). */
  readonly agentType?: 'Rep' | 'Bot';
  /** The messaging user on the channel, or undefined when there is none. */
  readonly user: { readonly consentStatus: ConsentStatus; readonly lastInboundAt?: number } | undefined;
  /** The user's open session on the channel, due expiries already applied; undefined when none. */
  readonly openSession: { readonly id: string; readonly status: SessionStatus; readonly repId?: string } | undefined;
  /** Epoch ms. */
  readonly now: number;
}

/** What a send does to sessions when it is allowed. */
export type OutboundSessionPlan =
  /** Create a session: `New` for a rep (ending at `expiresAt` without a response), `Ended` for an automatic notification (X:56). `supersedes` is a keyword-only (Consent) session to end first. */
  | { readonly action: 'create'; readonly status: 'New' | 'Ended'; readonly expiresAt?: number; readonly supersedes?: string }
  /** Add the message to the rep's own open session (G:6308: "You can send multiple messages to a customer before they respond"). */
  | { readonly action: 'join'; readonly id: string };

/** How a reply would be routed (B:13-16). */
export interface OutboundRouting {
  readonly capacityModel: CapacityModel;
  /** `SameRep`: back to the rep who sent the message (status-based capacity); `NewSession`: a new session any rep may pick up. */
  readonly reply: 'SameRep' | 'NewSession';
  readonly message: string;
}

export interface OutboundDecision {
  readonly allowed: boolean;
  /** Every failing rule, in a fixed order; empty when allowed. */
  readonly reasons: readonly OutboundReasonDetail[];
  /** A send creates the messaging user, `ExplicitlyOptedIn` with the ledger cause `attestation` (enhanced SMS, B:21-28). */
  readonly createsUser: boolean;
  readonly session: OutboundSessionPlan;
  readonly routing: OutboundRouting;
  /** SMS channels, freeform text: its encoding and segments (G:2902). */
  readonly sms?: SmsSegments;
}

/** A duration as people say it: `30 hours`, `7 days`, `8.5 days`. */
const hours = (ms: number): string => {
  const h = ms / HOUR;
  return h >= 48 ? `${Math.round((h / 24) * 10) / 10} days` : `${Math.round(h * 10) / 10} hours`;
};

/**
 * Decides whether an outbound message may be sent. Every rule is checked and every failure
 * reported:
 * 1. The channel type lets reps start conversations (all but Enhanced Web Chat), or, for an
 *    automatic notification, sends them.
 * 2. SMS and WhatsApp numbers are E.164 (B:29).
 * 3. A messaging user exists on the channel (B:18), except on enhanced SMS when the rep attests
 *    consent: the send then creates the user `ExplicitlyOptedIn` whatever the channel's consent
 *    type (B:21-28).
 * 4. The user's consent meets the channel's required level (G:3739); an opt-out never does.
 * 5. Automatic SMS notifications go only to numbers of the channel's country (G:4894).
 * 6. WhatsApp, more than 24 hours after the user's last message: no freeform message, only a
 *    component linked to an approved template, without dynamic content on enhanced WhatsApp (B:31);
 *    on standard WhatsApp, an approved template (G:2175).
 * 7. Facebook Messenger, more than seven days after the user's last message: nothing (B:33, G:2459).
 * 8. A rep can't message a customer who is in a live session with a different rep (B:17).
 * 9. SMS text: not over 840 characters (G:2892, G:6212), not over 160 on a short code (G:3038).
 * 10. Templates: a messaging template's merge fields all filled (G:5055), none of a Messaging End
 *     User (G:5024); on standard WhatsApp, a freeform message under an approved template is that
 *     template exactly, parameters aside (G:2255).
 * A user who never sent a message has no open window on WhatsApp or Messenger. Never throws.
 */
export function decideOutbound(input: OutboundInput): OutboundDecision {
  const { settings } = input;
  const automatic = input.automatic === true;
  const reasons: OutboundReasonDetail[] = [];
  const fail: Fail = (code, message, pointer, position) => {
    reasons.push({ code, message, pointer, ...(position !== undefined ? { position } : {}) });
  };
  // 0. What an enhanced bot may send (G:4868, G:5729)
  const botRefusal = input.agentType === 'Bot' && input.content.kind === 'component' ? botComponentRefusal(settings.type, input.content.componentType) : undefined;
  if (botRefusal !== undefined) fail(OutboundReason.BotComponentNotAllowed, botRefusal, '/content/component');
  checkChannel(input, automatic, fail);
  checkPhone(input, fail);
  const attestedNew = checkUser(input, automatic, fail);
  checkConsent(input, attestedNew, fail);
  if (automatic && SMS.has(settings.type)) checkSmsCountry(input, fail);
  checkWindows(input, fail);
  const session = planSession(input, automatic, fail);
  const sms = checkLength(input, fail);
  templateRules(settings.type, input.content, fail);
  return { allowed: reasons.length === 0, reasons, createsUser: attestedNew, session, routing: routingOf(settings, automatic), ...sms };
}

/** Records a reason the message can't be sent. */
type Fail = (code: OutboundReasonCode, message: string, pointer: string, position?: number) => void;

/** Rule 1: the channel type sends this kind of message. */
function checkChannel(input: OutboundInput, automatic: boolean, fail: Fail): void {
  const type = input.settings.type;
  if (automatic) {
    if (!AUTOMATIC.has(type)) {
      fail(OutboundReason.AutomaticNotSupported, `${type} channels don't send automatic notifications: ${type === 'FacebookEnhanced' ? '"triggered outbound messaging isn\'t supported in enhanced Facebook Messenger channels" (G:2488)' : 'only standard channels (G:390) and enhanced WhatsApp, Apple Messages for Business and In-App channels (X:61) do'}`, '/automatic');
    }
  } else if (NO_REP_INITIATED.has(type)) {
    fail(OutboundReason.ChannelNotSupported, `Reps can't start conversations on ${type} channels: business-initiated messaging covers every enhanced channel except Enhanced Web Chat (B:8-11, X:61)`, '/channelId');
  }
}

/** Rule 2: a phone number in E.164. */
function checkPhone(input: OutboundInput, fail: Fail): void {
  const { settings } = input;
  const type = settings.type;
  if (usesPhoneNumbers(type)) {
    const checked = checkE164(input.platformKey, settings.country);
    if ('problem' in checked) fail(OutboundReason.PhoneNotE164, `The messaging user's phone number must use the E.164 format, such as +12345678900 (B:29): ${checked.problem}`, '/platformKey');
  }
}

/** Rule 3: the messaging user exists, or is created on enhanced SMS by the rep's attestation. Returns whether it is created. */
function checkUser(input: OutboundInput, automatic: boolean, fail: Fail): boolean {
  const { user } = input;
  const type = input.settings.type;
  const attestedNew = user === undefined && type === 'SmsEnhanced' && input.consentAttested === true && !automatic;
  if (user === undefined && !attestedNew) {
    const how =
      type === 'SmsEnhanced'
        ? automatic
          ? ' Automatic notifications need an existing messaging user (G:5168-5175).'
          : ' On enhanced SMS a rep can start a conversation without one by attesting that the customer consented (consentAttested: true, B:21-27); the user is then created when the message is sent.'
        : ' Messaging users are created when customers first message you, or by an import, when you already have their consent (B:18).';
    fail(OutboundReason.NoMessagingUser, `${input.platformKey} has no messaging user record on this channel.${how}`, '/platformKey');
  }
  return attestedNew;
}

/** Rule 4: the user's consent meets the channel's. */
function checkConsent(input: OutboundInput, attestedNew: boolean, fail: Fail): void {
  const { settings, user } = input;
  const type = settings.type;
  const status: ConsentStatus | undefined = user?.consentStatus ?? (attestedNew ? 'ExplicitlyOptedIn' : undefined);
  if (status !== undefined && consentApplies(type)) {
    const required = consentTypeOf(settings);
    if (!meets(status, required)) {
      const note = user !== undefined && input.consentAttested === true && type === 'SmsEnhanced' ? ' Attesting consent creates new users only; it never overrides the stored status.' : '';
      fail(
        OutboundReason.ConsentNotMet,
        status === 'OptedOut'
          ? `${input.platformKey} opted out of messages on this channel (G:3753, G:6287); they must opt in again.${note}`
          : `${input.platformKey} is ${status}; the channel requires ${required} (G:3739).${note}`,
        '/platformKey',
      );
    }
  }
}

/** Rule 5: automatic SMS notifications stay in the channel's country. */
function checkSmsCountry(input: OutboundInput, fail: Fail): void {
  const { settings } = input;
  if (settings.country === undefined) {
    fail(OutboundReason.ChannelCountryMissing, 'Automatic SMS notifications are sent only within the country of the channel\'s number (G:4894), and this channel has no "country": set it', '/channelId');
  } else {
    const country = phoneModule().parsePhoneNumberFromString(input.platformKey)?.country;
    if (country !== settings.country) {
      fail(OutboundReason.SmsCountryMismatch, `Automatic SMS notifications are sent only within the country of the channel's number (G:4894, G:2897): the channel is in ${settings.country}, ${input.platformKey} ${country === undefined ? 'has no known country' : `is in ${country}`}`, '/platformKey');
    }
  }
}

/** Rules 6 and 7: the WhatsApp and Facebook Messenger messaging windows. */
function checkWindows(input: OutboundInput, fail: Fail): void {
  const { settings, user, now } = input;
  const type = settings.type;
  const last = user?.lastInboundAt;
  const since = last === undefined ? undefined : now - last;
  const lastText = since === undefined ? 'has never sent a message on this channel' : `last sent a message ${hours(since)} ago`;
  const content = input.content;
  if (WHATSAPP.has(type) && (since === undefined || since > WHATSAPP_WINDOW_MS)) {
    const enhanced = type === 'WhatsAppEnhanced';
    const template = content.approvedTemplate !== undefined && content.approvedTemplate.trim() !== '';
    if (content.kind === 'freeform' && (enhanced || !template)) {
      fail(
        OutboundReason.WhatsAppWindowClosed,
        enhanced
          ? `The customer ${lastText}: more than 24 hours after their last message, reps can't write freeform messages, only send a notification component linked to an approved WhatsApp template (B:31)`
          : `The customer ${lastText}: outside the 24-hour customer care window only pre-approved templates can be sent (G:2175); name the template in content.approvedTemplate`,
        '/content/kind',
      );
    }
    if (content.kind === 'component' && !template) {
      fail(OutboundReason.WhatsAppTemplateRequired, `The customer ${lastText}: after 24 hours a component must be linked to an approved WhatsApp message template (B:31); name it in content.approvedTemplate`, '/content/approvedTemplate');
    }
    const parts = content.dynamicParts ?? [];
    if (enhanced && content.kind === 'component' && parts.length > 0) {
      fail(OutboundReason.WhatsAppDynamicContent, `The customer ${lastText}: after 24 hours the component can't contain dynamic content (B:31), and it has ${parts.map((p) => `${p.pointer} (${p.message})`).join('; ')}`, '/content/component');
    }
  }
  if (FACEBOOK.has(type) && (since === undefined || since > FACEBOOK_WINDOW_MS)) {
    fail(OutboundReason.FacebookWindowClosed, `The customer ${lastText}: more than seven days after a customer's last message, nothing can be sent on Facebook Messenger (B:33, G:2459) until they write again`, '');
  }
}

/** Rule 8 and the session plan: a live session with a different rep refuses the message. */
function planSession(input: OutboundInput, automatic: boolean, fail: Fail): OutboundSessionPlan {
  const type = input.settings.type;
  const now = input.now;
  const open = input.openSession;
  let session: OutboundSessionPlan;
  if (automatic) session = { action: 'create', status: 'Ended' };
  else if (open === undefined || open.status === 'Consent') {
    const expiresAt = expiryOf('New', type, now);
    session = { action: 'create', status: 'New', ...(expiresAt !== undefined ? { expiresAt } : {}), ...(open !== undefined ? { supersedes: open.id } : {}) };
  } else if (open.repId !== undefined && open.repId === input.repId) session = { action: 'join', id: open.id };
  else {
    session = { action: 'join', id: open.id };
    fail(
      OutboundReason.SessionInProgress,
      `The customer is in a live messaging session (${open.id}, ${open.status}) ${open.repId !== undefined ? `with ${open.repId}` : 'waiting for a rep'}; a different rep can't start a business-initiated conversation until it ends (B:17, G:506)`,
      '/repId',
    );
  }
  return session;
}

/** Rule 9: SMS text length (G:2892, G:6212, G:3038); the segments of SMS text. */
function checkLength(input: OutboundInput, fail: Fail): { sms?: SmsSegments } {
  const type = input.settings.type;
  const content = input.content;
  const text = content.kind === 'freeform' ? content.text : undefined;
  for (const p of text === undefined ? [] : smsLengthProblems(text, type)) {
    fail(p.code === 'SMS_TOO_LONG' ? OutboundReason.SmsTooLong : OutboundReason.ShortCodeTooLong, p.message, '/content/text');
  }
  return text !== undefined && isSmsChannel(type) ? { sms: smsSegments(text) } : {};
}

/** Rule 10: the template rules (G:5055, G:5024, G:2255). */
function templateRules(type: ChannelType, content: OutboundContent, fail: Fail): void {
  for (const p of content.templateProblems ?? []) {
    fail(p.code === 'END_USER_MERGE_FIELD' ? OutboundReason.EndUserMergeField : OutboundReason.TemplateFieldBlank, p.message, p.pointer);
  }
  if (type !== 'WhatsAppStandard' || content.kind !== 'freeform' || content.approvedTemplate === undefined || content.approved === undefined) return;
  if (content.approved === null) {
    fail(OutboundReason.TemplateNotFound, `No approved WhatsApp template named ${content.approvedTemplate} is stored (PUT /v1/whatsapp-templates/{name}): the message must match its approved template exactly (G:2255), so it can't be checked`, '/content/approvedTemplate');
    return;
  }
  const d = compareWithApprovedTemplate(content.text ?? '', content.approved.text);
  if (d !== undefined) {
    fail(
      OutboundReason.TemplateMismatch,
      `The message differs from the approved template ${content.approved.name} at position ${d.position}: expected ${JSON.stringify(d.expected)}, found ${JSON.stringify(d.found)}. "Other than the merge fields, the template content must match your WhatsApp submission exactly, including spaces and line breaks" (G:2255)`,
      '/content/text',
      d.position,
    );
  }
}

/** How a reply to the message would be routed (B:13-16). */
export function routingOf(settings: ChannelSettings, automatic = false): OutboundRouting {
  const capacityModel = capacityModelOf(settings);
  if (automatic) {
    return { capacityModel, reply: 'NewSession', message: "An automatic notification's session ends at once (X:56): a reply starts a new session, routed to any available rep." };
  }
  const timeout = isStandardChannel(settings.type) ? '24 hours (G:6308)' : '48 hours (B:19)';
  return capacityModel === 'TabBased'
    ? { capacityModel, reply: 'NewSession', message: `Tab-based capacity: a reply is routed as a new messaging session, and a different rep may pick it up (B:16). The message uses no rep capacity until then (B:13); without a reply or opt-out within ${timeout} the session ends.` }
    : { capacityModel, reply: 'SameRep', message: `Status-based capacity: a reply is routed back to the same rep (B:15). The message uses no rep capacity until then (B:13); without a reply or opt-out within ${timeout} the session ends.` };
}
