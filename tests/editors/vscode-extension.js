// Loads editors/vscode/extension.js under node with the two modules it
// needs replaced by recorders (VS Code's API exists only inside VS Code),
// and checks its wiring: the language client it makes starts `peerc lsp`
// from the peerc.path setting for peer documents, and a change of that
// setting restarts it with the new binary.
// usage: node vscode-extension.js EXTENSION_DIR
'use strict';
const Module = require('module');
const path = require('path');

const dir = path.resolve(process.argv[2]);
const pkg = require(path.join(dir, 'package.json'));
let settings = { path: '/opt/peerc/bin/peerc', serverArgs: ['--debounce=50'] };
let configListener;
const clients = [];

class LanguageClient {
  constructor(id, name, server, client) {
    Object.assign(this, { id, name, server, client, started: false, stopped: false });
    clients.push(this);
  }
  async start() { this.started = true; }
  async stop() { this.stopped = true; }
}
const fakes = {
  vscode: {
    workspace: {
      getConfiguration: (section) => ({ get: (key) => (section === 'peerc' ? settings[key] : undefined) }),
      onDidChangeConfiguration: (fn) => { configListener = fn; return { dispose() {} }; },
    },
  },
  'vscode-languageclient/node': { LanguageClient, TransportKind: { stdio: 0 } },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request in fakes ? fakes[request] : load.call(this, request, ...rest);
};

let failed = 0;
function check(ok, what, detail) {
  console.log((ok ? 'ok: ' : 'FAIL: ') + what + (ok ? '' : ': ' + JSON.stringify(detail)));
  failed += ok ? 0 : 1;
}

(async () => {
  const ext = require(path.join(dir, pkg.main));
  const context = { subscriptions: [] };
  await ext.activate(context);
  const c = clients[0] || {};
  check(c.started, 'activate starts a language client');
  check(c.server && c.server.command === '/opt/peerc/bin/peerc' &&
        JSON.stringify(c.server.args) === '["lsp","--debounce=50"]',
    'it runs peerc.path with lsp and peerc.serverArgs', c.server);
  check(c.client && c.client.documentSelector.some((s) => s.language === 'peer'),
    'for peer documents', c.client);
  const props = pkg.contributes.configuration.properties;
  check(['peerc.path', 'peerc.serverArgs', 'peerc.trace.server'].every((k) => k in props),
    'package.json declares the settings', Object.keys(props));
  check(c.id === 'peerc', "the client's id matches the peerc.trace.server setting", c.id);
  check(pkg.activationEvents.includes('onLanguage:peer'), 'it activates on peer files');
  check(pkg.dependencies['vscode-languageclient'], 'it depends on vscode-languageclient');
  settings = { path: '/usr/bin/peerc' };
  configListener({ affectsConfiguration: (k) => k === 'peerc.path' });
  await new Promise((r) => setTimeout(r, 10));
  check(c.stopped && clients[1] && clients[1].started &&
        clients[1].server.command === '/usr/bin/peerc', 'a new peerc.path restarts the server');
  await ext.deactivate();
  check(clients[1].stopped, 'deactivate stops it');
  console.log(failed ? 'vscode extension: FAILED' : 'vscode extension: wiring checked');
  process.exit(failed ? 1 : 0);
})();
