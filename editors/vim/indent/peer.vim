" Vim indent file for peer (.peer), the peerc network language.
" Blocks indent by 'shiftwidth'. A list that goes on to the next line
" (`hub H -> a, b,` then `c`) lines up under its first name after `->`, or
" indents by two 'shiftwidth's; a block opened at the end of such a list
" indents from the statement's first line.

if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=PeerIndent() indentkeys=0{,0},!^F,o,O
setlocal autoindent nosmartindent nocindent
let b:undo_indent = 'setlocal indentexpr< indentkeys< autoindent< smartindent< cindent<'

if exists('*PeerIndent')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" The code of line lnum: without its comments, strings kept whole, and
" without trailing blanks.
function! s:code(lnum) abort
  let line = getline(a:lnum)
  let out = ''
  let i = 0
  while i < strlen(line)
    let c = line[i]
    if c ==# '"'
      let s = matchstr(line, '^"\%([^"\\]\|\\.\)*"\=', i)
      let out .= s
      let i += max([strlen(s), 1])
    elseif c ==# '#' || line[i : i + 1] ==# '//'
      break
    elseif line[i : i + 1] ==# '/*'
      let e = stridx(line, '*/', i + 2)
      if e < 0
        break
      endif
      let i = e + 2
    else
      let out .= c
      let i += 1
    endif
  endwhile
  return substitute(out, '\s\+$', '', '')
endfunction

" The first line of the statement or attribute that line lnum continues:
" lines after one ending in `,` belong to it.
function! s:start(lnum) abort
  let lnum = a:lnum
  while 1
    let p = prevnonblank(lnum - 1)
    if p == 0 || s:code(p) !~# ',$'
      return lnum
    endif
    let lnum = p
  endwhile
endfunction

function! PeerIndent() abort
  let prev = prevnonblank(v:lnum - 1)
  if prev == 0
    return 0
  endif
  let start = s:start(prev)
  let code = s:code(prev)
  if code =~# ',$'
    if prev != start
      return indent(prev)
    endif
    let arrow = matchend(getline(prev), '->\s*')
    return arrow >= 0 ? arrow : indent(start) + 2 * shiftwidth()
  endif
  let ind = indent(start)
  if code =~# '{$'
    let ind += shiftwidth()
  endif
  if getline(v:lnum) =~# '^\s*}'
    let ind -= shiftwidth()
  endif
  return ind
endfunction

let &cpo = s:cpo_save
unlet s:cpo_save
