" Vim syntax file for peer (.peer), the peerc network language.
" Language: peer v1; examples/ in the peerc sources shows every construct
"
" The statement keywords (vnet, hub, peer, ...) are not reserved: a VNet may
" be called `hub`, as in `hub hub -> spoke1`. So a keyword is one only where a
" statement can start: first on its line or after a `}`, and followed by a
" name (or, for `defaults`, by a `{`). Inside a block a name is an attribute
" name, or a value when it follows `=` or `,`.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match

" An identifier: a letter or `_`, then letters, digits, `_` or `-`, not
" ending in `-` (so `hub->spoke` is hub, ->, spoke). The look-arounds stand in
" for \< and \>, which would not see `-` as part of a name; a name is
" never followed by `:`, an IPv6 address (fd00::1) is.
let s:id = '\%([[:alnum:]_-]\)\@1<!\h\%([[:alnum:]_-]*[[:alnum:]_]\)\=\%([[:alnum:]_:]\)\@!'
" Where a statement can start: first on its line, or after a `}`.
let s:stmt = '\%(^\s*\|}\s*\)\@<='

" Comments: `#` and `//` to the end of the line, `/* ... */`.
syn keyword peerTodo contained TODO FIXME XXX NOTE
syn match   peerComment "#.*$" contains=peerTodo,@Spell
syn match   peerComment "//.*$" contains=peerTodo,@Spell
syn region  peerComment start="/\*" end="\*/" contains=peerTodo,@Spell

" Outside blocks a name is a VNet or site name. At one position the item
" defined last wins: the keywords, then the addresses (which start with
" digits or hex letters) come after the names and the plain integer.
exe 'syn match peerName "' . s:id . '"'
syn match peerNumber "\<\d\+\>"

" Statements. The region after `in` is a value, as after `location =`.
exe 'syn match peerKeyword "' . s:stmt . 'defaults\ze\s*{"'
exe 'syn match peerKeyword "' . s:stmt . '\%(vnet\|peer\|hub\|mesh\|site\|require\|deny\)\ze\s\+\h"'
exe 'syn match peerKeyword "\s\@1<=in\ze\s\+\h" nextgroup=peerRegion skipwhite'
exe 'syn match peerRegion "' . s:id . '" contained'
exe 'syn match peerKeyword "\s\@1<=via\ze\s\+\h"'

" Blocks: attribute names, side qualifiers (hub.access, spokes.forwarded),
" values, nested blocks (tags, subnets). A name in a block is an attribute
" name, unless it follows `=` or `,`: then it is a value (a region, nva).
syn region peerBlock matchgroup=peerBrace start="{" end="}" fold transparent
      \ contains=peerBlock,peerComment,peerString,peerNumber,peerAddress,
      \ peerOperator,peerDelimiter,peerBoolean,peerQualifier,peerAttribute,
      \ peerValue
exe 'syn match peerAttribute "' . s:id . '" contained'
exe 'syn match peerQualifier "' . s:id . '\ze\.\h" contained nextgroup=peerQualifierDot'
syn match peerQualifierDot "\." contained nextgroup=peerAttribute
exe 'syn match peerValue "\%([=,]\s*\)\@<=' . s:id . '" contained'
syn keyword peerBoolean true false contained

syn match peerAddress "\<\d\{1,3}\%(\.\d\{1,3}\)\{3}\%(/\d\{1,3}\)\=\>"
" IPv6 in any RFC 4291 text form (fd00:3::/48, ::1, ::ffff:10.0.0.1): an
" optional hex group, a colon, then hex digits, colons and dots, then perhaps
" a prefix length. Nothing else in the language contains a colon.
syn match peerAddress "\%(\<\x\{1,4}\)\=:[[:xdigit:]:.]*\%(/\d\{1,3}\)\="

" Strings with their escapes; any other backslash sequence is an error.
syn region peerString start=+"+ skip=+\\\\\|\\"+ end=+"+ oneline
      \ contains=peerEscapeError,peerEscape
syn match peerEscapeError "\\." contained
syn match peerEscape +\\["\\nt]+ contained
syn match peerEscape "\\u\x\{4}" contained

syn match peerOperator "<->"
syn match peerOperator "->"
syn match peerOperator "="
syn match peerDelimiter ","

" Blocks and /* */ comments span lines; .peer files are small enough to parse
" from the top, which is always right.
syn sync fromstart

hi def link peerComment      Comment
hi def link peerTodo         Todo
hi def link peerKeyword      Keyword
hi def link peerName         Identifier
hi def link peerNumber       Number
hi def link peerAddress      Number
hi def link peerString       String
hi def link peerEscape       SpecialChar
hi def link peerEscapeError  Error
hi def link peerOperator     Operator
hi def link peerDelimiter    Delimiter
hi def link peerBrace        Delimiter
hi def link peerAttribute    Type
hi def link peerQualifier    Special
hi def link peerQualifierDot Special
hi def link peerValue        Constant
hi def link peerRegion       Constant
hi def link peerBoolean      Boolean

let b:current_syntax = 'peer'

let &cpo = s:cpo_save
unlet s:cpo_save s:id s:stmt
