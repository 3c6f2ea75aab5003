/**
 * How a component's declared constant and parameter types look to formulas: pure (no catalog
 * access, no I/O), so the language service (src/language) can use it in a browser bundle.
 */
import { recordType, type FieldEntry, type FormulaType, type RecordType } from '../formula/types.js';

/** A List<Option> entry in formulas: `$ListItem.Value.Name`, or `Name` in an options formula. */
export const OPTION_RECORD: RecordType = recordType(
  ['Name', 'Subtitle', 'Image', 'Id'].map((name): FieldEntry => ({ name, type: 'Text' })),
  'Option',
);

/**
 * A List<TimeSlot> entry in formulas. `label` (the start), `endLabel` and `rangeLabel` are the
 * slot as text and `id` its option identifier, filled in by the renderer (in the render's time
 * zone and locale) before anything is rendered.
 */
export const TIME_SLOT_RECORD: RecordType = recordType(
  [
    { name: 'start', type: 'DateTime' },
    { name: 'end', type: 'DateTime' },
    { name: 'label', type: 'Text' },
    { name: 'endLabel', type: 'Text' },
    { name: 'rangeLabel', type: 'Text' },
    { name: 'id', type: 'Text' },
  ],
  'TimeSlot',
);

/** The formula type of a declared constant or parameter type; `Unknown` for anything else. */
export function formulaTypeOf(type: unknown, object: RecordType | undefined): FormulaType {
  switch (type) {
    case 'Text':
    case 'Url':
    case 'Image':
      return 'Text';
    case 'Number':
    case 'Boolean':
    case 'Date':
    case 'DateTime':
      return type;
    case 'List<Option>':
      return { kind: 'list', element: OPTION_RECORD };
    case 'List<TimeSlot>':
      return { kind: 'list', element: TIME_SLOT_RECORD };
    case 'RecordId':
      return object ?? 'Unknown';
    case 'List<RecordId>':
      return object !== undefined ? { kind: 'list', element: object } : 'Unknown';
    default:
      return 'Unknown';
  }
}
