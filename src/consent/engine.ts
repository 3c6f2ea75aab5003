/**
 * The consent-and-keyword decision for one inbound message: what happens to the messaging user's
 * consent, which automated responses go out and in what order, and what happens to the session.
 * A pure function: no database, no network, no clock. The server reads the user and the open
 * session, calls {@link decideInbound}, and applies the decision (user, ledger entries, session,
 * responses) in one transaction. SPEC-EXTRACT §8.3 gives the flows; DECISIONS.md "Consent and
 * keywords" and docs/consent.md the rules the seeds leave open.
 */
import { findAutomatedResponse, LANGUAGE_RESPONSE_TYPE, type ConfiguredResponse } from './automated.js';
import { matchKeyword, type KeywordMatch } from './keywords.js';
import {
  canonicalLanguage,
  capacityModelOf,
  consentApplies,
  consentRank,
  consentTypeOf,
  CONSENT_STATUSES,
  isStandardChannel,
  meets,
  optOutClosesSessions,
  primaryLanguage,
  type ChannelSettings,
  type AutomatedResponseType,
  type ConsentStatus,
  type KeywordKind,
  type LanguageResponseKind,
  type LanguageSettings,
} from './settings.js';

/** Messaging session statuses (SPEC-EXTRACT §11). */
export const SESSION_STATUSES = ['New', 'Waiting', 'Active', 'Consent', 'Inactive', 'Error', 'Ended'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Statuses of a session that is still open: a new inbound message joins it. */
export const OPEN_SESSION_STATUSES: readonly SessionStatus[] = ['New', 'Waiting', 'Active', 'Consent', 'Inactive'];

/** Open statuses in which an agent, a bot or routing already has the session. */
const IN_CONVERSATION: ReadonlySet<SessionStatus> = new Set(['New', 'Waiting', 'Active', 'Inactive']);

/** What the engine needs to know about the messaging user. */
export interface MessagingUserState {
  readonly consentStatus: ConsentStatus;
  /** The user sent an opt-in keyword on a double opt-in channel and the double opt-in keyword is awaited. */
  readonly pendingDoubleOptIn?: boolean;
  /** BCP 47 tag of the user's language, when known. */
  readonly language?: string;
}

/** The user's open session on the channel (at most one, G:506). */
export interface OpenSessionSummary {
  readonly id: string;
  readonly status: SessionStatus;
  /** Every inbound message of the session so far was handled as a keyword. */
  readonly onlyKeywordsSoFar: boolean;
}

/** One inbound message and everything the decision depends on. */
export interface InboundInput {
  /** Validated settings (`validateChannelSettings(...).settings`). */
  readonly settings: ChannelSettings;
  /** The messaging user, or undefined when this is the user's first message (the user is created). */
  readonly user: MessagingUserState | undefined;
  /** The user's open session, or undefined. A session with status Ended or Error counts as none. */
  readonly session: OpenSessionSummary | undefined;
  readonly text: string;
  /** When the message arrived, epoch milliseconds; stamped on ledger entries. */
  readonly receivedAt: number;
  /** A bot answers the channel's new sessions: no conversation acknowledgment (G:5211). */
  readonly botInUse?: boolean;
}

/** Why a consent status changed, for the consent ledger (DECISIONS.md "The consent ledger"). */
export type ConsentCause =
  | { readonly kind: 'keyword'; readonly keyword: string; readonly keywordKind: KeywordKind; readonly language: string }
  /** The user's first message on a channel (G:3742): the engine's only cause besides keywords. */
  | { readonly kind: 'implicit' }
  /** Changes the server makes itself: an API call, an import, an attested outbound to a new number (B:28). */
  | { readonly kind: 'api' | 'import' | 'attestation'; readonly detail?: string };

/** One entry of the consent ledger. `from` is null when the user is created. */
export interface ConsentChange {
  readonly from: ConsentStatus | null;
  readonly to: ConsentStatus;
  readonly at: number;
  readonly cause: ConsentCause;
}

/** The kinds of automated response, by their settings field names (`type` has the trigger's metadata name). */
export type ResponseKind = LanguageResponseKind | 'customResponse' | 'conversationAcknowledgment' | 'startConversation' | 'endConversation' | 'endUserInactiveResponse' | 'endUserIdleResponse' | 'rerouteResponse';

const KIND_OF_TYPE: Readonly<Record<AutomatedResponseType, ResponseKind>> = {
  InitialResponse: 'conversationAcknowledgment',
  AgentEngagedResponse: 'startConversation',
  AgentEndEngagementResponse: 'endConversation',
  EndUserInactiveResponse: 'endUserInactiveResponse',
  EndUserIdleResponse: 'endUserIdleResponse',
  RerouteResponse: 'rerouteResponse',
  OptInPrompt: 'optInPrompt',
  OptInConfirmation: 'optInConfirmation',
  DoubleOptInPrompt: 'doubleOptInPrompt',
  OptOutConfirmation: 'optOutConfirmation',
  HelpResponse: 'helpResponse',
  CustomResponse: 'customResponse',
};

/** The settings field name of a trigger: `InitialResponse` → `conversationAcknowledgment`. */
export function responseKindOf(type: AutomatedResponseType): ResponseKind {
  return KIND_OF_TYPE[type];
}

/** An automated response, in send order. */
export interface AutoResponse {
  readonly kind: ResponseKind;
  /** The trigger, by its metadata name (`InitialResponse`, `OptOutConfirmation`, …). */
  readonly type: AutomatedResponseType;
  /** The language of the response (a configured language tag). */
  readonly language: string;
  /** The text. For a component response, empty until the component is rendered (`sendAutoResponse`, src/sessions/auto-responses.ts). */
  readonly text: string;
  /** The name of the auto-response component to send (In-App and Web), when the response is one. */
  readonly component?: string;
}

/** The response to send for a configured one. */
export function autoResponseOf(r: ConfiguredResponse): AutoResponse {
  return { kind: KIND_OF_TYPE[r.type], type: r.type, language: r.language, text: r.text ?? '', ...(r.component !== undefined ? { component: r.component } : {}) };
}

/** Why the session is or isn't handed to routing (stable codes). */
export const RouteReason = {
  /** The session's first routable message: the session becomes Waiting. */
  NewInquiry: 'NEW_INQUIRY',
  /** The user just gave the consent the channel requires, and the session holds an earlier inquiry. */
  ConsentGiven: 'CONSENT_GIVEN',
  /** A message after the session was marked Inactive: back to Waiting (G:491). */
  Rerouted: 'REROUTED_FROM_INACTIVE',
  /** A reply to an agent-initiated (New) session (G:3044). */
  ReplyToOutbound: 'REPLY_TO_OUTBOUND',
  /** Every message of the session so far is a keyword: status Consent (G:487, DECISIONS.md §15.20). */
  KeywordsOnly: 'KEYWORDS_ONLY',
  /** The user hasn't reached the channel's required consent level: held as Consent until they opt in. */
  ConsentRequired: 'CONSENT_REQUIRED',
  /** The user opted out; only an opt-in keyword (or the API) opts them back in. */
  OptedOut: 'OPTED_OUT',
  /** A keyword doesn't change the status of a session that already has an inquiry. */
  KeywordMessage: 'KEYWORD_MESSAGE',
  /** The session is already Waiting or Active. */
  AlreadyRouted: 'ALREADY_ROUTED',
  /** The opt-out ended the session (G:3753). */
  SessionEnded: 'SESSION_ENDED',
} as const;
export type RouteReasonCode = (typeof RouteReason)[keyof typeof RouteReason];

/** The user after the message. */
export interface UserDecision {
  /** The user didn't exist and must be created. */
  readonly created: boolean;
  readonly consentStatus: ConsentStatus;
  readonly pendingDoubleOptIn: boolean;
  /** The language of the last keyword the user sent, else the language they had. */
  readonly language?: string;
}

/** Everything the server must apply for one inbound message. */
export interface InboundDecision {
  readonly user: UserDecision;
  /** Ledger entries to write in the same transaction (at most one per message). */
  readonly consentChanges: readonly ConsentChange[];
  /** The keyword the message was handled as, or null. */
  readonly matched: KeywordMatch | null;
  /**
   * A keyword the message is, handled as ordinary text instead: an opt-in keyword ("Yes") from a
   * user who already has the required consent, inside a session an agent or bot is handling.
   */
  readonly ignoredKeyword?: KeywordMatch;
  /** Automated responses, in send order. */
  readonly responses: readonly AutoResponse[];
  /** End every open session of this user on this channel, this message's included (opt-out, G:3753). */
  readonly closeOpenSessions: boolean;
  /** The message starts a new session (there was no open one). */
  readonly newSession: boolean;
  /** The status of the session this message belongs to, after the message. */
  readonly sessionStatus: SessionStatus;
  /** The session's inbound messages, this one included, were all handled as keywords. */
  readonly onlyKeywordsSoFar: boolean;
  /** Hand the session to routing now (it just became Waiting). */
  readonly route: boolean;
  readonly routeReason: RouteReasonCode;
  /**
   * A routed reply to a rep's business-initiated (New) session goes by the channel's capacity model
   * (B:14-16): `SameRep` keeps the session, now Waiting, with the rep who sent the message;
   * `NewSession` ends the New session and routes the message as a new session (`sessionStatus`)
   * that any rep may pick up. Absent otherwise.
   */
  readonly replyRouting?: 'SameRep' | 'NewSession';
}

const isConsentStatus = (v: unknown): v is ConsentStatus => typeof v === 'string' && (CONSENT_STATUSES as readonly string[]).includes(v);

/** The configured language that best serves a tag: the same tag, else the same primary language, else undefined. */
export function findLanguage(settings: ChannelSettings, tag: string | undefined): LanguageSettings | undefined {
  if (tag === undefined) return undefined;
  const canonical = canonicalLanguage(tag);
  if (canonical === undefined) return undefined;
  const langs = settings.languages;
  return langs.find((l) => canonicalLanguage(l.language) === canonical) ?? langs.find((l) => primaryLanguage(l.language) === primaryLanguage(canonical));
}

/**
 * A language response's text: in `language` if configured there, else in the default language,
 * wherever it is configured (`languages[].responses` or `automatedResponses`). Undefined when
 * there is none, or when it is a component.
 */
export function responseText(settings: ChannelSettings, kind: LanguageResponseKind, language: string | undefined): { readonly language: string; readonly text: string } | undefined {
  const r = findAutomatedResponse(settings, LANGUAGE_RESPONSE_TYPE[kind], language);
  return r?.text === undefined ? undefined : { language: r.language, text: r.text };
}

/**
 * Decides what one inbound message does (SPEC-EXTRACT §8.3):
 * - A new user is created `ImplicitlyOptedIn` (sending a message is implicit consent, G:3742),
 *   or `OptedOut` when the first message is an opt-out keyword. Standard channels confirm an
 *   implicit opt-in; enhanced channels don't (G:3742, G:5232).
 * - Opt-out keyword → `OptedOut`, the opt-out confirmation (even to users who never opted in,
 *   G:3090) and every open session ended, except on standard Facebook Messenger (G:2461).
 * - Help and custom keywords → their response, whatever the user's consent (G:3102).
 * - Opt-in keyword → at least `ExplicitlyOptedIn` and the opt-in confirmation; on double opt-in
 *   channels the double opt-in prompt instead, and the double opt-in keyword then gives
 *   `DoublyOptedIn` and the confirmation (G:3743-3752).
 * - A message from a user below the channel's required level is held (session status Consent, not
 *   routed) and answered once per session with the opt-in prompt (G:3054).
 * - A session whose messages are all keywords has status Consent and isn't routed (§15.20). The
 *   first routable message makes it Waiting; the conversation acknowledgment follows any opt-in
 *   confirmation (G:5211).
 * Keyword responses are in the keyword's language (G:3116); others in the user's language, else
 * the channel's default. Never throws.
 */
export function decideInbound(input: InboundInput): InboundDecision {
  const { settings } = input;
  const type = settings.type;
  const consentType = consentTypeOf(settings);
  const applies = consentApplies(type);
  const double = applies && consentType === 'DoubleOptIn';
  const text = typeof input.text === 'string' ? input.text : '';
  const prev = input.user;
  const created = prev === undefined;
  // An unknown stored status is treated as OptedOut: never message someone on a guess.
  const before: ConsentStatus | null = created ? null : isConsentStatus(prev.consentStatus) ? prev.consentStatus : 'OptedOut';
  let status: ConsentStatus = before ?? 'ImplicitlyOptedIn';
  let pending = double && prev?.pendingDoubleOptIn === true && status !== 'DoublyOptedIn' && status !== 'OptedOut';
  let cause: ConsentCause = { kind: 'implicit' };

  const session = input.session !== undefined && OPEN_SESSION_STATUSES.includes(input.session.status) ? input.session : undefined;
  const inConversation = session !== undefined && IN_CONVERSATION.has(session.status);
  const userLanguage = findLanguage(settings, prev?.language)?.language ?? settings.defaultLanguage;

  const responses: AutoResponse[] = [];
  const send = (type: AutomatedResponseType, language: string, at?: 'start'): void => {
    const r = findAutomatedResponse(settings, type, language);
    if (r === undefined) return;
    if (at === 'start') responses.unshift(autoResponseOf(r));
    else responses.push(autoResponseOf(r));
  };
  const say = (kind: LanguageResponseKind, language: string): void => send(LANGUAGE_RESPONSE_TYPE[kind], language);

  let matched: KeywordMatch | null = matchKeyword(settings, text) ?? null;
  let ignoredKeyword: KeywordMatch | undefined;
  if (matched !== null && (matched.kind === 'optIn' || matched.kind === 'doubleOptIn') && inConversation && !pending && meets(status, consentType)) {
    // "Yes" answering an agent's question, from a user who needs no opt-in: conversation text.
    ignoredKeyword = matched;
    matched = null;
  }

  if (matched !== null) ({ status, pending, cause } = applyKeyword(matched, { status, pending, cause }, double, responses, say, settings));
  const isKeyword = matched !== null;

  // Implicit opt-in on a standard channel is confirmed (G:3742), before any keyword's response.
  if (created && applies && consentType === 'ImplicitOptIn' && isStandardChannel(type) && status === 'ImplicitlyOptedIn') {
    send('OptInConfirmation', matched?.language ?? userLanguage, 'start');
  }

  const meetsNow = !applies || meets(status, consentType);
  const newSession = session === undefined;
  const heldBefore = session?.status === 'Consent' && !session.onlyKeywordsSoFar;

  // A held user's inquiry is answered with the prompt, once per session.
  if (!isKeyword && !meetsNow && !inConversation && !heldBefore) say(pending ? 'doubleOptInPrompt' : 'optInPrompt', userLanguage);

  const closeOpenSessions = matched?.kind === 'optOut' && applies && optOutClosesSessions(type);
  const onlyKeywordsSoFar = (session?.onlyKeywordsSoFar ?? true) && isKeyword;
  const notRoutable = status === 'OptedOut' ? RouteReason.OptedOut : RouteReason.ConsentRequired;
  const { sessionStatus, route, routeReason, replyRouting } = routeSession(session, settings, { closeOpenSessions, onlyKeywordsSoFar, meetsNow, isKeyword, notRoutable });

  // The conversation acknowledgment answers the session's first routable message, after any opt-in
  // confirmation; while a bot is in use it is disabled, the bot answering instead (G:5211).
  if (route && (newSession || session?.status === 'Consent') && input.botInUse !== true) send('InitialResponse', userLanguage);
  // A message after the session was marked inactive reroutes it (G:491): the reroute response.
  if (route && routeReason === RouteReason.Rerouted) send('RerouteResponse', userLanguage);

  const consentChanges: ConsentChange[] = before !== status ? [{ from: before, to: status, at: input.receivedAt, cause }] : [];
  const language = matched !== null ? matched.language : prev?.language;
  return {
    user: { created, consentStatus: status, pendingDoubleOptIn: pending, ...(language !== undefined ? { language } : {}) },
    consentChanges,
    matched,
    ...(ignoredKeyword !== undefined ? { ignoredKeyword } : {}),
    responses,
    closeOpenSessions,
    newSession,
    sessionStatus,
    onlyKeywordsSoFar,
    route,
    routeReason,
    ...(replyRouting !== undefined ? { replyRouting } : {}),
  };
}

/** A user's consent as the decision moves it: the status, a pending double opt-in, and why it last changed. */
interface ConsentState {
  readonly status: ConsentStatus;
  readonly pending: boolean;
  readonly cause: ConsentCause;
}

/** Step 1 of {@link decideInbound}: what a keyword does to consent, and the responses it asks for (`say`, or pushed to `responses`). */
function applyKeyword(
  matched: KeywordMatch,
  state: ConsentState,
  double: boolean,
  responses: AutoResponse[],
  say: (kind: LanguageResponseKind, language: string) => void,
  settings: ChannelSettings,
): ConsentState {
  let { status, pending, cause } = state;
  const keywordCause: ConsentCause = { kind: 'keyword', keyword: matched.keyword, keywordKind: matched.kind, language: matched.language };
  const lang = matched.language;
  switch (matched.kind) {
    case 'optOut':
      if (status !== 'OptedOut') {
        status = 'OptedOut';
        cause = keywordCause;
      }
      pending = false;
      say('optOutConfirmation', lang);
      break;
    case 'help':
      say('helpResponse', lang);
      break;
    case 'custom':
      if (matched.custom?.response !== undefined) responses.push({ kind: 'customResponse', type: 'CustomResponse', language: lang, text: matched.custom.response });
      else if (matched.custom !== undefined) {
        // A group without its own response: the language's CustomResponse (docs/auto-responses.md).
        const r = findAutomatedResponse(settings, 'CustomResponse', lang);
        if (r !== undefined) responses.push(autoResponseOf(r));
      }
      break;
    case 'optIn':
      if (double && status === 'DoublyOptedIn') say('optInConfirmation', lang);
      else {
        if (consentRank(status) < consentRank('ExplicitlyOptedIn')) {
          status = 'ExplicitlyOptedIn';
          cause = keywordCause;
        }
        if (double) {
          pending = true;
          say('doubleOptInPrompt', lang);
        } else say('optInConfirmation', lang);
      }
      break;
    case 'doubleOptIn':
      if (status === 'DoublyOptedIn') say('optInConfirmation', lang);
      else if (pending) {
        status = 'DoublyOptedIn';
        cause = keywordCause;
        pending = false;
        say('optInConfirmation', lang);
      } else say('optInPrompt', lang); // a confirmation of nothing: ask for the opt-in first
      break;
  }
  return { status, pending, cause };
}

/** Where the message's session goes and whether it is routed to an agent. */
interface SessionRouting {
  readonly sessionStatus: SessionStatus;
  readonly route: boolean;
  readonly routeReason: RouteReasonCode;
  readonly replyRouting: 'SameRep' | 'NewSession' | undefined;
}

/** Step 2 of {@link decideInbound}: the session's next status and the routing, from the consent the message left. */
function routeSession(
  session: InboundInput['session'],
  settings: ChannelSettings,
  o: { readonly closeOpenSessions: boolean; readonly onlyKeywordsSoFar: boolean; readonly meetsNow: boolean; readonly isKeyword: boolean; readonly notRoutable: RouteReasonCode },
): SessionRouting {
  const { closeOpenSessions, onlyKeywordsSoFar, meetsNow, isKeyword, notRoutable } = o;
  let sessionStatus: SessionStatus;
  let route = false;
  let routeReason: RouteReasonCode;
  let replyRouting: 'SameRep' | 'NewSession' | undefined;
  if (closeOpenSessions) {
    sessionStatus = 'Ended';
    routeReason = RouteReason.SessionEnded;
  } else if (session === undefined || session.status === 'Consent') {
    if (onlyKeywordsSoFar) {
      sessionStatus = 'Consent';
      routeReason = RouteReason.KeywordsOnly;
    } else if (!meetsNow) {
      sessionStatus = 'Consent';
      routeReason = notRoutable;
    } else {
      sessionStatus = 'Waiting';
      route = true;
      routeReason = isKeyword ? RouteReason.ConsentGiven : RouteReason.NewInquiry;
    }
  } else if (session.status === 'Inactive' || session.status === 'New') {
    sessionStatus = session.status;
    if (isKeyword) routeReason = RouteReason.KeywordMessage;
    else if (!meetsNow) routeReason = notRoutable;
    else {
      sessionStatus = 'Waiting';
      route = true;
      routeReason = session.status === 'Inactive' ? RouteReason.Rerouted : RouteReason.ReplyToOutbound;
      if (session.status === 'New') replyRouting = capacityModelOf(settings) === 'TabBased' ? 'NewSession' : 'SameRep';
    }
  } else {
    sessionStatus = session.status;
    routeReason = RouteReason.AlreadyRouted;
  }
  return { sessionStatus, route, routeReason, replyRouting };
}
