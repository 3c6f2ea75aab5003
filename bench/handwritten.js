/**
 * Handwritten JavaScript for every benchmark formula: what a developer would write by hand for
 * the same record, with plain JS numbers and Date arithmetic (no exact decimals, no blank
 * semantics beyond what the records need). It is the floor Parlance is compared with ("eval vs
 * JS": how many times slower than handwritten code). Each returns a value `canonical()` in
 * engines.js can compare with Parlance's result, so a wrong transcription shows up as `DIFF`.
 */
const DAY = 86_400_000;
const dayOf = (iso) => Date.parse(`${iso}T00:00:00.000Z`) / DAY;
const isoOfDay = (days) => new Date(days * DAY).toISOString().slice(0, 10);
const blank = (v) => v === null || v === undefined || v === '';
const round2 = (n) => Math.round((n + Number.EPSILON) * 100) / 100;
const text = (n) => {
  const s = String(n);
  return s.startsWith('0.') ? s.slice(1) : s.startsWith('-0.') ? `-${s.slice(2)}` : s;
};
const STATUS = { New: 'Received', Working: 'In progress', Escalated: 'Urgent', Closed: 'Resolved' };

/** @type {Record<string, (r: Record<string, any>) => unknown>} */
export const HANDWRITTEN = {
  'logic/if-threshold': (r) => (r.Days > 20 ? 'RED' : 'GREEN'),
  'logic/case-status': (r) => STATUS[r.Status] ?? 'Unknown',
  'logic/has-email-and-score': (r) => !blank(r.Email) && r.Score >= 50,
  'logic/and-or-not': (r) => r.IsVip === true && (r.Tier === 'Gold' || r.Tier === 'Platinum') && r.HasOptedOut !== true,
  'logic/nested-if': (r) => (blank(r.Phone) ? 'email' : r.Score > 80 ? 'call' : r.Score > 50 ? 'sms' : 'none'),
  'logic/blankvalue': (r) => (blank(r.Name) ? 'there' : r.Name),
  'logic/ispickval': (r) => (r.Priority === 'High' ? 'Call back today' : 'Reply by email'),
  'text/concat': (r) => `${r.CaseNumber ?? ''} - ${r.Subject ?? ''}`,
  'text/greeting': (r) => `Hi ${blank(r.FirstName) ? 'there' : r.FirstName}, thanks for contacting us.`,
  'text/left-len-ellipsis': (r) => r.Subject.slice(0, 20) + (r.Subject.length > 20 ? '...' : ''),
  'text/upper-trim': (r) => r.PromoCode.trim().toUpperCase(),
  'text/substitute': (r) => r.Template.replaceAll('{name}', r.FirstName ?? ''),
  'text/email-domain': (r) => r.Email.slice(r.Email.indexOf('@') + 1, r.Email.indexOf('@') + 81),
  'text/contains-lower': (r) => (r.Subject.toLowerCase().includes('refund') ? 'billing' : 'support'),
  'text/len-trim': (r) => r.Description.trim().length,
  'math/markup': (r) => round2(r.Amount * 1.1 + 5),
  'math/order-total': (r) => round2(r.Quantity * r.UnitPrice + r.Shipping - r.Credit),
  'math/margin-percent': (r) => round2(((r.Price - r.Cost) / r.Price) * 100),
  'math/round-discount': (r) => round2(r.Amount * (1 - r.Discount / 100)),
  'math/mod': (r) => r.Quantity % 12,
  'math/max-abs': (r) => Math.max(r.Score, 0) + Math.abs(r.Delta) * 2,
  'date/date-compare': (r) => dayOf(r.CloseDate) + 7 > dayOf(r.DueDate),
  'date/text-minus-30': (r) => isoOfDay(dayOf(r.CloseDate) - 30),
  'date/addmonths': (r) => {
    const d = new Date(`${r.CloseDate}T00:00:00.000Z`);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 0)).getUTCDate();
    const lastOfMonth = d.getUTCDate() === new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, lastOfMonth ? last : Math.min(d.getUTCDate(), last))).toISOString().slice(0, 10);
  },
  'date/first-of-month': (r) => `${r.CloseDate.slice(0, 8)}01`,
  'date/weekday': (r) => new Date(`${r.CloseDate}T00:00:00.000Z`).getUTCDay() + 1,
  'date/datevalue': (r) => r.CreatedDate.slice(0, 10),
  'date/days-open': (r) => dayOf(r.CloseDate) - dayOf(r.CreatedDate.slice(0, 10)),
  'mixed/order-message': (r) => `Dear ${blank(r.FirstName) ? 'customer' : r.FirstName}, your order ${r.OrderNumber} ships on ${r.ShipDate}.`,
  'mixed/late-by-days': (r) => (r.ShipDate > r.CloseDate ? `Late by ${dayOf(r.ShipDate) - dayOf(r.CloseDate)} days` : 'On time'),
  'mixed/account-revenue': (r) => `${r.Account.Name} (${text(r.Account.AnnualRevenue)})`,
  'mixed/vip-name': (r) => (r.Amount > 1000 && !blank(r.Email) ? `VIP ${r.Name.slice(0, 1).toUpperCase()}${r.Name.slice(1, 51)}` : 'Standard'),
  'mixed/price-with-tax': (r) => `${text(round2(r.Amount * (1 + r.TaxRate / 100)))} ${r.CurrencyCode}`,
  'mixed/appointment-day': (r) => {
    const w = new Date(`${r.AppointmentDate}T00:00:00.000Z`).getUTCDay();
    return `Your ${w === 0 || w === 6 ? 'weekend' : 'weekday'} appointment on ${r.AppointmentDate}`;
  },
  'mixed/traffic-light-amount': (r) => `${r.Days > 20 ? 'RED' : 'GREEN'}${text(round2(r.Amount * 1.1))}`,
  'mixed/status-name': (r) => (r.Status === 'New' && !blank(r.Email) ? r.Name.toUpperCase().slice(0, 10) : (r.Name ?? '').replaceAll(' ', '_')),
};
