import { getLookaheadPaths, LLkLookaheadStrategy, tokenMatcher, type ILookaheadStrategy, type IToken, type TokenType } from '../../chevrotain.js';

type AlternationOptions = Parameters<ILookaheadStrategy['buildLookaheadForAlternation']>[0];
type AlternationLookahead = ReturnType<ILookaheadStrategy['buildLookaheadForAlternation']>;

/** An alternative the next token can start, with the rest of each of its paths that start with that token. */
interface Candidate {
  readonly alternative: number;
  readonly rests: TokenType[][];
}

/**
 * chevrotain's LL(k) lookahead, with alternations dispatched on the next token first.
 *
 * The stock function for an `OR` that needs more than one token of lookahead (`primary`: a name
 * followed by `(` is a call, otherwise a reference) tries every path of every alternative in
 * order. This one computes the same paths (`getLookaheadPaths`), indexes them by the token type
 * they start with, and at run time tries only the alternatives the next token can start, in the
 * same order: it chooses the same alternative as the stock function (the first with a matching
 * path), in fewer steps. Alternations that one token decides (chevrotain already indexes
 * those), with predicates (`GATE`) or with an empty path keep the stock function.
 */
export class DispatchingLookahead extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: AlternationOptions): AlternationLookahead {
    const stock = (): AlternationLookahead => super.buildLookaheadForAlternation(options);
    if (options.hasPredicates || options.dynamicTokensEnabled) return stock();
    const alternatives = getLookaheadPaths({
      occurrence: options.prodOccurrence,
      rule: options.rule,
      prodType: 'Alternation',
      maxLookahead: options.maxLookahead,
    });
    if (alternatives.every((paths) => paths.every((path) => path.length === 1))) return stock();
    const byFirstToken: Candidate[][] = [];
    for (const [alternative, paths] of alternatives.entries()) {
      for (const path of paths) {
        const first = path[0];
        if (first === undefined || first.tokenTypeIdx === undefined) return stock();
        // The token types `first` matches: itself and, for a category, every member.
        for (const index of [first.tokenTypeIdx, ...(first.categoryMatches ?? [])]) {
          const candidates = (byFirstToken[index] ??= []);
          let last = candidates[candidates.length - 1];
          if (last?.alternative !== alternative) candidates.push((last = { alternative, rests: [] }));
          last.rests.push(path.slice(1));
        }
      }
    }
    // A token whose first candidate has a one-token path decides alone.
    const decided: Array<number | undefined> = byFirstToken.map((c) => (c[0]?.rests.some((r) => r.length === 0) === true ? c[0].alternative : undefined));
    return function (this: { LA(howMuch: number): IToken }): number | undefined {
      const index = this.LA(1).tokenTypeIdx;
      const alternative = decided[index];
      if (alternative !== undefined) return alternative;
      const candidates = byFirstToken[index];
      if (candidates === undefined) return undefined;
      for (let c = 0; c < candidates.length; c++) {
        const { alternative, rests } = candidates[c] as Candidate;
        next: for (let r = 0; r < rests.length; r++) {
          const rest = rests[r] as TokenType[];
          for (let i = 0; i < rest.length; i++) if (!tokenMatcher(this.LA(i + 2), rest[i] as TokenType)) continue next;
          return alternative;
        }
      }
      return undefined;
    };
  }
}
