/**
 * The benchmark's formulas: realistic messaging-component formulas, grouped by family.
 *
 * Each entry:
 * - `id`: a stable name (`family/what`), used in reports and with `--filter`;
 * - `family`: `logic`, `text`, `math`, `date` or `mixed`;
 * - `formula`: the source, identical for every engine;
 * - `fields`: field name → Parlance type name (nested objects are relationships); the sformula
 *   and formulon type declarations are derived from it (see engines.js);
 * - `returnType`, `scale`: optional, passed to every engine that supports them;
 * - `records`: the records evaluated, in the wire encoding (numbers, "YYYY-MM-DD", ISO date-times,
 *   `null` for blank). Every timed operation evaluates one record, cycling through the list, so
 *   each formula is exercised on several branches and values rather than one constant input.
 *
 * Formulas that call functions Parlance does not register yet are kept: the runner reports them
 * as "skipped: not supported yet" and they light up once the function lands.
 */

/** @typedef {{ id: string, family: Family, formula: string, fields: Record<string, unknown>, returnType?: string, scale?: number, records: Record<string, unknown>[] }} BenchFormula */
/** @typedef {'logic' | 'text' | 'math' | 'date' | 'mixed'} Family */

/** @type {readonly Family[]} */
export const FAMILIES = ['logic', 'text', 'math', 'date', 'mixed'];

/** @type {readonly BenchFormula[]} */
export const FORMULAS = [
  // ---------------------------------------------------------------- logic
  {
    id: 'logic/if-threshold',
    family: 'logic',
    formula: 'IF(Days > 20, "RED", "GREEN")',
    fields: { Days: 'Number' },
    records: [{ Days: 25 }, { Days: 3 }, { Days: 20 }, { Days: 42 }],
  },
  {
    id: 'logic/case-status',
    family: 'logic',
    formula: 'CASE(Status, "New", "Received", "Working", "In progress", "Escalated", "Urgent", "Closed", "Resolved", "Unknown")',
    fields: { Status: 'Text' },
    records: [{ Status: 'New' }, { Status: 'Escalated' }, { Status: 'Closed' }, { Status: 'On hold' }],
  },
  {
    id: 'logic/has-email-and-score',
    family: 'logic',
    formula: 'NOT(ISBLANK(Email)) && Score >= 50',
    fields: { Email: 'Text', Score: 'Number' },
    records: [
      { Email: 'ada@example.com', Score: 72 },
      { Email: null, Score: 90 },
      { Email: 'grace@example.org', Score: 12 },
      { Email: 'alan@example.io', Score: 50 },
    ],
  },
  {
    id: 'logic/and-or-not',
    family: 'logic',
    formula: 'AND(IsVip, OR(Tier = "Gold", Tier = "Platinum"), NOT(HasOptedOut))',
    fields: { IsVip: 'Boolean', Tier: 'Text', HasOptedOut: 'Boolean' },
    records: [
      { IsVip: true, Tier: 'Gold', HasOptedOut: false },
      { IsVip: true, Tier: 'Silver', HasOptedOut: false },
      { IsVip: false, Tier: 'Platinum', HasOptedOut: false },
      { IsVip: true, Tier: 'Platinum', HasOptedOut: true },
    ],
  },
  {
    id: 'logic/nested-if',
    family: 'logic',
    formula: 'IF(ISBLANK(Phone), "email", IF(Score > 80, "call", IF(Score > 50, "sms", "none")))',
    fields: { Phone: 'Text', Score: 'Number' },
    records: [
      { Phone: null, Score: 95 },
      { Phone: '+33 1 23 45 67 89', Score: 95 },
      { Phone: '+1 555 0100', Score: 60 },
      { Phone: '+44 20 7946 0000', Score: 10 },
    ],
  },
  {
    id: 'logic/blankvalue',
    family: 'logic',
    formula: 'BLANKVALUE(Name, "there")',
    fields: { Name: 'Text' },
    records: [{ Name: 'Ada' }, { Name: null }, { Name: 'Grace' }, { Name: 'Alan' }],
  },
  {
    id: 'logic/ispickval',
    family: 'logic',
    formula: 'IF(ISPICKVAL(Priority, "High"), "Call back today", "Reply by email")',
    fields: { Priority: 'Picklist' },
    records: [{ Priority: 'High' }, { Priority: 'Low' }, { Priority: 'Medium' }, { Priority: 'High' }],
  },

  // ---------------------------------------------------------------- text
  {
    id: 'text/concat',
    family: 'text',
    formula: 'CaseNumber & " - " & Subject',
    fields: { CaseNumber: 'Text', Subject: 'Text' },
    records: [
      { CaseNumber: '00001026', Subject: 'Delivery is late' },
      { CaseNumber: '00001027', Subject: 'Refund request' },
      { CaseNumber: '00001028', Subject: 'Cannot log in' },
      { CaseNumber: '00001029', Subject: 'Wrong size' },
    ],
  },
  {
    id: 'text/greeting',
    family: 'text',
    formula: '"Hi " & BLANKVALUE(FirstName, "there") & ", thanks for contacting us."',
    fields: { FirstName: 'Text' },
    records: [{ FirstName: 'Ada' }, { FirstName: null }, { FirstName: 'Grace' }, { FirstName: 'Linus' }],
  },
  {
    id: 'text/left-len-ellipsis',
    family: 'text',
    formula: 'LEFT(Subject, 20) & IF(LEN(Subject) > 20, "...", "")',
    fields: { Subject: 'Text' },
    records: [
      { Subject: 'Delivery is late' },
      { Subject: 'My parcel arrived damaged and incomplete' },
      { Subject: 'Refund request for order 4471' },
      { Subject: 'Hello' },
    ],
  },
  {
    id: 'text/upper-trim',
    family: 'text',
    formula: 'UPPER(TRIM(PromoCode))',
    fields: { PromoCode: 'Text' },
    records: [{ PromoCode: '  summer24 ' }, { PromoCode: 'welcome10' }, { PromoCode: ' vip ' }, { PromoCode: 'Black-Friday' }],
  },
  {
    id: 'text/substitute',
    family: 'text',
    formula: 'SUBSTITUTE(Template, "{name}", FirstName)',
    fields: { Template: 'Text', FirstName: 'Text' },
    records: [
      { Template: 'Hello {name}, welcome aboard!', FirstName: 'Ada' },
      { Template: 'Dear {name}, your order shipped.', FirstName: 'Grace' },
      { Template: '{name}: your code is ready, {name}.', FirstName: 'Alan' },
      { Template: 'No placeholder here', FirstName: 'Linus' },
    ],
  },
  {
    id: 'text/email-domain',
    family: 'text',
    formula: 'MID(Email, FIND("@", Email) + 1, 80)',
    fields: { Email: 'Text' },
    records: [{ Email: 'ada@example.com' }, { Email: 'grace.hopper@navy.mil' }, { Email: 'alan@turing.org.uk' }, { Email: 'linus@kernel.org' }],
  },
  {
    id: 'text/contains-lower',
    family: 'text',
    formula: 'IF(CONTAINS(LOWER(Subject), "refund"), "billing", "support")',
    fields: { Subject: 'Text' },
    records: [{ Subject: 'REFUND please' }, { Subject: 'Cannot log in' }, { Subject: 'Partial Refund' }, { Subject: 'Wrong size' }],
  },
  {
    id: 'text/len-trim',
    family: 'text',
    formula: 'LEN(TRIM(Description))',
    fields: { Description: 'Text' },
    records: [{ Description: '  padded text  ' }, { Description: 'short' }, { Description: 'A somewhat longer description of the issue' }, { Description: 'x' }],
  },

  // ---------------------------------------------------------------- math
  {
    id: 'math/markup',
    family: 'math',
    formula: 'Amount * 1.1 + 5',
    fields: { Amount: 'Currency' },
    returnType: 'Currency',
    scale: 2,
    records: [{ Amount: 1234.5 }, { Amount: 99.99 }, { Amount: 0 }, { Amount: 250000 }],
  },
  {
    id: 'math/order-total',
    family: 'math',
    formula: 'Quantity * UnitPrice + Shipping - Credit',
    fields: { Quantity: 'Number', UnitPrice: 'Currency', Shipping: 'Currency', Credit: 'Currency' },
    returnType: 'Currency',
    scale: 2,
    records: [
      { Quantity: 3, UnitPrice: 19.99, Shipping: 4.5, Credit: 0 },
      { Quantity: 12, UnitPrice: 2.25, Shipping: 0, Credit: 5 },
      { Quantity: 1, UnitPrice: 1299, Shipping: 15, Credit: 100 },
      { Quantity: 40, UnitPrice: 0.35, Shipping: 2.99, Credit: 1.5 },
    ],
  },
  {
    id: 'math/margin-percent',
    family: 'math',
    formula: '(Price - Cost) / Price * 100',
    fields: { Price: 'Currency', Cost: 'Currency' },
    returnType: 'Number',
    scale: 2,
    records: [
      { Price: 120, Cost: 80 },
      { Price: 19.99, Cost: 7.5 },
      { Price: 3, Cost: 1 },
      { Price: 1000, Cost: 999.99 },
    ],
  },
  {
    id: 'math/round-discount',
    family: 'math',
    formula: 'ROUND(Amount * (1 - Discount), 2)',
    fields: { Amount: 'Currency', Discount: 'Percent' },
    returnType: 'Currency',
    scale: 2,
    records: [
      { Amount: 100, Discount: 15 },
      { Amount: 59.99, Discount: 12.5 },
      { Amount: 1234.56, Discount: 0 },
      { Amount: 10, Discount: 33.3 },
    ],
  },
  {
    id: 'math/mod',
    family: 'math',
    formula: 'MOD(Quantity, 12)',
    fields: { Quantity: 'Number' },
    records: [{ Quantity: 30 }, { Quantity: 12 }, { Quantity: 7 }, { Quantity: 145 }],
  },
  {
    id: 'math/max-abs',
    family: 'math',
    formula: 'MAX(Score, 0) + ABS(Delta) * 2',
    fields: { Score: 'Number', Delta: 'Number' },
    records: [
      { Score: 42, Delta: -3 },
      { Score: -5, Delta: 4 },
      { Score: 0, Delta: 0 },
      { Score: 17.5, Delta: -0.25 },
    ],
  },

  // ---------------------------------------------------------------- date
  {
    id: 'date/date-compare',
    family: 'date',
    formula: 'CloseDate + 7 > DueDate',
    fields: { CloseDate: 'Date', DueDate: 'Date' },
    records: [
      { CloseDate: '2026-03-01', DueDate: '2026-03-05' },
      { CloseDate: '2026-03-01', DueDate: '2026-03-20' },
      { CloseDate: '2025-12-28', DueDate: '2026-01-02' },
      { CloseDate: '2024-02-25', DueDate: '2024-03-04' },
    ],
  },
  {
    id: 'date/text-minus-30',
    family: 'date',
    formula: 'TEXT(CloseDate - 30)',
    fields: { CloseDate: 'Date' },
    records: [{ CloseDate: '2026-03-15' }, { CloseDate: '2024-03-01' }, { CloseDate: '2026-01-10' }, { CloseDate: '2025-07-31' }],
  },
  {
    id: 'date/addmonths',
    family: 'date',
    formula: 'ADDMONTHS(CloseDate, 2)',
    fields: { CloseDate: 'Date' },
    records: [{ CloseDate: '2026-03-15' }, { CloseDate: '2023-12-31' }, { CloseDate: '2026-01-10' }, { CloseDate: '2025-07-31' }],
  },
  {
    id: 'date/first-of-month',
    family: 'date',
    formula: 'DATE(YEAR(CloseDate), MONTH(CloseDate), 1)',
    fields: { CloseDate: 'Date' },
    records: [{ CloseDate: '2026-03-15' }, { CloseDate: '2024-02-29' }, { CloseDate: '2026-01-10' }, { CloseDate: '2025-07-31' }],
  },
  {
    id: 'date/weekday',
    family: 'date',
    formula: 'WEEKDAY(CloseDate)',
    fields: { CloseDate: 'Date' },
    records: [{ CloseDate: '2026-03-15' }, { CloseDate: '2024-02-29' }, { CloseDate: '2026-01-10' }, { CloseDate: '2025-07-31' }],
  },
  {
    id: 'date/datevalue',
    family: 'date',
    formula: 'DATEVALUE(CreatedDate)',
    fields: { CreatedDate: 'DateTime' },
    records: [
      { CreatedDate: '2026-03-15T09:30:00.000Z' },
      { CreatedDate: '2024-02-29T23:59:59.000Z' },
      { CreatedDate: '2026-01-01T00:00:00.000Z' },
      { CreatedDate: '2025-07-31T12:00:00.000Z' },
    ],
  },
  {
    id: 'date/days-open',
    family: 'date',
    formula: 'CloseDate - DATEVALUE(CreatedDate)',
    fields: { CloseDate: 'Date', CreatedDate: 'DateTime' },
    records: [
      { CloseDate: '2026-03-20', CreatedDate: '2026-03-15T09:30:00.000Z' },
      { CloseDate: '2024-03-31', CreatedDate: '2024-02-29T23:59:59.000Z' },
      { CloseDate: '2026-01-01', CreatedDate: '2026-01-01T00:00:00.000Z' },
      { CloseDate: '2025-12-25', CreatedDate: '2025-07-31T12:00:00.000Z' },
    ],
  },

  // ---------------------------------------------------------------- mixed
  {
    id: 'mixed/order-message',
    family: 'mixed',
    formula: '"Dear " & BLANKVALUE(FirstName, "customer") & ", your order " & OrderNumber & " ships on " & TEXT(ShipDate) & "."',
    fields: { FirstName: 'Text', OrderNumber: 'Text', ShipDate: 'Date' },
    records: [
      { FirstName: 'Ada', OrderNumber: 'A-1001', ShipDate: '2026-03-18' },
      { FirstName: null, OrderNumber: 'A-1002', ShipDate: '2026-03-19' },
      { FirstName: 'Grace', OrderNumber: 'B-77', ShipDate: '2026-04-01' },
      { FirstName: 'Alan', OrderNumber: 'C-5', ShipDate: '2026-12-24' },
    ],
  },
  {
    id: 'mixed/late-by-days',
    family: 'mixed',
    formula: 'IF(ShipDate > CloseDate, "Late by " & TEXT(ShipDate - CloseDate) & " days", "On time")',
    fields: { ShipDate: 'Date', CloseDate: 'Date' },
    records: [
      { ShipDate: '2026-03-18', CloseDate: '2026-03-15' },
      { ShipDate: '2026-03-10', CloseDate: '2026-03-15' },
      { ShipDate: '2026-04-01', CloseDate: '2026-03-01' },
      { ShipDate: '2026-03-15', CloseDate: '2026-03-15' },
    ],
  },
  {
    id: 'mixed/account-revenue',
    family: 'mixed',
    formula: 'Account.Name & " (" & TEXT(Account.AnnualRevenue) & ")"',
    fields: { Account: { Name: 'Text', AnnualRevenue: 'Currency' } },
    records: [
      { Account: { Name: 'Acme', AnnualRevenue: 1250000 } },
      { Account: { Name: 'Globex', AnnualRevenue: 98000.5 } },
      { Account: { Name: 'Initech', AnnualRevenue: 0 } },
      { Account: { Name: 'Umbrella', AnnualRevenue: 31337 } },
    ],
  },
  {
    id: 'mixed/vip-name',
    family: 'mixed',
    formula: 'IF(Amount > 1000 && NOT(ISBLANK(Email)), "VIP " & UPPER(LEFT(Name, 1)) & MID(Name, 2, 50), "Standard")',
    fields: { Amount: 'Currency', Email: 'Text', Name: 'Text' },
    records: [
      { Amount: 5000, Email: 'ada@example.com', Name: 'ada' },
      { Amount: 500, Email: 'grace@example.org', Name: 'grace' },
      { Amount: 2500, Email: null, Name: 'alan' },
      { Amount: 1001, Email: 'linus@example.io', Name: 'linus' },
    ],
  },
  {
    id: 'mixed/price-with-tax',
    family: 'mixed',
    formula: 'TEXT(ROUND(Amount * (1 + TaxRate), 2)) & " " & CurrencyCode',
    fields: { Amount: 'Currency', TaxRate: 'Percent', CurrencyCode: 'Text' },
    records: [
      { Amount: 100, TaxRate: 20, CurrencyCode: 'EUR' },
      { Amount: 59.99, TaxRate: 8.25, CurrencyCode: 'USD' },
      { Amount: 1234.56, TaxRate: 0, CurrencyCode: 'GBP' },
      { Amount: 10, TaxRate: 5.5, CurrencyCode: 'EUR' },
    ],
  },
  {
    id: 'mixed/appointment-day',
    family: 'mixed',
    formula: '"Your " & CASE(WEEKDAY(AppointmentDate), 1, "weekend", 7, "weekend", "weekday") & " appointment on " & TEXT(AppointmentDate)',
    fields: { AppointmentDate: 'Date' },
    records: [{ AppointmentDate: '2026-03-15' }, { AppointmentDate: '2026-03-16' }, { AppointmentDate: '2026-03-21' }, { AppointmentDate: '2026-03-18' }],
  },
  // The two formulas issue 19 names (its goals: ≥ 100× sformula each; the first ≤ 4× handwritten JS).
  {
    id: 'mixed/traffic-light-amount',
    family: 'mixed',
    formula: 'IF(Days > 20, "RED", "GREEN") & TEXT(ROUND(Amount * 1.1, 2))',
    fields: { Days: 'Number', Amount: 'Currency' },
    records: [
      { Days: 25, Amount: 1234.5 },
      { Days: 3, Amount: 99.99 },
      { Days: 21, Amount: 0 },
      { Days: 0, Amount: 250000 },
    ],
  },
  {
    id: 'mixed/status-name',
    family: 'mixed',
    formula: 'IF(AND(ISPICKVAL(Status, "New"), NOT(ISBLANK(Email))), LEFT(UPPER(Name), 10), SUBSTITUTE(Name, " ", "_"))',
    fields: { Status: 'Picklist', Email: 'Text', Name: 'Text' },
    records: [
      { Status: 'New', Email: 'ada@example.com', Name: 'Ada Lovelace' },
      { Status: 'Working', Email: 'grace@example.org', Name: 'Grace Brewster Hopper' },
      { Status: 'New', Email: null, Name: 'Alan Turing' },
      { Status: 'Closed', Email: 'linus@example.io', Name: 'Linus' },
    ],
  },
];

