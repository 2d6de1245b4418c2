" Loaded by vim-syntax.sh in a headless Vim or Neovim started with
" -u NONE: checks that editors/vim gives the tokens of the .peer files in the
" argument list the expected syntax groups, and that its indent file
" reproduces the indentation of every file under examples/. Writes failures
" to $VIM_SYNTAX_LOG and quits with a non-zero status when there are any.
set nocompatible
exe 'set runtimepath^=' . fnameescape($top_srcdir . '/editors/vim')
filetype plugin indent on
syntax on

let s:fails = []
let s:checks = 0

function! s:expect(lnum, col, want, what) abort
  let s:checks += 1
  let got = synIDattr(synID(a:lnum, a:col, 1), 'name')
  if got !=# a:want
    call add(s:fails, printf('%s:%d:%d: %s: expected %s, got %s',
          \ expand('%'), a:lnum, a:col, a:what, empty(a:want) ? '(none)' : a:want,
          \ empty(got) ? '(none)' : got))
  endif
endfunction

" Every match of pat in text, as [start, end] byte columns (1-based).
function! s:matches(text, pat) abort
  let out = []
  let start = 0
  while 1
    let [m, s, e] = matchstrpos(a:text, a:pat, start)
    if s < 0
      return out
    endif
    call add(out, [s + 1, e])
    let start = e > s ? e : s + 1
  endwhile
endfunction

" The line without its /* */ comments, found by text alone, and whether a
" comment is still open at its end.
function! s:strip_block_comments(line, in_comment) abort
  let [line, in_comment, out] = [a:line, a:in_comment, '']
  while 1
    if in_comment
      let e = stridx(line, '*/')
      if e < 0
        return [out, 1]
      endif
      let [line, in_comment] = [strpart(line, e + 2), 0]
      let out .= repeat(' ', strlen(a:line) - strlen(out) - strlen(line))
    else
      let b = match(line, '/\*')
      if b < 0 || match(line, '#\|//') >= 0 && match(line, '#\|//') < b
        return [out . line, 0]
      endif
      let [out, line, in_comment] = [out . strpart(line, 0, b), strpart(line, b + 2), 1]
    endif
  endwhile
endfunction

" What any well-formed file must get: statement keywords, comments,
" addresses and prefixes, strings, arrows.
function! s:check_generic() abort
  let in_comment = 0
  for lnum in range(1, line('$'))
    let [line, in_comment] = s:strip_block_comments(getline(lnum), in_comment)
    let c = match(line, '^\s*\zs\%(defaults\|vnet\|peer\|hub\|mesh\|site\|require\|deny\)\s')
    if c >= 0
      call s:expect(lnum, c + 1, 'peerKeyword', 'statement keyword')
    endif
    let hash = match(line, '#')
    if hash >= 0 && line !~# '"[^"]*#'
      call s:expect(lnum, hash + 1, 'peerComment', 'start of comment')
      call s:expect(lnum, strlen(line), 'peerComment', 'end of comment')
      let line = strpart(line, 0, hash)
    endif
    for [s, e] in s:matches(line, '\<\d\+\.\d\+\.\d\+\.\d\+\%(/\d\+\)\=')
          \ + s:matches(line, '\x*::\=\x*:[[:xdigit:]:]*\%(/\d\+\)\=')
      call s:expect(lnum, s, 'peerAddress', 'start of address')
      call s:expect(lnum, e, 'peerAddress', 'end of address')
    endfor
    for [s, e] in s:matches(line, '"\%([^"\\]\|\\.\)*"')
      call s:expect(lnum, s, 'peerString', 'string')
      call s:expect(lnum, e, 'peerString', 'string')
    endfor
    for [s, e] in s:matches(line, '<\=->')
      call s:expect(lnum, s, 'peerOperator', 'arrow')
      call s:expect(lnum, e, 'peerOperator', 'arrow')
    endfor
  endfor
endfunction

" A line `#~ ^^^ group` asserts the group of the columns under its carets in
" the nearest line above that is not an assertion; `#~<--- group` asserts it
" for as many columns from the first as there are dashes. Assertions for the
" TextMate grammar (`# ^^^ scope`) are skipped.
function! s:check_carets() abort
  let target = 0
  for lnum in range(1, line('$'))
    let line = getline(lnum)
    if line =~# '^#\s*\%(\^\|<-\)'
      continue
    endif
    if line !~# '^#\~'
      let target = lnum
      continue
    endif
    let want = matchstr(line, '\%(\^\+\|<-\+\)\s\+\zs\%(\w\+\|(none)\)')
    if empty(want)
      call add(s:fails, printf('%s:%d: no group named', expand('%'), lnum))
      continue
    endif
    let want = want ==# '(none)' ? '' : want
    let spans = s:matches(line, '\^\+')
    let dashes = matchstr(line, '<\zs-\+')
    if !empty(dashes)
      call add(spans, [1, strlen(dashes)])
    endif
    for [s, e] in spans
      for col in range(s, e)
        call s:expect(target, col, want, 'caret assertion on line ' . lnum)
      endfor
    endfor
  endfor
endfunction

" Flatten the file, indent it again with =, and compare: the examples are
" indented the way the indent file indents.
function! s:check_indent() abort
  let s:checks += 1
  let before = getline(1, '$')
  silent %s/^\s\+//e
  silent normal! gg=G
  let after = getline(1, '$')
  silent edit!
  for i in range(len(before))
    if before[i] !=# after[i]
      call add(s:fails, printf('%s:%d: indented as: %s', expand('%'), i + 1, after[i]))
      return
    endif
  endfor
endfunction

for s:file in argv()
  exe 'edit ' . fnameescape(s:file)
  if &filetype !=# 'peer' || get(b:, 'current_syntax', '') !=# 'peer'
    call add(s:fails, s:file . ': not detected as peer (filetype=' . &filetype . ')')
    continue
  endif
  if &commentstring !=# '# %s' || &indentexpr !=# 'PeerIndent()'
    call add(s:fails, s:file . ': ftplugin or indent file not loaded')
  endif
  call s:check_generic()
  call s:check_carets()
  if s:file =~# '^examples/'
    call s:check_indent()
  endif
endfor

call writefile(s:fails + [printf('%d checks, %d failed', s:checks, len(s:fails))],
      \ $VIM_SYNTAX_LOG)
exe empty(s:fails) && s:checks > 0 ? 'qall!' : 'cquit!'
