// The peer language client for VS Code: starts `peerc lsp` (diagnostics,
// hover, go to definition, references, rename, outline, completion,
// formatting, quick fixes) for .peer files. Settings: peerc.path (the peerc
// binary), peerc.serverArgs (more arguments for `peerc lsp`) and
// peerc.trace.server (log the protocol to the output channel).
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const cfg = vscode.workspace.getConfiguration('peerc');
  return {
    command: cfg.get('path') || 'peerc',
    args: ['lsp', ...(cfg.get('serverArgs') || [])],
    transport: TransportKind.stdio,
  };
}

async function start() {
  client = new LanguageClient('peerc', 'peerc language server', serverOptions(), {
    documentSelector: [
      { scheme: 'file', language: 'peer' },
      { scheme: 'untitled', language: 'peer' },
    ],
  });
  await client.start();
}

async function restart() {
  if (client) {
    await client.stop();
  }
  await start();
}

function activate(context) {
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('peerc.path') || e.affectsConfiguration('peerc.serverArgs')) {
      restart();
    }
  }));
  return start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
