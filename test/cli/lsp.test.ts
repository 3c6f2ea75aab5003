/**
 * `parlance lsp` end to end: the real binary (bin/parlance.js → dist/) spoken to by an LSP client
 * connection over its stdin/stdout. Every step waits for the server's message, never for time.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  CompletionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  SignatureHelpRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type InitializeResult,
  type MarkupContent,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

const bin = new URL('../../bin/parlance.js', import.meta.url).pathname;

let child: ChildProcess;
let connection: ProtocolConnection;
let stderr = '';
const published: PublishDiagnosticsParams[] = [];
const waiting: Array<{ test: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];

/** The next (or an already received, not yet taken) diagnostics notification for `uri` at `version`. */
function diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
  const test = (p: PublishDiagnosticsParams): boolean => p.uri === uri && p.version === version;
  const found = published.find(test);
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve) => waiting.push({ test, resolve }));
}

beforeAll(() => {
  child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    for (const w of waiting.filter((x) => x.test(p))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(p);
    }
  });
  connection.listen();
});

afterAll(() => {
  connection.dispose();
  if (child.exitCode === null) child.kill();
});

const formulaUri = 'file:///work/case.formula';
const componentUri = 'file:///work/which-case.json';
const text = 'IF(ISPICKVAL(Stauts, "New"), ROUND(Amount, 2), 0)';
const component = JSON.stringify(
  {
    name: 'Which_Case',
    type: 'QuestionDynamicOptions',
    constants: { Title: { type: 'Text', value: 'Which case?' } },
    parameters: { Cases: { type: 'List<RecordId>', object: 'Case' } },
    formats: [{ type: 'Buttons', title: { type: 'Constant', name: 'Title' }, options: { source: '$Parameters.Cases', title: { type: 'Formula', formula: 'CaseNumber & " - " & Subjet' } } }],
  },
  null,
  2,
);

describe('parlance lsp', () => {
  it('answers initialize with its capabilities', async () => {
    const result: InitializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: null,
      rootUri: null,
      capabilities: {},
      initializationOptions: { formula: { object: 'Opportunity' }, template: { constants: { Title: 'Text', Options: [{ Name: 'Text' }] } } },
    });
    expect(result.capabilities).toMatchObject({ hoverProvider: true, completionProvider: { triggerCharacters: expect.arrayContaining(['.', '$']) } });
    expect(result.serverInfo?.name).toBe('parlance');
    await connection.sendNotification(InitializedNotification.type, {});
  });

  it('publishes diagnostics for a bad formula, with the context from its first-line comment', async () => {
    const source = `/* parlance: {"object": "Case", "fields": {}} */\n${text}`;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: formulaUri, languageId: 'plaintext', version: 1, text: source } });
    const p = await diagnosticsFor(formulaUri, 1);
    // Case has no Amount field either: two problems, in order.
    expect(p.diagnostics.map((d) => d.code)).toEqual(['E_UNKNOWN_FIELD', 'E_UNKNOWN_FIELD']);
    expect(p.diagnostics[0]).toMatchObject({ range: { start: { line: 1, character: 13 }, end: { line: 1, character: 19 } }, severity: 1, source: 'parlance' });
    expect(p.diagnostics[0]?.message).toContain('Did you mean Status?');
  });

  it('answers completion, hover and signature help', async () => {
    const items = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: formulaUri }, position: { line: 1, character: 32 } })) as CompletionItem[];
    const round = items.find((i) => i.label === 'ROUND');
    expect(round?.detail).toMatch(/^ROUND\(number: Number/);
    // Completion documentation is not escaped (Neovim 0.7 shows it raw in its preview window).
    expect((round?.documentation as MarkupContent).value).toContain('Rounds a number to num_digits decimal places');
    expect(items.some((i) => i.label === 'Status')).toBe(true);
    const values = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: formulaUri }, position: { line: 1, character: 22 } })) as CompletionItem[];
    expect(values).toEqual([]); // Stauts is not a field: no picklist to offer
    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: formulaUri }, position: { line: 1, character: 31 } });
    expect((hover?.contents as MarkupContent).value).toContain('```parlance\nROUND(number: Number, num_digits: Number) → Number\n```');
    // Inner underscores are escaped in prose, not in code (Neovim 0.7 shows a bare one in red).
    expect((hover?.contents as MarkupContent).value).toContain('Rounds a number to num\\_digits decimal places');
    expect(hover?.range).toEqual({ start: { line: 1, character: 29 }, end: { line: 1, character: 34 } });
    const help = await connection.sendRequest(SignatureHelpRequest.type, { textDocument: { uri: formulaUri }, position: { line: 1, character: 43 } });
    expect(help?.signatures[help.activeSignature ?? 0]?.label).toMatch(/^ROUND\(/);
    expect(help?.activeParameter).toBe(1);
    expect(help?.signatures[help.activeSignature ?? 0]?.documentation).toEqual({ kind: 'plaintext', value: expect.stringMatching(/^Rounds a number to num_digits/) });
  });

  it('offers the "did you mean" quick fix, and applying it clears the problem', async () => {
    const first = (await diagnosticsFor(formulaUri, 1)).diagnostics[0] as Diagnostic;
    const actions = (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: formulaUri },
      range: first.range,
      context: { diagnostics: [first] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title === "Change 'Stauts' to 'Status'");
    expect(fix).toMatchObject({ kind: 'quickfix', isPreferred: true });
    const edit = fix?.edit?.changes?.[formulaUri]?.[0];
    expect(edit).toEqual({ range: first.range, newText: 'Status' });
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: formulaUri, version: 2 }, contentChanges: [{ range: first.range, text: 'Status' }] });
    const after = await diagnosticsFor(formulaUri, 2);
    expect(after.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('Field Amount does not exist')]);
  });

  it('serves the formulas inside a component definition', async () => {
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: componentUri, languageId: 'json', version: 1, text: component } });
    const p = await diagnosticsFor(componentUri, 1);
    expect(p.diagnostics).toHaveLength(1);
    const d = p.diagnostics[0] as Diagnostic;
    const line = component.split('\n')[d.range.start.line] ?? '';
    expect(line.slice(d.range.start.character, d.range.end.character)).toBe('Subjet');
    const at = { line: d.range.start.line, character: d.range.start.character + 2 };
    const items = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: componentUri }, position: at })) as CompletionItem[];
    expect(items.some((i) => i.label === 'Subject')).toBe(true);
  });

  it('completes the constants after {!$Constants. in a template file', async () => {
    const uri = 'file:///work/question.template';
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'plaintext', version: 1, text: 'Hello {!$Constants.' } });
    const p = await diagnosticsFor(uri, 1);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['E_UNTERMINATED_MERGE_FIELD']);
    const items = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 0, character: 19 } })) as CompletionItem[];
    expect(items.map((i) => i.label)).toEqual(['Title', 'Options']);
  });

  it('leaves a typed $ in place, so that clients completing words (Neovim 0.7) insert no second $', async () => {
    const uri = 'file:///work/greeting.template';
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'plaintext', version: 1, text: 'Hi {!$Con' } });
    const items = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 0, character: 9 } })) as CompletionItem[];
    const constants = items.find((i) => i.label === '$Constants');
    expect(constants).toMatchObject({ filterText: 'Constants', textEdit: { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 9 } }, newText: 'Constants' } });
    // Nothing typed yet: the whole name is inserted at the cursor.
    const empty = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 0, character: 5 } })) as CompletionItem[];
    expect(empty.find((i) => i.label === '$Constants')).toMatchObject({ filterText: '$Constants', textEdit: { range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, newText: '$Constants' } });
  });

  it('shuts down and exits on request', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });
});

describe('parlance lsp options', () => {
  it('stops with one line on stderr and exit 1 when --objects cannot be loaded', () => {
    const r = spawnSync(process.execPath, [bin, 'lsp', '--objects', '/nonexistent-parlance-objects'], { encoding: 'utf8', input: '' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^parlance lsp: cannot load the objects in \/nonexistent-parlance-objects: .*Cannot read the directory/);
  });
});
