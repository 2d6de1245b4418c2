// A second, independent client: Microsoft's vscode-languageserver-protocol
// (the library VS Code's language client is built on) drives `peerc lsp`
// through its own JSON-RPC implementation (vscode-jsonrpc), with the
// capabilities VS Code announces (snippets, hierarchical symbols, UTF-16).
// usage: node node-lsp.js MODULES_DIR PEERC TOP_SRCDIR
'use strict';
const path = require('path');
const fs = require('fs');
const { spawn } = require('child_process');

const [modules, peerc, top] = process.argv.slice(2);
const lsp = require(path.join(modules, 'node_modules', 'vscode-languageserver-protocol', 'node'));

let checks = 0, failed = 0;
function check(ok, what, detail) {
  checks++;
  if (ok) {
    console.log('ok: ' + what);
  } else {
    failed++;
    console.log('FAIL: ' + what + (detail === undefined ? '' : ': ' + JSON.stringify(detail)));
  }
}

const server = spawn(peerc, ['lsp', '--debounce=300'], { stdio: ['pipe', 'pipe', 'inherit'] });
const conn = lsp.createProtocolConnection(
  new lsp.StreamMessageReader(server.stdout), new lsp.StreamMessageWriter(server.stdin));
const published = [];
let waiters = [];
conn.onNotification(lsp.PublishDiagnosticsNotification.type, (p) => {
  published.push(p);
  waiters = waiters.filter((w) => !w(p));
});
conn.listen();

function nextDiagnostics(uri, version) {
  return new Promise((resolve, reject) => {
    const found = published.find((p) => p.uri === uri && p.version === version);
    if (found) return resolve(found);
    const t = setTimeout(() => reject(new Error('no diagnostics for version ' + version)), 10000);
    waiters.push((p) => {
      if (p.uri !== uri || p.version !== version) return false;
      clearTimeout(t);
      resolve(p);
      return true;
    });
  });
}

async function main() {
  const init = await conn.sendRequest(lsp.InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      general: { positionEncodings: ['utf-16'] },
      textDocument: {
        completion: { completionItem: { snippetSupport: true } },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      },
    },
  });
  check(init.capabilities.positionEncoding === 'utf-16', 'UTF-16 positions', init.capabilities.positionEncoding);
  check(init.capabilities.textDocumentSync.change === lsp.TextDocumentSyncKind.Incremental,
    'incremental sync');
  check(init.serverInfo && init.serverInfo.name === 'peerc', 'serverInfo');
  conn.sendNotification(lsp.InitializedNotification.type, {});

  // An overlap: the diagnostic's note (the other VNet) is related information.
  const file = path.join(top, 'examples', 'errors', 'overlap.peer');
  const uri = 'file://' + file;
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const lineOf = (s) => lines.findIndex((l) => l.includes(s));
  conn.sendNotification(lsp.DidOpenTextDocumentNotification.type,
    { textDocument: { uri, languageId: 'peer', version: 1, text } });
  let diags = (await nextDiagnostics(uri, 1)).diagnostics;
  const overlap = diags.find((d) => d.code === 'peered-overlap');
  check(overlap && overlap.range.start.line === lineOf('vnet vnet-app-weu'),
    'the overlap is reported on the spoke', diags);
  const rel = overlap && overlap.relatedInformation;
  check(rel && rel.length === 2 && rel[0].location.uri === uri &&
        rel[0].location.range.start.line === lineOf('vnet vnet-hub-weu') &&
        rel[1].location.range.start.line === lineOf('peer vnet-hub-weu'),
    'its related information points at the hub and the peering', rel);

  // A burst of edits: one compile, one set of diagnostics, for the last.
  const at = lineOf('vnet vnet-app-weu');
  const col = lines[at].indexOf('10.0.128.0/20');
  const before = published.length;
  const fix = '10.1.128.0/20';
  for (let i = 0; i < fix.length; i++) {
    conn.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 + i },
      contentChanges: [{ range: { start: { line: at, character: col + i },
                                  end: { line: at, character: col + i + 1 } },
                         text: fix[i] }],
    });
  }
  const last = 1 + fix.length;
  diags = (await nextDiagnostics(uri, last)).diagnostics;
  check(published.length === before + 1, 'typing fast costs one compile',
    published.slice(before).map((p) => p.version));
  check(!diags.some((d) => d.code === 'peered-overlap'), 'the edit fixed the overlap', diags);

  const symbols = await conn.sendRequest(lsp.DocumentSymbolRequest.type, { textDocument: { uri } });
  const hub = symbols.find((s) => s.name === 'vnet-hub-weu');
  check(hub && hub.kind === lsp.SymbolKind.Module, 'document symbols list the VNets', symbols.map((s) => s.name));
  const peer = symbols.find((s) => s.name === 'vnet-hub-weu <-> vnet-app-weu');
  check(peer && peer.range.start.line === lineOf('peer vnet-hub-weu'), 'and the peer statement',
    symbols.map((s) => s.name));

  const hl = await conn.sendRequest(lsp.DocumentHighlightRequest.type,
    { textDocument: { uri }, position: { line: lineOf('vnet vnet-hub-weu'), character: 6 } });
  check(hl.length >= 2 && hl.some((h) => h.kind === lsp.DocumentHighlightKind.Write) &&
        hl.some((h) => h.kind === lsp.DocumentHighlightKind.Read), 'highlights: definition and uses', hl);

  const comp = await conn.sendRequest(lsp.CompletionRequest.type,
    { textDocument: { uri }, position: { line: lines.length - 1, character: 0 } });
  const vnet = (comp.items || comp).find((i) => i.label === 'vnet');
  check(vnet && vnet.insertTextFormat === lsp.InsertTextFormat.Snippet && /\$\{1:name\}/.test(vnet.insertText),
    'statement snippets for a client that takes them', vnet);

  // Range formatting touches only the range.
  conn.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 100 },
    contentChanges: [{ text: 'vnet  a 10.0.0.0/16\nvnet  b 10.1.0.0/16\n' }],
  });
  const edits = await conn.sendRequest(lsp.DocumentRangeFormattingRequest.type, {
    textDocument: { uri }, options: { tabSize: 2, insertSpaces: true },
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } },
  });
  check(edits.length === 1 && edits[0].range.start.line === 1 && edits[0].newText === 'vnet b 10.1.0.0/16\n',
    'range formatting changes only line 2', edits);

  // Errors come back as JSON-RPC errors the library understands.
  try {
    await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: 'here' });
    check(false, 'a bad position is refused');
  } catch (e) {
    check(e.code === lsp.ErrorCodes.InvalidParams, 'a bad position is InvalidParams', e.code);
  }
  try {
    await conn.sendRequest('peer/unknown', {});
    check(false, 'an unknown method is refused');
  } catch (e) {
    check(e.code === lsp.ErrorCodes.MethodNotFound, 'an unknown method is MethodNotFound', e.code);
  }

  await conn.sendRequest(lsp.ShutdownRequest.type);
  const exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
  conn.sendNotification(lsp.ExitNotification.type);
  check((await exited) === 0, 'exit after shutdown: status 0');
}

const timer = setTimeout(() => { console.log('FAIL: timed out'); process.exit(1); }, 60000);
main().catch((e) => { failed++; console.log('FAIL: ' + e.stack); }).finally(() => {
  clearTimeout(timer);
  console.log(checks + ' checks, ' + failed + ' failed');
  conn.dispose();
  server.kill();
  process.exit(failed ? 1 : 0);
});
