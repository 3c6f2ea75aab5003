/**
 * The objects channel-object linking matches messaging users against (SPEC-EXTRACT §10.1: "contacts,
 * leads, and person accounts", G:5834): Contact, Lead, PersonAccount and the custom objects
 * (`…__c`) of the object catalog.
 *
 * Salesforce keeps person accounts as Account records with person fields (`PersonEmail`,
 * `PersonMobilePhone`…). The component catalog describes Account without them, so linking adds a
 * `PersonAccount` object: Account's fields and the person fields. A catalog that defines
 * `PersonAccount` itself keeps its own definition.
 *
 * Records are stored flat: the object's own fields, no relationships (`Account.Name` is not a
 * field of a Contact record; `AccountId` is).
 */
import type { FieldDefinition, ObjectCatalog, ObjectDefinition } from '../catalog/catalog.js';
import { didYouMean } from '../component/data.js';
import { recordType, type RecordType, type ScalarTypeName } from '../formula/types.js';

/** The standard objects linking rules may target. Custom objects (`…__c`) of the catalog are linkable too. */
export const LINKABLE_STANDARD_OBJECTS: readonly string[] = ['Contact', 'Lead', 'PersonAccount'];

/** The person fields a person account has besides Account's (Salesforce's API names). */
const PERSON_FIELDS: Readonly<Record<string, { type: ScalarTypeName; label: string; references?: string; relationshipName?: string; values?: string[] }>> = {
  IsPersonAccount: { type: 'Boolean', label: 'Is Person Account' },
  PersonContactId: { type: 'Id', label: 'Person Contact ID', references: 'Contact', relationshipName: 'PersonContact' },
  Salutation: { type: 'Picklist', label: 'Salutation', values: ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'] },
  FirstName: { type: 'Text', label: 'First Name' },
  MiddleName: { type: 'Text', label: 'Middle Name' },
  LastName: { type: 'Text', label: 'Last Name' },
  PersonTitle: { type: 'Text', label: 'Title' },
  PersonDepartment: { type: 'Text', label: 'Department' },
  PersonEmail: { type: 'Text', label: 'Email' },
  PersonMobilePhone: { type: 'Text', label: 'Mobile' },
  PersonHomePhone: { type: 'Text', label: 'Home Phone' },
  PersonOtherPhone: { type: 'Text', label: 'Other Phone' },
  PersonAssistantName: { type: 'Text', label: 'Assistant' },
  PersonAssistantPhone: { type: 'Text', label: 'Asst. Phone' },
  PersonBirthdate: { type: 'Date', label: 'Birthdate' },
  PersonLeadSource: { type: 'Picklist', label: 'Lead Source', values: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] },
  PersonMailingStreet: { type: 'Text', label: 'Mailing Street' },
  PersonMailingCity: { type: 'Text', label: 'Mailing City' },
  PersonMailingState: { type: 'Text', label: 'Mailing State/Province' },
  PersonMailingPostalCode: { type: 'Text', label: 'Mailing Zip/Postal Code' },
  PersonMailingCountry: { type: 'Text', label: 'Mailing Country' },
  PersonHasOptedOutOfEmail: { type: 'Boolean', label: 'Email Opt Out' },
  PersonDoNotCall: { type: 'Boolean', label: 'Do Not Call' },
};

/** The PersonAccount definition: the catalog's Account fields, then the person fields. */
function personAccountDefinition(account: ObjectDefinition): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const spec = (f: Omit<FieldDefinition, 'name'>): Record<string, unknown> => ({
    type: f.type,
    label: f.label,
    ...(f.description !== undefined ? { description: f.description } : {}),
    ...(f.references !== undefined ? { references: f.references } : {}),
    ...(f.references !== undefined && f.relationshipName !== undefined ? { relationshipName: f.relationshipName } : {}),
    ...(f.values !== undefined ? { values: [...f.values] } : {}),
  });
  const taken = new Set(account.fields.map((f) => f.name.toLowerCase()));
  for (const f of account.fields) fields[f.name] = spec(f);
  for (const [name, f] of Object.entries(PERSON_FIELDS)) if (!taken.has(name.toLowerCase())) fields[name] = spec(f);
  return { name: 'PersonAccount', label: 'Person Account', description: 'A person account: an Account record that stands for one person, with the person fields.', fields };
}

/** An object records can be stored for and rules can target. */
export interface LinkableObject {
  /** The API name, as the catalog spells it. */
  readonly name: string;
  readonly definition: ObjectDefinition;
  /** The object's own fields, no relationships: what stored records hold and filters read. */
  readonly type: RecordType;
  /** Field by lower-cased name. */
  readonly fields: ReadonlyMap<string, FieldDefinition>;
}

export type Resolved<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly message: string };

/** The linkable objects of a catalog. Immutable. */
export class LinkingObjects {
  readonly #objects = new Map<string, LinkableObject>();
  readonly #catalog: ObjectCatalog;

  private constructor(catalog: ObjectCatalog) {
    this.#catalog = catalog;
  }

  /** The linkable objects of `catalog`, with PersonAccount added unless the catalog has one. */
  static from(catalog: ObjectCatalog): LinkingObjects {
    const account = catalog.get('Account');
    const full = !catalog.has('PersonAccount') && account !== undefined ? catalog.withObjects([personAccountDefinition(account)]) : catalog;
    const objects = new LinkingObjects(full);
    for (const name of full.names()) {
      const def = full.get(name) as ObjectDefinition;
      if (!LINKABLE_STANDARD_OBJECTS.some((s) => s.toLowerCase() === name.toLowerCase()) && !name.endsWith('__c')) continue;
      objects.#objects.set(name.toLowerCase(), {
        name: def.name,
        definition: def,
        type: recordType(
          def.fields.map((f) => ({ name: f.name, type: f.type })),
          def.name,
        ),
        fields: new Map(def.fields.map((f) => [f.name.toLowerCase(), f])),
      });
    }
    return objects;
  }

  /** The API names of the linkable objects, sorted. */
  names(): string[] {
    return [...this.#objects.values()].map((o) => o.name).sort((a, b) => a.localeCompare(b, 'en'));
  }

  /** A linkable object by its exact API name; a coded problem (with a suggestion) otherwise. */
  resolve(name: string): Resolved<LinkableObject> {
    const found = this.#objects.get(name.toLowerCase());
    if (found !== undefined && found.name === name) return { ok: true, value: found };
    if (found !== undefined) return { ok: false, code: 'E_UNKNOWN_OBJECT', message: `Object names are exact API names: "${found.name}", not "${name}"` };
    if (this.#catalog.has(name)) {
      return {
        ok: false,
        code: 'E_OBJECT_NOT_LINKABLE',
        message: `Linking matches records of ${LINKABLE_STANDARD_OBJECTS.join(', ')} and custom objects (…__c), not ${this.#catalog.get(name)?.name ?? name}. Linkable objects: ${this.names().join(', ')}`,
      };
    }
    return { ok: false, code: 'E_UNKNOWN_OBJECT', message: `The object "${name}" is not in the catalog.${didYouMean(name, this.names())} Linkable objects: ${this.names().join(', ')}` };
  }

  /** A field of a linkable object by its exact API name; a coded problem (with a suggestion) otherwise. */
  field(object: LinkableObject, name: string): Resolved<FieldDefinition> {
    const f = object.fields.get(name.toLowerCase());
    if (f !== undefined && f.name === name) return { ok: true, value: f };
    if (f !== undefined) return { ok: false, code: 'E_UNKNOWN_FIELD', message: `Record fields use the exact API name: "${f.name}", not "${name}"` };
    return { ok: false, code: 'E_UNKNOWN_FIELD', message: `${object.name} has no field "${name}".${didYouMean(name, object.definition.fields.map((x) => x.name))}` };
  }
}
