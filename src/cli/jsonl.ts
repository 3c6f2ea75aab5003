/**
 * `parlance eval --jsonl`'s stream: reads stdin in the chunks it comes in, splits them into lines
 * as node's readline does, answers each line (eval-request.ts) and writes the answers together.
 */
import { StringDecoder } from 'node:string_decoder';
import type { BudgetOptions } from '../formula/runtime/budget.js';
import type { Evaluator } from '../services/evaluate.js';
import { answerLine, internalErrorLine, type LineAnswer } from './eval-request.js';

/** Output is written in chunks of about this many characters (or sooner, see runJsonl). */
const JSONL_CHUNK = 64 * 1024;

/** Any line end of readline: `\r\n`, `\n`, or a `\r` alone. */
const LINE_END = /\r?\n|\r(?!\n)/g;

/**
 * Splits text that comes in chunks into lines, as `readline` with `crlfDelay: Infinity` does:
 * `\n`, `\r\n` and a lone `\r` end a line (a `\r` at the end of a chunk and a `\n` at the start
 * of the next are one line end), and the text after the last line end is a last line unless it
 * is empty. Lines are slices of the chunk's text: nothing is copied per line.
 */
export class LineSplitter {
  private rest = '';
  private sawReturn = false;

  /** The lines that `chunk` completes. */
  push(chunk: string): string[] {
    let text = chunk;
    if (this.sawReturn) {
      this.sawReturn = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    if (this.rest !== '') {
      text = this.rest + text;
      this.rest = '';
    }
    const lines: string[] = [];
    let start = 0;
    if (!text.includes('\r')) {
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        lines.push(text.slice(start, end));
        start = end + 1;
      }
    } else {
      LINE_END.lastIndex = 0;
      for (let m = LINE_END.exec(text); m !== null; m = LINE_END.exec(text)) {
        lines.push(text.slice(start, m.index));
        start = LINE_END.lastIndex;
      }
      this.sawReturn = text.endsWith('\r');
    }
    this.rest = text.slice(start);
    return lines;
  }

  /** The last line, when the text does not end with a line end. */
  end(): string | undefined {
    const last = this.rest;
    this.rest = '';
    return last !== '' ? last : undefined;
  }
}

/** Whether a line is empty or only whitespace (`line.trim() === ''`); a request line starts with `{`. */
const isBlank = (line: string): boolean => line.charCodeAt(0) !== 123 && line.trim() === '';

/**
 * Streams: one line in, one line out, in order; a bad line gives an error line and the batch goes
 * on. Output lines are gathered and written together: when a chunk is full, and at the latest
 * once the input read so far is answered (a `setImmediate` after the lines of one input chunk),
 * so a client that writes one request and waits for its answer still gets it at once. Returns
 * the number of lines that failed.
 */
export async function runJsonl(evaluator: Evaluator, stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, budget: BudgetOptions | undefined): Promise<number> {
  const decoder = new StringDecoder('utf8');
  const splitter = new LineSplitter();
  const answer: LineAnswer = { text: '', ok: true };
  let failures = 0;
  let lineNo = 0;
  let pending = '';
  let scheduled = false;
  let drained: Promise<void> | undefined;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const written = stdout.write(pending);
    pending = '';
    if (!written && drained === undefined) {
      drained = new Promise<void>((resolve) =>
        stdout.once('drain', () => {
          drained = undefined;
          resolve();
        }),
      );
    }
  };
  const onLine = (line: string): void => {
    lineNo++;
    if (isBlank(line)) return;
    try {
      answerLine(evaluator, line, lineNo, budget, answer);
    } catch (e) {
      answer.text = internalErrorLine(e, lineNo);
      answer.ok = false;
    }
    if (!answer.ok) failures++;
    pending += answer.text;
    if (pending.length >= JSONL_CHUNK) flush();
  };
  for await (const chunk of stdin) {
    const lines = splitter.push(typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    for (let i = 0; i < lines.length; i++) onLine(lines[i] as string);
    if (pending !== '' && !scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    if (drained !== undefined) await drained;
  }
  // As readline: the text after the last line end is a line; an incomplete UTF-8 sequence at the very end is dropped.
  const last = splitter.end();
  if (last !== undefined) onLine(last);
  flush();
  if (drained !== undefined) await drained;
  return failures;
}
