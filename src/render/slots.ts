/**
 * Time slots (SPEC-EXTRACT.md §6): `{start, end}` as ISO date-times, labelled in the render's
 * time zone and locale with luxon (DECISIONS.md "Time slots").
 */
import { DateTime, Interval } from 'luxon';

/** How a slot's start is written in its label: month, day and time, such as "Nov 21, 11:00 AM". */
export const SLOT_LABEL_FORMAT: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
/** A start label with the zone, for slots whose plain labels would read the same (the repeated hour when clocks fall back). */
export const SLOT_LABEL_WITH_ZONE_FORMAT: Intl.DateTimeFormatOptions = { ...SLOT_LABEL_FORMAT, timeZoneName: 'short' };
/** How a slot's end is written when it is on the same day: "12:00 PM". */
const SLOT_TIME_FORMAT: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };

/** A slot as options formulas and templates see it (`TimeSlot` in docs/components.md). */
export interface LabelledSlot {
  /** The start, as given. */
  readonly start: string;
  readonly end: string;
  /** The start in the render's zone and locale ("Nov 21, 11:00 AM"), unless the request gave its own label. */
  readonly label: string;
  /** The end, the same way. */
  readonly endLabel: string;
  /** The whole slot: "Nov 21, 11:00 AM – 12:00 PM". */
  readonly rangeLabel: string;
  /** The option identifier: the slot as an ISO 8601 interval in UTC, `start/end`. */
  readonly id: string;
}

/** Labels one slot whose start and end are valid ISO date-times (epoch ms given). */
export function labelSlot(slot: { readonly start: string; readonly end: string; readonly label?: string }, startMs: number, endMs: number, zone: string, locale: string): LabelledSlot {
  const start = DateTime.fromMillis(startMs, { zone, locale });
  const end = DateTime.fromMillis(endMs, { zone, locale });
  const sameDay = start.hasSame(end, 'day');
  const range = sameDay
    ? `${start.toLocaleString(SLOT_LABEL_FORMAT)} – ${end.toLocaleString(SLOT_TIME_FORMAT)}`
    : Interval.fromDateTimes(start, end).toLocaleString(SLOT_LABEL_FORMAT);
  return {
    start: slot.start,
    end: slot.end,
    label: slot.label ?? start.toLocaleString(SLOT_LABEL_FORMAT),
    endLabel: end.toLocaleString(SLOT_LABEL_FORMAT),
    rangeLabel: range,
    id: `${new Date(startMs).toISOString()}/${new Date(endMs).toISOString()}`,
  };
}

/**
 * Makes generated labels that read the same but start at different instants distinguishable by
 * adding the zone ("Nov 1, 1:30 AM EDT" and "Nov 1, 1:30 AM EST" when clocks fall back).
 * Labels the request gave are kept as they are.
 */
export function disambiguateLabels(slots: readonly unknown[], given: ReadonlySet<number>, zone: string, locale: string): unknown[] {
  const byLabel = new Map<string, Set<string>>();
  for (const s of slots) {
    if (!isLabelled(s)) continue;
    const starts = byLabel.get(s.label) ?? new Set<string>();
    starts.add(s.id.split('/')[0] as string);
    byLabel.set(s.label, starts);
  }
  return slots.map((s, i) => {
    if (!isLabelled(s) || given.has(i) || (byLabel.get(s.label)?.size ?? 0) < 2) return s;
    const start = DateTime.fromISO(s.id.split('/')[0] as string, { zone, locale });
    return { ...s, label: start.toLocaleString(SLOT_LABEL_WITH_ZONE_FORMAT) };
  });
}

function isLabelled(s: unknown): s is LabelledSlot {
  return s !== null && typeof s === 'object' && typeof (s as LabelledSlot).label === 'string' && typeof (s as LabelledSlot).id === 'string';
}
