import type { IToken } from '../../chevrotain.js';
import type { Span } from '../source.js';

/**
 * The offset just after a token. The lexer tracks start offsets only (positionTracking
 * 'onlyOffset': lines and columns come from SourceText when a diagnostic is located), so the
 * end is computed from the image. A token inserted by error recovery has a NaN offset.
 */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

/** The span of a token's text. */
export function tokenSpan(t: IToken): Span {
  return { start: t.startOffset, end: tokenEnd(t) };
}
