/**
 * The shapes of channel-object linking's results (docs/linking.md): a messaging user's link to a
 * record, who made it, a linking run's outcome, the suggestions and link history of a user, and
 * stored rules and records as the API shows them. Pure: the store persists them
 * (src/store/linking.ts), the linking service produces them (src/services/linking.ts).
 */
import type { LinkCandidate } from './match.js';
import type { LinkingRuleDefinition } from './rules.js';

/** Who made a link: a rule (automatically) or an agent. */
export type LinkedBy = { readonly kind: 'rule'; readonly ruleId: string } | { readonly kind: 'agent'; readonly agent: string; readonly key?: string };

/** A messaging user's link to a record; later messages from the user carry it. */
export interface UserLink {
  readonly object: string;
  readonly recordId: string;
  /** ISO 8601, UTC. */
  readonly linkedAt: string;
  readonly linkedBy: LinkedBy;
}

export interface StoredLinkingRule extends LinkingRuleDefinition {
  readonly id: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface StoredRecord {
  readonly object: string;
  readonly id: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type LinkOutcome = 'linked' | 'suggested' | 'none';

/** What a linking run (or an agent's link) did for one user. */
export interface LinkResult {
  readonly outcome: LinkOutcome;
  /** `linked`: the linked record; `suggested`: the candidates, by Id; `none`: empty. */
  readonly records: readonly LinkCandidate[];
  readonly link?: UserLink;
  /** The rule that linked or suggested. */
  readonly ruleId?: string;
  /** The rule's conditions matched more than MAX_CANDIDATES records: only the first ones (by Id) are suggested. */
  readonly truncated?: boolean;
  /** The user was linked already: no rule ran (or the agent's link was already the link). */
  readonly alreadyLinked?: boolean;
}

export interface LinkSuggestion extends LinkCandidate {
  readonly ruleId: string;
  readonly suggestedAt: string;
}

export interface LinkHistoryEntry {
  readonly action: 'linked';
  readonly object: string;
  readonly recordId: string;
  readonly by: LinkedBy;
  /** The link this one replaced (agents may relink a linked user). */
  readonly previous?: UserLink;
  readonly at: string;
}

/** A user's link, the suggestions awaiting review and every link made, oldest first. */
export interface LinkState {
  readonly link: UserLink | null;
  readonly suggestions: readonly LinkSuggestion[];
  readonly history: readonly LinkHistoryEntry[];
}

export interface RecordWriteCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}
