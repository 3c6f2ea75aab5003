/** A half-open range of UTF-16 offsets into the source text: `[start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A span with its 1-based line and column, as reported to users. */
export interface Location extends Span {
  readonly line: number;
  readonly column: number;
}

/**
 * Source text with a lazily built line-start table, so offsets turn into line and column in
 * O(log lines) without rescanning the input.
 */
export class SourceText {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  /** Line and column (both 1-based) of an offset. */
  position(offset: number): { line: number; column: number } {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  }

  locate(span: Span): Location {
    const { line, column } = this.position(span.start);
    return { start: span.start, end: span.end, line, column };
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

export function cover(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
