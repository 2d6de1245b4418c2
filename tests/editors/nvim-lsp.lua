-- Neovim's own LSP client (0.7: vim.lsp.start_client) against `peerc lsp`:
-- opens a copy of examples/hub-spoke.peer with a mistake on a line of
-- non-ASCII text, and checks what a user sees: the diagnostic where the
-- mistake is (so UTF-16 columns are right), its quick fix, hover, go to
-- definition, references, rename (and a refused one), completion,
-- formatting, and a clean shutdown. Run by nvim-lsp.sh; writes one line per
-- check to $NVIM_LSP_LOG and "N checks, M failed" last.
local peerc = os.getenv('PEERC')
local dir = os.getenv('WORKDIR')
local log = io.open(os.getenv('NVIM_LSP_LOG'), 'w')
local checks, failed = 0, 0

local function check(ok, what, detail)
  checks = checks + 1
  if not ok then
    failed = failed + 1
    log:write('FAIL: ', what, detail and (': ' .. vim.inspect(detail)) or '', '\n')
  else
    log:write('ok: ', what, '\n')
  end
end

local function finish()
  log:write(checks, ' checks, ', failed, ' failed\n')
  log:close()
  vim.cmd('qa!')
end

local client_id = vim.lsp.start_client({
  cmd = { peerc, 'lsp', '--debounce=10' },
  name = 'peerc',
  root_dir = dir,
  flags = { debounce_text_changes = 0 },
})
check(client_id ~= nil, 'the client starts peerc lsp')

vim.cmd('edit ' .. dir .. '/topology.peer')
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)
local client = vim.lsp.get_client_by_id(client_id)
check(vim.wait(5000, function() return client.initialized end, 20), 'initialize')
check(client.server_capabilities.renameProvider ~= nil, 'the server offers rename')

local function lines() return vim.api.nvim_buf_get_lines(buf, 0, -1, false) end
local function find(pat)
  for i, l in ipairs(lines()) do
    local s = l:find(pat, 1, true)
    if s then return i - 1, s - 1 end
  end
end
local function pos(line, col)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) },
           position = { line = line, character = col } }
end
local function request(method, params)
  local res = vim.lsp.buf_request_sync(buf, method, params, 5000)
  local r = res and res[client_id]
  if not r then return nil, 'no answer' end
  return r.result, r.err or r.error
end

-- 1. Diagnostics: the prefix with host bits comes after "Zürich 🚀" on its
-- line, so its UTF-16 column differs from its byte column.
local dl, dc = find('10.1.0.1/16')
check(vim.wait(5000, function() return #vim.diagnostic.get(buf) > 0 end, 20),
  'diagnostics arrive on open')
local d = {}
for _, x in ipairs(vim.diagnostic.get(buf)) do
  if x.code == 'prefix-host-bits' then d = x end
end
check(d.lnum == dl and d.col == dc, 'the diagnostic is on the prefix',
  { got = { d.lnum, d.col }, want = { dl, dc } })
check(d.code == 'prefix-host-bits', 'its code is the -W name', d.code)
check(d.severity == vim.diagnostic.severity.ERROR, 'it is an error')
local lsp_d = d.user_data and d.user_data.lsp or {}
check(lsp_d.codeDescription and lsp_d.codeDescription.href:match('checks%.md#prefix%-host%-bits$'),
  'codeDescription links to the check', lsp_d.codeDescription)

-- 2. Its quick fix, applied as the client would.
local actions = request('textDocument/codeAction', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = dl, character = 0 }, ['end'] = { line = dl, character = 0 } },
  context = { diagnostics = { lsp_d } },
}) or {}
check(#actions == 1 and actions[1].kind == 'quickfix', 'one quick fix', actions)
if actions[1] then
  vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16')
end
check(find('10.1.0.0/16') == dl, 'the fix writes the network address')
check(vim.wait(5000, function()
  for _, x in ipairs(vim.diagnostic.get(buf)) do
    if x.code == 'prefix-host-bits' then return false end
  end
  return true
end, 20),
  'the diagnostic goes away after the edit')

-- 3. Hover on the hub: its settings, peerings and reachability.
local hl, hc = find('vnet hub ')
local hover = request('textDocument/hover', pos(hl, hc + 6)) or {}
local text = hover.contents and hover.contents.value or ''
check(text:find('address space: `10.0.0.0/16`', 1, true), 'hover shows the address space', text)
check(text:find('hub <-> spoke1', 1, true) and text:find('gateway transit on', 1, true),
  'hover shows the peerings with their settings', text)
check(text:find('**Reaches**', 1, true) and text:find('`spoke2`, by', 1, true),
  'hover shows what the VNet reaches', text)
local pl, pc = find('10.0.255.0/27')
hover = request('textDocument/hover', pos(pl, pc + 2)) or {}
text = hover.contents and hover.contents.value or ''
check(text:find('10.0.255.31', 1, true) and text:find('32 addresses', 1, true),
  'hover on a prefix shows its range and size', text)

-- 4. Definition and references of spoke2, from the require line.
local rl, rc = find('require spoke1 <-> spoke2')
local sl = find('vnet spoke2')
local def = request('textDocument/definition', pos(rl, rc + 20))
def = def and (def[1] or def) or {}
check(def.range and def.range.start.line == sl, 'definition goes to the vnet', def)
local refs = request('textDocument/references',
  vim.tbl_extend('force', pos(rl, rc + 20), { context = { includeDeclaration = true } })) or {}
check(#refs == 3, 'spoke2 has three references (vnet, hub, require)', refs)

-- 5. Rename spoke2, and a rename onto a taken name.
local _, err = request('textDocument/rename',
  vim.tbl_extend('force', pos(rl, rc + 20), { newName = 'spoke1' }))
check(err ~= nil, 'a rename onto another VNet\'s name is refused', err)
local edit = request('textDocument/rename',
  vim.tbl_extend('force', pos(rl, rc + 20), { newName = 'spoke-two' }))
if edit then vim.lsp.util.apply_workspace_edit(edit, 'utf-16') end
local all = table.concat(lines(), '\n')
check(not all:find('spoke2', 1, true) and select(2, all:gsub('spoke%-two', '')) == 3,
  'rename changes every use', all)

-- 6. Completion: statement keywords on an empty line, the attributes of a
-- hub block inside one, regions after `in`.
vim.api.nvim_buf_set_lines(buf, -1, -1, false, { '' })
local last = #lines() - 1
local function labels(line, col)
  local r = request('textDocument/completion', pos(line, col)) or {}
  local out = {}
  for _, it in ipairs(r.items or r) do out[it.label] = true end
  return out
end
local l = labels(last, 0)
check(l.vnet and l.hub and l.require, 'keywords at the start of a statement', l)
local tl = find('transit = nva')
l = labels(tl, 2)
check(l.direct and l.transit and l['spokes.'] and not l.subnets, 'a hub block\'s attributes', l)
vim.api.nvim_buf_set_lines(buf, last, last + 1, false, { 'vnet extra 10.9.0.0/16 in ' })
l = labels(last, 26)
check(l.westeurope and l.swedencentral, 'regions after in', l)
vim.api.nvim_buf_set_lines(buf, last, last + 1, false, { '' })

-- 7. Formatting: the client's buffer becomes what peerc fmt writes.
vim.api.nvim_buf_set_lines(buf, sl, sl + 1, false,
  { 'vnet  spoke-two   10.2.0.0/16 in northeurope {subnets{app=10.2.1.0/24}}' })
local edits = request('textDocument/formatting',
  { textDocument = { uri = vim.uri_from_bufnr(buf) }, options = { tabSize = 2, insertSpaces = true } })
check(edits and #edits > 0, 'formatting proposes edits', edits)
if edits then vim.lsp.util.apply_text_edits(edits, buf, 'utf-16') end
local tmp = dir .. '/buffer.peer'
local f = io.open(tmp, 'w')
f:write(table.concat(lines(), '\n') .. '\n')
f:close()
local formatted = vim.fn.system({ peerc, 'fmt', '--check', tmp })
check(vim.v.shell_error == 0, 'the formatted buffer is what peerc fmt writes', formatted)
local fl = find('vnet spoke-two')
check(fl and lines()[fl + 1] == 'vnet spoke-two 10.2.0.0/16 in northeurope { subnets { app = 10.2.1.0/24 } }',
  'the messy line is formatted', fl and lines()[fl + 1])

-- 8. Shutdown.
vim.lsp.stop_client(client_id)
check(vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20),
  'the server shuts down')
finish()
