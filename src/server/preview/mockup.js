/* global document */
/**
 * The chat-bubble mock-up of a render result (docs/rendering.md#the-result), for the preview page.
 * It draws the channel-neutral `content` in the style of the payload's platform; the options are
 * pictures of buttons, not controls, so they are list items, not buttons.
 */

/** An element with a class and text. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function describeUrl(url) {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return String(url);
  }
}

/** An image, or a box naming it when it doesn't load (the preview often has no network, and images are the component's own). */
function image(url, alt) {
  const img = el('img', 'mock-image');
  img.alt = alt;
  img.loading = 'lazy';
  img.referrerPolicy = 'no-referrer';
  img.addEventListener('error', () => {
    const missing = el('div', 'mock-image mock-image-missing', `${alt} (${describeUrl(url)})`);
    img.replaceWith(missing);
  });
  img.src = url;
  return img;
}

function bubble(text) {
  return el('p', 'bubble mock-text', text);
}

/** The texts of a Text render, one per message sent (long texts are split into several messages). */
function textMessages(result) {
  const messages = result.payload?.messages ?? [];
  const texts = messages
    .map((m) => {
      if (typeof m?.text === 'string') return m.text; // messenger, text
      if (typeof m?.text?.body === 'string') return m.text.body; // whatsapp
      if (typeof m?.body === 'string') return m.body; // sms
      if (typeof m?.staticContent?.text === 'string') return m.staticContent.text; // embedded
      return undefined;
    })
    .filter((t) => t !== undefined);
  return texts.length > 0 ? texts : [result.content?.text ?? result.text ?? ''];
}

/** The word on a carousel card's button, from the Messenger payload (it follows the request's language). */
function carouselButtonWord(result) {
  for (const m of result.payload?.messages ?? []) {
    const elements = m?.attachment?.payload?.elements;
    const title = Array.isArray(elements) ? elements[0]?.buttons?.[0]?.title : undefined;
    if (typeof title === 'string') return title;
  }
  return 'Select';
}

function options(content, kind, result) {
  const opts = Array.isArray(content.options) ? content.options : [];
  if (kind === 'CardCarousel') {
    const list = el('ul', 'mock-options mock-carousel');
    list.setAttribute('aria-label', `Carousel of ${opts.length} cards`);
    // The carousel scrolls sideways: it takes the focus, so the keyboard can scroll it too.
    list.tabIndex = 0;
    const word = carouselButtonWord(result);
    for (const o of opts) {
      const card = el('li', 'mock-card');
      if (o.image) card.append(image(o.image, `Image of ${o.title ?? 'the option'}`));
      const body = el('div', 'mock-card-body');
      body.append(el('p', 'mock-card-title', o.title ?? ''));
      if (o.subtitle) body.append(el('p', 'mock-card-subtitle', o.subtitle));
      card.append(body, el('span', 'mock-button', word));
      list.append(card);
    }
    return list;
  }
  const chips = kind === 'QuickReplies';
  const list = el('ul', `mock-options ${chips ? 'mock-chips' : 'mock-buttons'}`);
  list.setAttribute('aria-label', chips ? `${opts.length} quick replies` : `${opts.length} buttons`);
  for (const o of opts) {
    const item = el('li', chips ? 'mock-chip' : 'mock-button', o.title ?? '');
    if (o.subtitle) item.title = o.subtitle;
    list.append(item);
  }
  return list;
}

function linkCard(content, { withImage }) {
  const card = el('div', 'mock-link-card');
  if (withImage && content.image) card.append(image(content.image, `Link preview image for ${content.title ?? 'the link'}`));
  const body = el('div', 'mock-card-body');
  body.append(el('p', 'mock-card-title', content.title ?? ''), el('p', 'mock-card-url', describeUrl(content.url ?? '')));
  card.append(body);
  return card;
}

const FIELD_WORDS = { title: 'title', text: 'text', url: 'URL', image: 'image', 'option.title': 'option titles', 'option.subtitle': 'option subtitles', 'option.id': 'option ids' };

/** The look of each platform: the window the messages are drawn in. */
const CHROME = {
  messenger: { title: 'Messenger', sub: 'Typically replies instantly', className: 'chrome-messenger' },
  embedded: { title: 'Chat with us', sub: 'On the website', className: 'chrome-embedded' },
  whatsapp: { title: 'WhatsApp', sub: 'Business account', className: 'chrome-whatsapp' },
  sms: { title: 'Text Message', sub: 'SMS', className: 'chrome-phone' },
  text: { title: 'Text Message', sub: 'Text', className: 'chrome-phone' },
};

/**
 * The channel profile's rule that shaped a render: the chosen format's capacity and field limits
 * (docs/channels.md), or the text limit for a Text render.
 * @param {{format: string, skipped?: {format: string, code: string}[]}} result
 * @param {{label: string, formats?: Record<string, {options?: {min: number, max: number}, limits?: Record<string, number>}>, textLimit?: number} | undefined} channel
 */
export function ruleText(result, channel, { textVersion = false } = {}) {
  if (channel === undefined) return '';
  const format = textVersion ? 'Text' : result.format;
  if (format === 'Text') {
    const limit = channel.textLimit;
    const base = textVersion ? `${channel.label}: the Text version, options numbered in the text` : `${channel.label}: plain text`;
    return limit ? `${base}; messages longer than ${limit} characters are split.` : `${base}.`;
  }
  const profile = channel.formats?.[format];
  const parts = [];
  if (profile?.options) parts.push(profile.options.min === profile.options.max ? `exactly ${profile.options.max} options` : `${profile.options.min} to ${profile.options.max} options`);
  for (const [field, n] of Object.entries(profile?.limits ?? {})) if (field !== 'option.id') parts.push(`${FIELD_WORDS[field] ?? field} up to ${n} characters`);
  const skipped = (result.skipped ?? []).map((s) => s.format);
  const why = skipped.length > 0 ? ` (the first format that fits, after ${skipped.join(', ')})` : '';
  // The platform's own documentation the profile cites (the guide's G: lines are Salesforce's).
  const platformSources = (profile?.sources ?? []).filter((src) => !/^G:/.test(src));
  const source = platformSources.length > 0 ? ` Source: ${platformSources.join('; ')}.` : '';
  return `${channel.label} rule for ${format}${why}: ${parts.length > 0 ? parts.join(', ') : 'no limits on this format'}.${source}`;
}

/** The platform's window around the messages, with the rule that shaped them under it. */
export function platformFrame(mockup, platform, rule, channelType = '') {
  // Messaging for In-App is the same chat, inside the customer's app on a phone.
  const inApp = platform === 'embedded' && /InApp/i.test(channelType);
  const chrome = inApp ? { ...CHROME.embedded, sub: 'In your app', className: 'chrome-embedded chrome-inapp' } : CHROME[platform] ?? CHROME.text;
  const frame = el('figure', `mock-frame ${chrome.className}`);
  frame.dataset.platform = platform;
  const bar = el('div', 'mock-bar');
  bar.setAttribute('aria-hidden', 'true');
  bar.append(el('span', 'mock-avatar', chrome.title.slice(0, 1)), el('span', 'mock-bar-title', chrome.title), el('span', 'mock-bar-sub', chrome.sub));
  frame.append(bar, mockup);
  if (platform !== 'messenger' && platform !== 'embedded') {
    const compose = el('div', 'mock-compose', platform === 'whatsapp' ? 'Message' : 'Text Message');
    compose.setAttribute('aria-hidden', 'true');
    frame.append(compose);
  } else {
    const compose = el('div', 'mock-compose', platform === 'messenger' ? 'Aa' : 'Type your message…');
    compose.setAttribute('aria-hidden', 'true');
    frame.append(compose);
  }
  if (rule) frame.append(el('figcaption', 'mock-rule', rule));
  return frame;
}

/**
 * The mock-up of a render result: a list of messages as the customer would see them.
 * @param {{format: string, content: any, payload?: {platform?: string, messages?: unknown[]}, text?: string}} result
 * @param {{textVersion?: boolean}} [options] textVersion: draw the Text version (`result.text`) whatever the format
 */
export function renderMockup(result, { textVersion = false } = {}) {
  const platform = result.payload?.platform ?? 'text';
  const root = el('div', `mockup platform-${platform}`);
  root.dataset.platform = platform;
  const messages = el('ol', 'messages');
  messages.setAttribute('aria-label', 'Messages the customer sees');
  const message = () => {
    const li = el('li', 'msg');
    messages.append(li);
    return li;
  };
  const content = result.content ?? {};
  const kind = textVersion ? 'Text' : content.type ?? result.format;
  switch (kind) {
    case 'Buttons':
    case 'QuickReplies':
    case 'CardCarousel': {
      const li = message();
      if (content.title) li.append(bubble(content.title));
      li.append(options(content, kind, result));
      break;
    }
    case 'Media':
      message().append(linkCard(content, { withImage: true }));
      break;
    case 'RichLink': {
      const li = message();
      if (content.text) li.append(bubble(content.text));
      li.append(linkCard(content, { withImage: true }));
      break;
    }
    case 'WebPage': {
      const li = message();
      if (content.text) li.append(bubble(content.text));
      li.append(linkCard(content, { withImage: false }));
      li.append(el('p', 'mock-display', content.display === 'Popup' ? 'Opens in a pop-up window' : 'Shown as a chat message'));
      break;
    }
    default: {
      const texts = textVersion ? (result.format === 'Text' ? textMessages(result) : [result.text ?? '']) : textMessages(result);
      for (const t of texts) message().append(bubble(t));
    }
  }
  if (messages.childElementCount === 0) root.append(el('p', 'mock-empty', 'Nothing to show.'));
  else root.append(messages);
  return root;
}
