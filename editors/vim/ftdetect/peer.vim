" Vim filetype detection for peer (.peer), the peerc network language.
autocmd BufRead,BufNewFile *.peer setfiletype peer
