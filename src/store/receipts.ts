/**
 * Idempotent inbound messages. A message may carry the platform's own id for it (`messageId`: a
 * WhatsApp `wamid`, a Twilio `MessageSid`…), unique per channel. The first time an id is seen, the
 * message is processed and, in the same transaction, a receipt is written: the channel and id (the
 * primary key: the database refuses a second one), a fingerprint of the sender and text, and the
 * result as answered (`json`, not `jsonb`, so that it keeps its key order). A later message with
 * the same id on the same channel (a retry after a timeout, the same request on another server
 * instance, a platform redelivering) is not processed again: it gets the stored result. With another sender or text it is refused ({@link MessageIdReusedError}).
 *
 * Two copies of one message processed at the same moment (on two instances) both find no receipt;
 * the second one's insert waits for the first transaction and then violates the primary key, which
 * rolls its transaction back, and the processor's retry finds the first one's receipt.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from './database.js';

/** A message with a platform message id: what its receipt is keyed and checked by. */
export interface ReceiptKey {
  readonly channelId: string;
  readonly messageId?: string;
  readonly from: string;
  readonly text: string;
}

/** A second message with an id the channel already has, but another sender or text. */
export class MessageIdReusedError extends Error {
  readonly code = 'E_MESSAGE_ID_REUSED';
  constructor(
    readonly channelId: string,
    readonly messageId: string,
  ) {
    super(`The message id ${messageId} was already used on the channel ${channelId} by a message with another sender or text`);
    this.name = 'MessageIdReusedError';
  }
}

/** What identifies a message's content: the sender and the text. */
export function fingerprint(m: ReceiptKey): string {
  return createHash('sha256').update(m.from).update('\u0000').update(m.text).digest('base64url');
}

const receiptKey = (channelId: string, messageId: string): string => `${channelId}\u0000${messageId}`;

interface ReceiptRow {
  channel_id: string;
  message_id: string;
  fingerprint: string;
  result: unknown;
}

const FIND = `
  SELECT r.channel_id, r.message_id, r.fingerprint, r.result
  FROM inbound_receipts r JOIN unnest($1::text[], $2::text[]) AS x(channel_id, message_id)
    ON r.channel_id = x.channel_id AND r.message_id = x.message_id`;

/**
 * How a group of messages splits: the ones to process, and for every message that must not be
 * processed, what to answer instead: a stored result, a conflict, or (a second copy of a message
 * in the same group) the index of the copy that is processed.
 */
export interface ReceiptSplit<R> {
  /** Indexes of the messages to process, in order. */
  readonly todo: number[];
  /** Index → the answer of a message that is not processed. */
  readonly answered: Map<number, { readonly result: R } | { readonly error: MessageIdReusedError } | { readonly sameAs: number }>;
}

/** Looks up the group's message ids (one statement, none when no message has an id) and splits the group. */
export async function splitByReceipts<R>(tx: Queryable, msgs: readonly ReceiptKey[]): Promise<ReceiptSplit<R>> {
  const withId = msgs.filter((m) => m.messageId !== undefined);
  const stored = new Map<string, ReceiptRow>();
  if (withId.length > 0) {
    const rows = (await tx.query<ReceiptRow>(FIND, [withId.map((m) => m.channelId), withId.map((m) => m.messageId)], { prepare: 'parlance_inbound_receipts' })).rows;
    for (const r of rows) stored.set(receiptKey(r.channel_id, r.message_id), r);
  }
  const todo: number[] = [];
  const answered: ReceiptSplit<R>['answered'] = new Map();
  const firstInGroup = new Map<string, number>();
  msgs.forEach((m, i) => {
    if (m.messageId === undefined) {
      todo.push(i);
      return;
    }
    const key = receiptKey(m.channelId, m.messageId);
    const found = stored.get(key);
    const first = firstInGroup.get(key);
    const expected = found?.fingerprint ?? (first !== undefined ? fingerprint(msgs[first] as ReceiptKey) : undefined);
    if (expected !== undefined && expected !== fingerprint(m)) answered.set(i, { error: new MessageIdReusedError(m.channelId, m.messageId) });
    else if (found !== undefined) answered.set(i, { result: found.result as R });
    else if (first !== undefined) answered.set(i, { sameAs: first });
    else {
      firstInGroup.set(key, i);
      todo.push(i);
    }
  });
  return { todo, answered };
}
