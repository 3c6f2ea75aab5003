/**
 * Channel-object linking benchmark (`npm run bench:linking`): on the embedded store (a temporary
 * directory, durable commits, as `parlance serve` runs it), through the store modules the server
 * uses (no HTTP). See "Linking" in bench/README.md.
 *
 * Phases, each timed:
 * 1. `rule`: an active auto rule on an SMS channel: platform key = Contact.MobilePhone (e164, US);
 *    saved first, so the import writes the match keys with the records.
 * 2. `import`: 100,000 contacts, checked against the catalog (as the HTTP import checks them) and
 *    written with their keys by `LinkingService.putRecords`, 10,000 per transaction. Phone numbers
 *    are written four ways ("(415) 200-0001", "415.200.0001", "+1 415 200 0001", "4152000001");
 *    every 20th contact shares its number with the one before, so some users match twice.
 * 3. `users`: 10,000 messaging users (`UserService.importRows`): 8,500 match one contact, 500 two,
 *    1,000 none.
 * 4. `link`: `LinkingService.linkChannel`: every unlinked user, 1,000 per transaction (three
 *    statements each). The counts are checked: 8,500 linked, 500 suggested, 1,000 none.
 * 5. `backfill`: a second rule on Contact.Email (email normalizer) saved after the import: the
 *    100,000 contacts' email keys are built.
 * 6. `inbound`: 2,000 inbound messages from new senders who match a contact, through the
 *    `InboundProcessor` (group commit) with linking, every one linked.
 *
 *   node bench/linking.js [--contacts 100000] [--users 10000] [--batch 1000] [--memory] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { builtinCatalog } from '../dist/src/component/data.js';
import { defaultChannelSettings, validateChannelSettings } from '../dist/src/consent/settings.js';
import { LinkingObjects } from '../dist/src/linking/objects.js';
import { checkRecordWrite } from '../dist/src/linking/records.js';
import { checkRule } from '../dist/src/linking/rules.js';
import { ChannelStore } from '../dist/src/store/channels.js';
import { openDatabase } from '../dist/src/store/database.js';
import { InboundProcessor } from '../dist/src/services/inbound.js';
import { LinkingService } from '../dist/src/services/linking.js';
import { migrate } from '../dist/src/store/migrations.js';
import { UserService } from '../dist/src/services/users.js';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '100000' },
    users: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '1000' },
    inbound: { type: 'string', default: '2000' },
    memory: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  process.stdout.write('usage: node bench/linking.js [--contacts 100000] [--users 10000] [--batch 1000] [--inbound 2000] [--memory] [--json]\n');
  process.exit(0);
}
const CONTACTS = Number(values.contacts);
const USERS = Number(values.users);
const BATCH = Number(values.batch);
const INBOUND = Number(values.inbound);
if (!(CONTACTS >= 20 && USERS >= 20 && USERS * 0.85 + USERS * 0.05 * 2 + INBOUND <= CONTACTS)) throw new Error('--contacts must cover the users and inbound senders that should match');

const progress = (line) => process.stderr.write(`${line}\n`);
const T0 = Date.parse('2026-11-21T10:00:00Z');
const CHANNEL = 'bench-sms';

// +1 415 NXX XXXX with N from 2 to 9 is a valid US number: contact i has +1 415 200 0000 + i.
const numberOf = (i) => 4152000000 + i;
const FORMATS = [
  (n) => `(${String(n).slice(0, 3)}) ${String(n).slice(3, 6)}-${String(n).slice(6)}`,
  (n) => `${String(n).slice(0, 3)}.${String(n).slice(3, 6)}.${String(n).slice(6)}`,
  (n) => `+1 ${String(n).slice(0, 3)} ${String(n).slice(3, 6)} ${String(n).slice(6)}`,
  (n) => String(n),
];
/** Contact i's number: every 20th shares the number of the one before. */
const phoneOf = (i) => numberOf(i % 20 === 19 ? i - 1 : i);

const work = values.memory ? undefined : mkdtempSync(join(tmpdir(), 'parlance-bench-linking-'));
const opening = performance.now();
const db = await openDatabase(work === undefined ? 'memory' : join(work, 'db'));
await migrate(db);
const openMs = performance.now() - opening;
const objects = LinkingObjects.from(builtinCatalog());
const channels = new ChannelStore(db);
const linking = new LinkingService(db, objects);
const users = new UserService(db);
const contact = objects.resolve('Contact');
if (!contact.ok) throw new Error(contact.message);

const phases = [];
/** Runs and times a phase: wall time, and the CPU time of this process (PGlite runs in it), which a busy machine inflates much less. */
async function phase(name, what, fn) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  phases.push({ name, what, ms: Math.round(ms), cpuMs: Math.round(cpuMs), ...(result !== undefined ? { result } : {}) });
  progress(`${name.padEnd(9)} ${(ms / 1000).toFixed(2).padStart(7)} s wall ${(cpuMs / 1000).toFixed(2).padStart(7)} s cpu  ${what}${result !== undefined ? `  ${JSON.stringify(result)}` : ''}`);
  return result;
}

async function saveRule(id, input) {
  const checked = checkRule(input, await channels.get(input.channelId), objects, linking.engine);
  if (checked.definition === undefined) throw new Error(`the rule ${id} is invalid: ${JSON.stringify(checked.problems)}`);
  return linking.putRule(id, checked.definition, T0);
}

const settings = validateChannelSettings(defaultChannelSettings('SmsLongCode', { country: 'US' }));
await channels.put(CHANNEL, settings.settings, T0);
progress(`linking benchmark: ${CONTACTS} contacts, ${USERS} users, ${INBOUND} inbound messages; ${work === undefined ? 'in memory' : `embedded store in ${work}`}; ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}`);
progress(`(opening the store and migrating: ${(openMs / 1000).toFixed(2)} s, not counted)`);

const total = performance.now();
await phase('rule', 'save the auto rule (platformKey = MobilePhone, e164)', () =>
  saveRule('by-mobile', { channelId: CHANNEL, object: 'Contact', name: 'Contacts by mobile', mode: 'auto', active: true, conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }] }).then(() => undefined),
);

await phase('import', `${CONTACTS} contacts, checked, with their match keys (10,000 per transaction)`, async () => {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (let start = 0; start < CONTACTS; start += 10_000) {
    const writes = [];
    for (let i = start; i < Math.min(CONTACTS, start + 10_000); i++) {
      const raw = { Id: `003${String(i).padStart(12, '0')}`, FirstName: `First${i}`, LastName: `Last${i}`, MobilePhone: FORMATS[i % 4](phoneOf(i)), Email: `First${i}.Last${i}@Example.com` };
      const checked = checkRecordWrite(contact.value, raw, `/records/${i}`);
      if (checked.record === undefined) throw new Error(JSON.stringify(checked.problems));
      writes.push(checked.record);
    }
    const c = await linking.putRecords('Contact', writes, T0);
    counts.created += c.created;
    counts.updated += c.updated;
    counts.unchanged += c.unchanged;
  }
  return counts;
});

// Users: 85% match one contact, 5% a shared number (two contacts), 10% nobody.
const matchedOne = Math.floor(USERS * 0.85);
const matchedTwo = Math.floor(USERS * 0.05);
const keys = [];
for (let i = 0; keys.length < matchedOne; i++) if (i % 20 < 18) keys.push(`+1${numberOf(i)}`);
for (let k = 0; k < matchedTwo; k++) keys.push(`+1${numberOf(20 * k + 18)}`);
while (keys.length < USERS) keys.push(`+1${4153000000 + keys.length}`);
await phase('users', `${USERS} messaging users`, () => users.importRows(CHANNEL, keys.map((platformKey) => ({ platformKey, fields: {}, cause: { kind: 'import' } })), T0));

const linked = await phase('link', `run the rules for every unlinked user (${BATCH} per transaction)`, () => linking.linkChannel(CHANNEL, T0, BATCH));
const expected = { users: USERS, linked: matchedOne, suggested: matchedTwo, none: USERS - matchedOne - matchedTwo };
if (JSON.stringify(linked) !== JSON.stringify(expected)) throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(linked)}`);

await phase('backfill', `save a second rule (attributes.email = Email, email): build ${CONTACTS} email keys`, () =>
  saveRule('by-email', { channelId: CHANNEL, object: 'Contact', name: 'Contacts by email', mode: 'suggest', active: true, priority: 200, conditions: [{ user: 'attributes.email', field: 'Email', normalizer: 'email' }] }).then(() => undefined),
);

const processor = new InboundProcessor(db, channels, 256, linking);
await phase('inbound', `${INBOUND} inbound messages from new senders, each linked on arrival`, async () => {
  // Senders who aren't users yet and match one contact: the numbers after the users' ones.
  const senders = [];
  for (let i = 20 * Math.ceil((matchedOne / 18) + 1); senders.length < INBOUND; i++) if (i % 20 < 18) senders.push(`+1${numberOf(i)}`);
  const results = await Promise.all(senders.map((from, i) => processor.process({ channelId: CHANNEL, from, text: 'Hi, where is my order?', receivedAt: T0 + i })));
  const n = results.filter((r) => r.messagingUser.link !== undefined).length;
  if (n !== INBOUND) throw new Error(`${INBOUND - n} inbound senders were not linked`);
  return { linked: n };
});
const totalMs = performance.now() - total;
const totalCpuMs = phases.reduce((n, p) => n + p.cpuMs, 0);
progress(`total     ${(totalMs / 1000).toFixed(2).padStart(7)} s wall ${(totalCpuMs / 1000).toFixed(2).padStart(7)} s cpu  (load average now ${loadavg()[0].toFixed(2)} on ${cpus().length} cores)`);

await db.close();
if (work !== undefined) rmSync(work, { recursive: true, force: true });
if (values.json) process.stdout.write(`${JSON.stringify({ contacts: CONTACTS, users: USERS, batch: BATCH, inbound: INBOUND, store: work === undefined ? 'memory' : 'embedded', cores: cpus().length, phases, totalMs: Math.round(totalMs), totalCpuMs }, null, 2)}\n`);
