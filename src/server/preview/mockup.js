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
