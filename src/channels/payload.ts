/**
 * Native payloads: the rendered content of the chosen format, as the channel's platform takes it.
 * Every payload is `{platform, messages}`: the messages to send, in order, each in the platform's
 * own shape. Most renders are one message; a carousel with a question on Messenger is two (the
 * question, then the cards), and a Text version over the channel's text limit is split.
 * See docs/channels.md for every shape.
 */
import type { ChannelProfile, Platform } from './profiles.js';

/** One option as rendered: its identifier (what the platform reports back when it is picked) and what the customer sees. */
export interface RenderedOption {
  readonly id: string;
  readonly title: string;
  readonly subtitle?: string;
  readonly image?: string;
}

/** The channel-neutral content of the chosen format. */
export type RenderedContent =
  | { readonly type: 'Buttons' | 'QuickReplies' | 'CardCarousel'; readonly title: string; readonly options: readonly RenderedOption[] }
  | { readonly type: 'Media'; readonly title: string; readonly url: string; readonly image: string }
  | { readonly type: 'RichLink'; readonly title: string; readonly url: string; readonly image: string; readonly text?: string }
  | { readonly type: 'WebPage'; readonly text?: string; readonly title: string; readonly url: string; readonly display: 'ChatMessage' | 'Popup' }
  | { readonly type: 'Text'; readonly text: string };

export interface Payload {
  readonly platform: Platform;
  readonly messages: readonly unknown[];
}

export interface PayloadWarning {
  readonly code: string;
  readonly message: string;
}

/** Splits text into pieces of at most `limit` code points: at the last line break that fits, else the last space, else exactly at the limit. */
export function splitText(text: string, limit: number): string[] {
  const chars = Array.from(text);
  if (chars.length <= limit) return [text];
  const pieces: string[] = [];
  let rest = chars;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf('\n');
    let skip = 1;
    if (cut <= 0) {
      cut = window.lastIndexOf(' ');
      if (cut <= 0) {
        cut = limit;
        skip = 0;
      }
    }
    pieces.push(rest.slice(0, cut).join(''));
    rest = rest.slice(cut + skip);
  }
  pieces.push(rest.join(''));
  return pieces;
}

/**
 * Why the channel refuses this content's text, or undefined: on a channel whose `textOverLimit`
 * is `refuse` (SMS: "Messages over 840 characters aren't sent", G:2892, G:6212; a short code's
 * 160, G:3038), a Text version over the text limit is refused, never split.
 */
export function textOverLimit(profile: ChannelProfile, content: RenderedContent): string | undefined {
  if (profile.textOverLimit !== 'refuse' || profile.textLimit === undefined || content.type !== 'Text') return undefined;
  const n = Array.from(content.text).length;
  if (n <= profile.textLimit) return undefined;
  return `The text has ${n} characters; ${profile.label} sends at most ${profile.textLimit}${profile.textLimitReason !== undefined ? `: ${profile.textLimitReason}` : ''}. It is not split: shorten it`;
}

/** The text pieces a channel can carry, with a warning when there is more than one. */
function textPieces(text: string, profile: ChannelProfile, warnings: PayloadWarning[]): string[] {
  if (profile.textLimit === undefined) return [text];
  const pieces = splitText(text, profile.textLimit);
  if (pieces.length > 1) {
    warnings.push({
      code: 'W_TEXT_SPLIT',
      message: `The text has ${Array.from(text).length} characters; ${profile.label} carries at most ${profile.textLimit} per message, so it is sent as ${pieces.length} messages`,
    });
  }
  return pieces;
}

/** The word for "Select" in the request's language, from the profile's labels. */
function selectLabel(profile: ChannelProfile, locale: string): string {
  const labels = profile.labels?.select ?? { en: 'Select' };
  const language = locale.split('-')[0]?.toLowerCase() ?? 'en';
  return labels[language] ?? labels.en ?? 'Select';
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function isMediaHost(url: string, hosts: readonly string[]): boolean {
  const host = hostOf(url);
  return host !== undefined && hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

/** Builds the payload of a rendered format for a channel. */
export function buildPayload(profile: ChannelProfile, content: RenderedContent, locale: string): { payload: Payload; warnings: PayloadWarning[] } {
  const warnings: PayloadWarning[] = [];
  const messages = BUILDERS[profile.platform](content, profile, locale, warnings);
  return { payload: { platform: profile.platform, messages }, warnings };
}

type Builder = (content: RenderedContent, profile: ChannelProfile, locale: string, warnings: PayloadWarning[]) => unknown[];

/** Content that is not Text, on a platform that only takes text: the Text version is what is rendered there, so this never happens. */
function textOnly(content: RenderedContent): string {
  if (content.type !== 'Text') throw new Error(`Internal error: the ${content.type} format has no payload on a text-only platform`);
  return content.text;
}

/**
 * A Messenger quick reply of an option. Built by assignment in the Send API's key order, not with
 * a spread per option (this runs for every option of every render).
 */
function quickReply(o: RenderedOption): Record<string, unknown> {
  const reply: Record<string, unknown> = { content_type: 'text', title: o.title, payload: o.id };
  if (o.image !== undefined) reply.image_url = o.image;
  return reply;
}

/** Facebook Messenger Send API `message` objects (PLATFORM-FACTS.md §1; schemas/platform/messenger-message.schema.json). */
const messenger: Builder = (content, profile, locale, warnings) => {
  switch (content.type) {
    case 'Text':
      return textPieces(content.text, profile, warnings).map((text) => ({ text }));
    case 'QuickReplies':
      return [
        {
          text: content.title,
          quick_replies: content.options.map(quickReply),
        },
      ];
    case 'Buttons':
      return [
        {
          attachment: {
            type: 'template',
            payload: { template_type: 'button', text: content.title, buttons: content.options.map((o) => ({ type: 'postback', title: o.title, payload: o.id })) },
          },
        },
      ];
    case 'CardCarousel': {
      const select = selectLabel(profile, locale);
      const cards = {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'generic',
            elements: content.options.map((o) => {
              const element: Record<string, unknown> = { title: o.title };
              if (o.subtitle !== undefined) element.subtitle = o.subtitle;
              if (o.image !== undefined) element.image_url = o.image;
              element.buttons = [{ type: 'postback', title: select, payload: o.id }];
              return element;
            }),
          },
        },
      };
      // A message carries text or an attachment, never both: the question goes first.
      return content.title === '' ? [cards] : [...textPieces(content.title, profile, warnings).map((text) => ({ text })), cards];
    }
    case 'Media': {
      // The media template takes only Facebook-hosted media and a 20-character button title;
      // anything else is the one-card generic template, which shows the same link name and image.
      if (isMediaHost(content.image, profile.mediaTemplateHosts ?? []) && Array.from(content.title).length <= 20) {
        return [
          {
            attachment: {
              type: 'template',
              payload: { template_type: 'media', elements: [{ media_type: 'image', url: content.image, buttons: [{ type: 'web_url', url: content.url, title: content.title }] }] },
            },
          },
        ];
      }
      return [
        {
          attachment: {
            type: 'template',
            payload: { template_type: 'generic', elements: [{ title: content.title, image_url: content.image, default_action: { type: 'web_url', url: content.url } }] },
          },
        },
      ];
    }
    default:
      throw new Error(`Internal error: Messenger has no ${content.type} format`);
  }
};

/**
 * Messaging for In-App and Web: one structured message, modelled on the conversation entries
 * of Salesforce's Messaging for In-App and Web API (`StaticContentMessage`, `ChoicesMessage`).
 */
const embedded: Builder = (content) => {
  switch (content.type) {
    case 'Text':
      return [{ messageType: 'StaticContentMessage', staticContent: { formatType: 'Text', text: content.text } }];
    case 'Buttons':
    case 'QuickReplies':
    case 'CardCarousel':
      return [
        {
          messageType: 'ChoicesMessage',
          choices: {
            formatType: content.type,
            text: content.title,
            optionItems: content.options.map((o) => {
              const titleItem: { title: string; subTitle?: string } = { title: o.title };
              if (o.subtitle !== undefined) titleItem.subTitle = o.subtitle;
              const item: Record<string, unknown> = { optionIdentifier: o.id, titleItem };
              if (o.image !== undefined) item.image = { url: o.image };
              return item;
            }),
          },
        },
      ];
    case 'RichLink':
    case 'Media':
      return [
        {
          messageType: 'StaticContentMessage',
          staticContent: {
            formatType: 'RichLink',
            ...('text' in content && content.text !== undefined ? { text: content.text } : {}),
            linkItem: { url: content.url, titleItem: { title: content.title } },
            image: { url: content.image },
          },
        },
      ];
    case 'WebPage':
      return [
        {
          messageType: 'StaticContentMessage',
          staticContent: {
            formatType: 'WebPage',
            ...(content.text !== undefined ? { text: content.text } : {}),
            linkItem: { url: content.url, titleItem: { title: content.title } },
            display: content.display,
          },
        },
      ];
  }
};

/** WhatsApp Cloud API text messages (PLATFORM-FACTS.md §2), without the recipient. */
const whatsapp: Builder = (content, profile, _locale, warnings) =>
  textPieces(textOnly(content), profile, warnings).map((body) => ({ messaging_product: 'whatsapp', type: 'text', text: { body, preview_url: false } }));

/** An SMS body. */
const sms: Builder = (content, profile, _locale, warnings) => textPieces(textOnly(content), profile, warnings).map((body) => ({ body }));

/** Plain text, for channels with no richer payload. */
const text: Builder = (content, profile, _locale, warnings) => textPieces(textOnly(content), profile, warnings).map((t) => ({ text: t }));

const BUILDERS: Readonly<Record<Platform, Builder>> = { messenger, embedded, whatsapp, sms, text };
