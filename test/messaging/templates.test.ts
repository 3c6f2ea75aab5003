/** Messaging templates and approved WhatsApp templates (src/messaging/templates.ts; issue 18 item 3). */
import { describe, expect, it } from 'vitest';
import { compareWithApprovedTemplate, fillMessagingTemplate, mergeFields, validateMessagingTemplate, validateWhatsAppTemplate, WHATSAPP_TEMPLATE_TYPES } from '../../src/messaging/templates.js';

const approved = 'Hi {{1}}, your order {{2}} has shipped. Track it at {{3}}.';

describe('compareWithApprovedTemplate (G:2255)', () => {
  it('G:2255 a message that is the template with values in place matches', () => {
    expect(compareWithApprovedTemplate('Hi Ann, your order 1234 has shipped. Track it at https://t.example.com/1234.', approved)).toBeUndefined();
    expect(compareWithApprovedTemplate('Your code is 42', 'Your code is {{1}}')).toBeUndefined();
    expect(compareWithApprovedTemplate('No params here.', 'No params here.')).toBeUndefined();
  });

  it('G:2255 a changed word is a mismatch at the position of the first difference', () => {
    const message = 'Hi Ann, your order 1234 was shipped. Track it at https://t.example.com/1234.';
    const d = compareWithApprovedTemplate(message, approved);
    expect(d).toMatchObject({ position: message.indexOf('was') });
    expect(d?.expected.startsWith('has')).toBe(true);
    expect(d?.found.startsWith('was')).toBe(true);
  });

  it('G:2255 spaces and line breaks count', () => {
    expect(compareWithApprovedTemplate('Hello  Ann', 'Hello {{1}}')).toBeUndefined(); // the value is " Ann"
    expect(compareWithApprovedTemplate('Hi\r\nAnn', 'Hi\n{{1}}')).toMatchObject({ position: 2 });
    expect(compareWithApprovedTemplate('Your code is 42 ', 'Your code is {{1}}.')).toMatchObject({ position: 16 });
    expect(compareWithApprovedTemplate('Hi there.', 'Hi there')).toMatchObject({ position: 8, expected: '' });
  });

  it('a placeholder needs a value', () => {
    expect(compareWithApprovedTemplate('Your code is ', 'Your code is {{1}}')).toMatchObject({ position: 13 });
  });
});

describe('messaging templates (G:4981-5031)', () => {
  it('reads {!Object.Field} merge fields', () => {
    expect(mergeFields('Case {!Case.CaseNumber} for {! Contact.FirstName }').fields.map((f) => f.key)).toEqual(['Case.CaseNumber', 'Contact.FirstName']);
    expect(mergeFields('{!Case}').problems.map((p) => p.code)).toEqual(['E_MERGE_FIELD_SYNTAX']);
  });

  it('G:5024 Messaging End User fields can\'t be merge fields', () => {
    const p = validateMessagingTemplate({ message: 'Hi {!MessagingEndUser.Name}' });
    expect(p.map((x) => x.code)).toEqual(['END_USER_MERGE_FIELD']);
    expect(p[0]?.message).toContain('G:5024');
  });

  it('G:5019-5023 merge fields come from the listed objects or a custom object', () => {
    expect(validateMessagingTemplate({ message: '{!Case.CaseNumber} {!WorkOrder.Status} {!Invoice__c.Total__c}' })).toEqual([]);
    expect(validateMessagingTemplate({ message: '{!Quote.Name}' }).map((x) => x.code)).toEqual(['E_MERGE_FIELD_OBJECT']);
  });

  it('G:5055 every merge field must be filled, or the message isn\'t sent', () => {
    const t = { message: 'John, your case {!Case.CaseNumber} has been resolved by {!User.FirstName}.' };
    expect(fillMessagingTemplate(t, { 'Case.CaseNumber': '123456', 'User.FirstName': 'Kim' })).toEqual({ text: 'John, your case 123456 has been resolved by Kim.', problems: [] });
    const blank = fillMessagingTemplate(t, { 'Case.CaseNumber': '123456', 'User.FirstName': '  ' });
    expect(blank.text).toBeUndefined();
    expect(blank.problems.map((p) => [p.code, p.pointer])).toEqual([['TEMPLATE_FIELD_BLANK', '/content/template/values/User.FirstName']]);
  });
});

describe('approved WhatsApp templates (G:2227-2320)', () => {
  it('G:2304-2320 the 11 listed notification types', () => {
    expect(WHATSAPP_TEMPLATE_TYPES).toHaveLength(11);
    expect(validateWhatsAppTemplate({ name: 'x', type: 'MARKETING' as never, language: 'en', text: 'Hi' }).map((p) => p.code)).toEqual(['E_WHATSAPP_TEMPLATE_TYPE']);
    expect(validateWhatsAppTemplate({ name: 'x', type: 'SHIPPING_UPDATE', language: 'en', text: approved })).toEqual([]);
  });

  it('placeholders are numbered {{1}}, {{2}}… in order', () => {
    expect(validateWhatsAppTemplate({ name: 'x', type: 'ALERT', language: 'en', text: 'A {{2}} B {{1}}' }).map((p) => p.code)).toEqual(['E_TEMPLATE_PLACEHOLDERS']);
  });
});
