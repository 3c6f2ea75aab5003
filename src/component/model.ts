/**
 * The component model: TypeScript types for component definitions (the JSON documents
 * described by `schemas/component.schema.json`), and the tables that drive validation.
 * See docs/components.md.
 */

/** The component types (CONTRACT.md §3). */
export const COMPONENT_TYPES = ['EnhancedLink', 'QuestionStaticOptions', 'QuestionDynamicOptions', 'TimeSelector', 'AutoResponse'] as const;
export type ComponentType = (typeof COMPONENT_TYPES)[number];

/** The format names (CONTRACT.md §3). */
export const FORMAT_TYPES = ['Buttons', 'QuickReplies', 'CardCarousel', 'Media', 'RichLink', 'WebPage', 'Text'] as const;
export type FormatType = (typeof FORMAT_TYPES)[number];

/** The formats' names as the Salesforce help writes them, for messages and docs. */
export const FORMAT_LABELS: Readonly<Record<FormatType, string>> = {
  Buttons: 'Buttons',
  QuickReplies: 'Quick Replies',
  CardCarousel: 'Card Carousel',
  Media: 'Media',
  RichLink: 'Rich Link',
  WebPage: 'Web Page',
  Text: 'Text',
};

/**
 * Formats allowed per component type: the union over channels of the seed's table
 * (SPEC-EXTRACT.md §4.2, G:3922-3930). Card Carousel exists on Messenger only, and Media and
 * Rich Link are the enhanced link's Messenger and In-App/Web formats; which channel shows which
 * format is the renderer's business.
 */
export const ALLOWED_FORMATS: Readonly<Record<ComponentType, readonly FormatType[]>> = {
  EnhancedLink: ['Media', 'RichLink', 'Text'],
  QuestionStaticOptions: ['Buttons', 'CardCarousel', 'QuickReplies', 'Text'],
  QuestionDynamicOptions: ['Buttons', 'CardCarousel', 'QuickReplies', 'Text'],
  TimeSelector: ['Buttons', 'QuickReplies', 'Text'],
  AutoResponse: ['WebPage', 'Text'],
};

/** The formats that show a list of options. */
export const OPTION_FORMATS: ReadonlySet<FormatType> = new Set(['Buttons', 'QuickReplies', 'CardCarousel']);
/** The formats that show a link. */
export const LINK_FORMATS: ReadonlySet<FormatType> = new Set(['Media', 'RichLink', 'WebPage']);

/** Scalar data types of constants and parameters. Url and Image are Text in formulas. */
export const SCALAR_DATA_TYPES = ['Text', 'Url', 'Image', 'Number', 'Boolean', 'Date', 'DateTime'] as const;
export type ScalarDataType = (typeof SCALAR_DATA_TYPES)[number];

export const CONSTANT_TYPES = [...SCALAR_DATA_TYPES, 'List<Option>'] as const;
export type ConstantType = (typeof CONSTANT_TYPES)[number];

export const PARAMETER_TYPES = [...SCALAR_DATA_TYPES, 'RecordId', 'List<RecordId>', 'List<TimeSlot>'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** One predefined option of a question with static options (G:4647). */
export interface Option {
  /** What customers see and select; the option's title by default. */
  readonly Name: string;
  readonly Subtitle?: string;
  /** An absolute http(s) URL. */
  readonly Image?: string;
  /** The value reported when the option is selected. Defaults to the Name. */
  readonly Id?: string;
}

/**
 * A time slot, as supplied in a `List<TimeSlot>` parameter: ISO 8601 date-times. The renderer
 * adds `label` (the slot formatted in the render's time zone and locale) before rendering, so
 * templates and option formulas can use it.
 */
export interface TimeSlot {
  readonly start: string;
  readonly end: string;
  readonly label?: string;
}

export type ConstantDeclaration =
  | { readonly type: 'Text' | 'Url' | 'Image' | 'Date' | 'DateTime'; readonly value: string; readonly description?: string }
  | { readonly type: 'Number'; readonly value: number | string; readonly description?: string }
  | { readonly type: 'Boolean'; readonly value: boolean; readonly description?: string }
  | { readonly type: 'List<Option>'; readonly value: readonly Option[]; readonly description?: string };

export type ParameterDeclaration =
  | { readonly type: ScalarDataType | 'List<TimeSlot>'; readonly description?: string }
  | { readonly type: 'RecordId' | 'List<RecordId>'; readonly object: string; readonly description?: string };

/** Where a format property's value comes from (the Component Builder's Type selector). */
export type Binding =
  | { readonly type: 'Literal'; readonly value: string }
  | { readonly type: 'Constant'; readonly name: string }
  | { readonly type: 'Parameter'; readonly name: string; readonly field?: string }
  | { readonly type: 'Formula'; readonly formula: string };

export type BindingType = Binding['type'];

/** The options of an options format, and how each option is shown. */
export interface OptionsSpec {
  /** `$Constants.<name>` or `$Parameters.<name>`. */
  readonly source: string;
  readonly title?: Binding;
  readonly subtitle?: Binding;
  readonly image?: Binding;
  readonly id?: Binding;
}

export interface OptionsFormat {
  readonly type: 'Buttons' | 'QuickReplies' | 'CardCarousel';
  readonly title: Binding;
  readonly options: OptionsSpec;
}

export interface MediaFormat {
  readonly type: 'Media';
  readonly title: Binding;
  readonly url: Binding;
  readonly image: Binding;
}

export interface RichLinkFormat {
  readonly type: 'RichLink';
  readonly title: Binding;
  readonly url: Binding;
  readonly image: Binding;
  readonly text?: Binding;
}

export interface WebPageFormat {
  readonly type: 'WebPage';
  readonly text?: Binding;
  readonly title: Binding;
  readonly url: Binding;
  /** Default `ChatMessage`. */
  readonly display?: 'ChatMessage' | 'Popup';
}

export interface TextFormat {
  readonly type: 'Text';
  /** A formula template. Absent: the generated Text version, at this place in the priority order. */
  readonly template?: string;
  /** Default `br`. */
  readonly lineBreaks?: 'br' | 'preserve';
}

export type Format = OptionsFormat | MediaFormat | RichLinkFormat | WebPageFormat | TextFormat;

export interface ListTemplateSpec {
  readonly name: string;
  readonly source: string;
  readonly template: string;
  readonly lineBreaks?: 'br' | 'preserve';
  readonly description?: string;
}

/** A component definition, as validated by `validateComponent`. */
export interface ComponentDefinition {
  readonly $schema?: string;
  readonly name: string;
  readonly label?: string;
  readonly description?: string;
  readonly type: ComponentType;
  readonly constants?: Readonly<Record<string, ConstantDeclaration>>;
  readonly parameters?: Readonly<Record<string, ParameterDeclaration>>;
  readonly listTemplates?: readonly ListTemplateSpec[];
  /**
   * Salesforce globals the component's formulas and templates read, with their members' types:
   * `{"$User": {"FirstName": "Text"}, "$Label": {"Greeting": "Text"}}`. Their values come with each
   * render request (`globals`). docs/components.md lists which globals Salesforce offers.
   */
  readonly globals?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** In priority order. */
  readonly formats?: readonly Format[];
}

/** Stable codes of component validation problems. Their meaning never changes; new codes may be added. */
export const ComponentErrorCode = {
  // reading
  InvalidJson: 'E_INVALID_JSON',
  ReadFile: 'E_READ_FILE',
  // schema
  NotAnObject: 'E_NOT_AN_OBJECT',
  TooDeep: 'E_TOO_DEEP',
  Required: 'E_REQUIRED',
  UnknownProperty: 'E_UNKNOWN_PROPERTY',
  WrongType: 'E_WRONG_TYPE',
  UnknownType: 'E_UNKNOWN_TYPE',
  InvalidValue: 'E_INVALID_VALUE',
  InvalidName: 'E_INVALID_NAME',
  InvalidUrl: 'E_INVALID_URL',
  Empty: 'E_EMPTY',
  ParameterValue: 'E_PARAMETER_VALUE',
  ConstantValue: 'E_CONSTANT_VALUE',
  // declarations
  DuplicateName: 'E_DUPLICATE_NAME',
  UnknownObject: 'E_UNKNOWN_OBJECT',
  DuplicateOptionId: 'E_DUPLICATE_OPTION_ID',
  DuplicateListTemplate: 'E_DUPLICATE_LIST_TEMPLATE',
  // formats
  FormatNotAllowed: 'E_FORMAT_NOT_ALLOWED',
  DuplicateFormat: 'E_DUPLICATE_FORMAT',
  OptionsRequired: 'E_OPTIONS_REQUIRED',
  OptionsSourceKind: 'E_OPTIONS_SOURCE_KIND',
  OptionsSourceConflict: 'E_OPTIONS_SOURCE_CONFLICT',
  OptionTitleRequired: 'E_OPTION_TITLE_REQUIRED',
  LinkRequired: 'E_LINK_REQUIRED',
  ContentRequired: 'E_CONTENT_REQUIRED',
  // references
  UnknownConstant: 'E_UNKNOWN_CONSTANT',
  UnknownParameter: 'E_UNKNOWN_PARAMETER',
  UnknownGlobal: 'E_UNKNOWN_GLOBAL',
  UnknownField: 'E_UNKNOWN_FIELD',
  NotARecord: 'E_NOT_A_RECORD',
  BindingType: 'E_BINDING_TYPE',
  // warnings
  Unused: 'W_UNUSED',
  FormatNeverFits: 'W_FORMAT_NEVER_FITS',
  DuplicateOptionName: 'W_DUPLICATE_OPTION_NAME',
  /** No formats, or only Text: the default text-only format (G:3919), the Text version on every channel. */
  TextOnly: 'W_TEXT_ONLY',
} as const;
export type ComponentErrorCode = (typeof ComponentErrorCode)[keyof typeof ComponentErrorCode];
