#!/bin/sh
# The command line's behaviour: exit statuses, atomic output, file modes,
# --check and --diff, stdin and stdout, usage errors, color. Run by
# `make check` with PEERC set; works in a scratch directory.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
failures=0

fail() {
	echo "FAIL: $*"
	echo "  stderr was:"
	sed 's/^/    /' err
	failures=$((failures + 1))
}

# run ARGS...: runs peerc; its status in $rc, its output in files out, err.
run() {
	"$PEERC" "$@" >out 2>err
	rc=$?
}

expect_rc() { # STATUS WHAT
	[ "$rc" -eq "$1" ] || fail "$2: exit status $rc, expected $1"
}

expect_err() { # TEXT WHAT
	grep -qF -- "$1" err || fail "$2: stderr lacks '$1'"
}

expect_no_err() { # WHAT
	[ ! -s err ] || fail "$1: stderr is not empty"
}

mtime() { stat -c %Y "$1"; }
mode() { stat -c %a "$1"; }

# A file the parser rejects, whatever it is by now.
printf 'vnet {{{ 10.0.0.0/99 @@@\n' >bad.peer

### --version and --help: GNU form, for help2man

run --version
expect_rc 0 "--version"
[ "$(head -n 1 out)" = "peerc (peerc) 0.1.0" ] ||
	fail "--version: first line is '$(head -n 1 out)'"
grep -q '^License GPLv3+' out || fail "--version: no license line"
grep -q '^There is NO WARRANTY' out || fail "--version: no warranty line"
expect_no_err "--version"

run --help
expect_rc 0 "--help"
[ "$(head -n 1 out)" = "Usage: peerc [OPTION]... FILE" ] ||
	fail "--help: first line is '$(head -n 1 out)'"
for section in 'Options:' 'Exit status:' 'Examples:'; do
	grep -qx "$section" out || fail "--help: no '$section' line"
done
grep -q '^Report bugs to: ' out || fail "--help: no bug report line"
grep -q '^  -o, --output=FILE  ' out || fail "--help: -o is not in GNU form"
awk 'length > 79 { exit 1 }' out || fail "--help: a line is over 79 columns"

run --list-warnings
expect_rc 0 "--list-warnings"
grep -q '^unpeered-vnet  *warning  ' out ||
	fail "--list-warnings: no 'unpeered-vnet warning' row"

### usage errors: status 2, a message, nothing read

run
expect_rc 2 "no input file"
expect_err "peerc: error: no input file" "no input file"

run --no-such-option x.peer
expect_rc 2 "unknown option"
expect_err "unrecognized option '--no-such-option'" "unknown option"

run --chek x.peer
expect_err "did you mean '--check'?" "misspelt option"

run -Wunpeered-vnets x.peer
expect_rc 2 "unknown warning"
expect_err "unknown warning '-Wunpeered-vnets'; did you mean '-Wunpeered-vnet'?" \
	"unknown warning"

run -Wno-error=unpeerd-vnet x.peer
expect_err "did you mean '-Wno-error=unpeered-vnet'?" "-Wno-error= hint"

run -Wno-peering-limit x.peer
expect_rc 2 "-Wno- of an error"
expect_err "'peering-limit' is an error, not a warning" "-Wno- of an error"

run -t cobol x.peer
expect_rc 2 "unknown target"
run -t bicpe x.peer
expect_err "unknown target 'bicpe'; did you mean 'bicep'?" "target hint"

run --check x.peer
expect_rc 2 "--check without -o"
run --check -t none -o x.tf x.peer
expect_rc 2 "--check with -t none"
run --max-errors=lots x.peer
expect_rc 2 "--max-errors not a number"
run --color=sometimes x.peer
expect_rc 2 "--color bad value"
run a.peer b.peer
expect_rc 2 "two input files"

### input errors and I/O errors

run does-not-exist.peer
expect_rc 2 "missing input"
expect_err "peerc: error: cannot read does-not-exist.peer: No such file or directory" \
	"missing input"

run .
expect_rc 2 "a directory as input"

# An existing output survives an input error byte for byte, mtime too.
printf 'keep me\n' >keep.tf
touch -d '2001-02-03 04:05:06' keep.tf
before=$(mtime keep.tf)
run bad.peer -o keep.tf
expect_rc 1 "input error"
[ "$(cat keep.tf)" = "keep me" ] || fail "input error: keep.tf was changed"
[ "$(mtime keep.tf)" = "$before" ] || fail "input error: keep.tf was touched"
[ -z "$(ls -A | grep '^\.keep')" ] || fail "input error: a temporary file is left"
run - -o keep.tf <bad.peer
expect_rc 1 "input error on stdin"
expect_err "<stdin>:" "input error on stdin"

### compiling: statuses 0 and 1, writing, modes, stdin and stdout

cat >defaults.peer <<'PEER'
defaults {
  subscription   = "11111111-1111-1111-1111-111111111111"
  resource_group = "rg-network"
  location       = westeurope
}
PEER
{ cat defaults.peer; printf 'vnet hub 10.0.0.0/16\nvnet spoke1 10.1.0.0/16\n'
  printf 'vnet spoke2 10.2.0.0/16\nhub hub -> spoke1, spoke2\n'; } >good.peer
{ cat defaults.peer; printf 'vnet lonely 10.0.0.0/16\n'; } >lonely.peer

run -t none good.peer
expect_rc 0 "a clean file"
expect_no_err "a clean file"
[ ! -s out ] || fail "-t none: something on stdout"

run -t none lonely.peer
expect_rc 0 "a warning"
expect_err "[-Wunpeered-vnet]" "a warning"
run -t none -Werror lonely.peer
expect_rc 1 "-Werror"
expect_err "[-Werror=unpeered-vnet]" "-Werror"
run -t none -Werror=unpeered-vnet lonely.peer
expect_rc 1 "-Werror=NAME"
run -t none -Werror -Wno-error=unpeered-vnet lonely.peer
expect_rc 0 "-Wno-error=NAME"
run -t none -Wno-unpeered-vnet lonely.peer
expect_rc 0 "-Wno-NAME"
expect_no_err "-Wno-NAME"

run -t ast good.peer
expect_rc 0 "-t ast to stdout"
cp out ast.stdout
[ -s ast.stdout ] || fail "-t ast: nothing on stdout"
run -t ast -o - good.peer
cmp -s out ast.stdout || fail "-o - differs from the default stdout"

run -t ast -o x.json good.peer
expect_rc 0 "-o x.json"
cmp -s x.json ast.stdout || fail "-o x.json differs from stdout"
[ ! -s out ] || fail "-o x.json: something on stdout"
expect_no_err "-o x.json"

run -v -t ast -o x.json good.peer
expect_err "peerc: note: wrote x.json" "-v"

run -t ast - <good.peer
expect_rc 0 "stdin"
grep -q '"<stdin>"' out || fail "stdin: not named <stdin>"

for mask in 022 027; do
	rm -f m.json
	(umask $mask && "$PEERC" -t ast -o m.json good.peer)
	want=$(printf '%o' $((0666 & ~0$mask)))
	[ "$(mode m.json)" = "$want" ] ||
		fail "umask $mask: new file has mode $(mode m.json), not $want"
done
chmod 0600 m.json
run -t ast -o m.json good.peer
[ "$(mode m.json)" = 600 ] || fail "a replaced file lost its mode 0600"

mkdir ro && printf 'old\n' >ro/x.json && chmod 0555 ro
if ! touch ro/probe 2>/dev/null; then # root writes anyway
	run -t ast -o ro/x.json good.peer
	expect_rc 2 "unwritable directory"
	expect_err "peerc: error: cannot write ro/x.json: Permission denied" \
		"unwritable directory"
	[ "$(cat ro/x.json)" = old ] || fail "unwritable directory: file changed"
fi
chmod 0755 ro

run -t ast -o no-such-dir/x.json good.peer
expect_rc 2 "a missing directory"
expect_err "peerc: error: cannot write no-such-dir/x.json: No such file or directory" \
	"a missing directory"
if [ -w /dev/full ]; then
	run -t ast -o /dev/full good.peer
	expect_rc 2 "a full device"
	expect_err "No space left on device" "a full device"
	"$PEERC" -t ast good.peer >/dev/full 2>err
	rc=$?
	expect_rc 2 "a full standard output"
fi

### --api-version: the versions peerc knows, and the way past them

run --api-version 2025-03-01 good.peer -o v.bicep
expect_rc 2 "--api-version peerc does not know"
expect_err "peerc: error: '2025-03-01' is not a Microsoft.Network API version peerc knows (it knows the 46 from 2018-04-01 to 2025-09-01 that Microsoft documents; the nearest are 2025-01-01 and 2025-05-01); --unchecked-api-version writes it unchecked" \
	"--api-version peerc does not know"
[ ! -e v.bicep ] || fail "--api-version peerc does not know: v.bicep was written"
run --api-version 2017-03-01 good.peer -o v.bicep
expect_err "the oldest is 2018-04-01" "--api-version older than peerc knows"
run --api-version 2024-05-01 good.peer -o v.bicep
expect_rc 0 "--api-version peerc knows"
grep -q "@2024-05-01' = {" v.bicep || fail "--api-version 2024-05-01 is not in the output"
run --unchecked-api-version 2026-01-01 good.peer -o v.bicep
expect_rc 0 "--unchecked-api-version"
grep -q "@2026-01-01' = {" v.bicep || fail "--unchecked-api-version is not in the output"
run --unchecked-api-version 2026-1-01 good.peer -o v.bicep
expect_rc 2 "--unchecked-api-version not a date"
expect_err "'--unchecked-api-version' takes a stable version, YYYY-MM-DD" \
	"--unchecked-api-version not a date"

### -o: the target from its extension, by the back-end table

run good.peer -o x.hcl
expect_rc 2 "-o with an unknown extension"
expect_err "peerc: error: cannot tell the target from -o 'x.hcl': the extensions peerc knows are .tf (terraform), .bicep (bicep), .json (arm), .dot (dot), .mmd (mermaid); give -t TARGET" \
	"-o with an unknown extension"
[ ! -e x.hcl ] || fail "-o with an unknown extension: x.hcl was written"
run good.peer -o /dev/null
expect_rc 2 "-o /dev/null without -t"
run -t terraform good.peer -o x.hcl
expect_rc 0 "-t terraform -o x.hcl"
grep -q '^resource "azurerm_virtual_network_peering"' x.hcl ||
	fail "-t terraform -o x.hcl: not Terraform"
# Extensions compare ignoring case.
run good.peer -o UPPER.TF
expect_rc 0 "-o UPPER.TF"
cmp -s UPPER.TF x.hcl || fail "-o UPPER.TF: not the Terraform output"
run good.peer -o Mixed.Json
expect_rc 0 "-o Mixed.Json"
grep -q '"\$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"' \
	Mixed.Json || fail "-o Mixed.Json: not an ARM template"
# Terraform loads *.tf.json as its own configuration: never an output name.
run good.peer -o main.tf.json
expect_rc 2 "-o main.tf.json"
expect_err "peerc: error: -o 'main.tf.json': Terraform would load it as Terraform JSON configuration; name it 'main.json'" \
	"-o main.tf.json"
[ ! -e main.tf.json ] || fail "-o main.tf.json was written"
run -t terraform good.peer -o main.TF.Json
expect_rc 2 "-t terraform -o main.TF.Json"
expect_err "name it 'main.tf'" "-t terraform -o main.TF.Json"

### -o naming the input file: a usage error, the source untouched

cp good.peer self.peer
cp self.peer self.orig
run self.peer -t terraform -o self.peer
expect_rc 2 "-o the input file"
expect_err "peerc: error: -o 'self.peer' is the input file: writing it would replace the source" \
	"-o the input file"
cmp -s self.peer self.orig || fail "-o the input file: the source was changed"
ln -s self.peer self-link.tf
ln self.peer self-hard.tf
cp good.peer ./other.tf
for name in self-link.tf self-hard.tf ./self.peer; do
	run self.peer -t terraform -o "$name"
	expect_rc 2 "-o $name, the input by another name"
done
cmp -s self.peer self.orig || fail "-o the input by another name: the source was changed"
run --check self.peer -t terraform -o self-hard.tf
expect_rc 2 "--check -o the input file"
run self.peer -o other.tf
expect_rc 0 "-o a file other than the input"

### --check and --diff

run -t ast -o fresh.json good.peer
touch -d '2001-02-03 04:05:06' fresh.json
before=$(mtime fresh.json)
run --check -t ast -o fresh.json good.peer
expect_rc 0 "--check, fresh"
expect_no_err "--check, fresh"
[ "$(mtime fresh.json)" = "$before" ] || fail "--check touched the file"

sed 's/"hub"/"hub0"/' fresh.json >stale.json
touch -d '2001-02-03 04:05:06' stale.json
cp stale.json stale.orig
run --check -t ast -o stale.json good.peer
expect_rc 3 "--check, stale"
expect_err "peerc: note: stale.json is out of date" "--check, stale"
cmp -s stale.json stale.orig || fail "--check changed the file"
[ "$(mtime stale.json)" = "$before" ] || fail "--check touched a stale file"
[ ! -s out ] || fail "--check printed a diff"

run --check -t ast -o absent.json good.peer
expect_rc 3 "--check, missing file"
expect_err "absent.json does not exist" "--check, missing file"
[ ! -e absent.json ] || fail "--check wrote the missing file"

run --check -t ast -o stale.json bad.peer
expect_rc 1 "--check of a bad input"

# --diff: a unified diff that patch(1) applies to get the fresh output.
run --diff -t ast -o stale.json good.peer
expect_rc 3 "--diff, stale"
cp out diff.out
[ "$(sed -n 1p diff.out)" = "--- a/stale.json" ] || fail "--diff: first header"
[ "$(sed -n 2p diff.out)" = "+++ b/stale.json" ] || fail "--diff: second header"
grep -q '^@@ -[0-9][0-9,]* +[0-9][0-9,]* @@$' diff.out || fail "--diff: no hunk"
grep -q '^-.*"hub0"' diff.out || fail "--diff: the old line is not removed"
grep -q '^+.*"hub"' diff.out || fail "--diff: the new line is not added"
if command -v patch >/dev/null 2>&1; then
	patch -s -p1 <diff.out || fail "--diff: patch rejects it"
	cmp -s stale.json fresh.json || fail "--diff: the patched file is not fresh"
fi
run --diff -t ast -o fresh.json good.peer
expect_rc 0 "--diff, fresh"
[ ! -s out ] || fail "--diff, fresh: printed something"
run --diff -t ast -o new.json good.peer
expect_rc 3 "--diff, missing file"
[ "$(sed -n 1p out)" = "--- /dev/null" ] || fail "--diff, missing file: header"

### Bicep modules: beside the main file, and checked with it

{ cat defaults.peer; printf 'vnet hub 10.0.0.0/16\npeer hub <-> app\n'
  printf 'vnet app 10.1.0.0/16 { resource_group = "rg-app" }\n'; } >mod.peer
run -t bicep mod.peer
expect_rc 2 "Bicep modules to stdout"
expect_err "give -o FILE to write them beside it" "Bicep modules to stdout"
mkdir bicep
run mod.peer -o bicep/main.bicep
expect_rc 0 "Bicep with modules"
module=$(find bicep/modules -type f 2>/dev/null | LC_ALL=C sort | head -n 1)
[ -n "$module" ] || fail "Bicep with modules: no file under bicep/modules"
run --check mod.peer -o bicep/main.bicep
expect_rc 0 "--check, fresh modules"
if [ -n "$module" ]; then
	echo "// edited" >>"$module"
	run --check mod.peer -o bicep/main.bicep
	expect_rc 3 "--check, an edited module"
	expect_err "peerc: note: $module is out of date" "--check, an edited module"
	rm "$module"
	run --diff mod.peer -o bicep/main.bicep
	expect_rc 3 "--diff, a missing module"
	grep -qx "+++ b/$module" out || fail "--diff, a missing module: no header"
fi

### -o streams: the output is rendered straight into its temporary file,
### a piece at a time; the same bytes as the whole output in memory

# 4 hubs of 400 spokes: megabytes, many pieces of 64 KiB
{ cat defaults.peer
  h=0; while [ $h -lt 4 ]; do
	printf 'vnet hub%d 10.0.%d.0/24 {\n  gateway\n' $h $h
	printf '  subnets { GatewaySubnet = 10.0.%d.0/27 }\n}\nhub hub%d -> ' $h $h
	i=0; while [ $i -lt 400 ]; do
		printf '%ss%d_%d' "$([ $i -gt 0 ] && echo ', ')" $h $i; i=$((i + 1)); done
	printf '\n'
	i=0; while [ $i -lt 400 ]; do
		printf 'vnet s%d_%d 10.%d.%d.0/24 { subnets { app = 10.%d.%d.0/25 } }\n' \
			$h $i $((2 * h + 1 + i / 250)) $((i % 250)) $((2 * h + 1 + i / 250)) $((i % 250))
		i=$((i + 1)); done
	h=$((h + 1)); done; } >big.peer
run -t terraform big.peer
cp out big.stdout
run big.peer -o big.tf
expect_rc 0 "streamed Terraform"
[ "$(wc -c <big.tf)" -gt 1000000 ] || fail "streamed Terraform: only $(wc -c <big.tf) bytes"
cmp -s big.tf big.stdout || fail "streamed Terraform differs from standard output"
for t in bicep:bicep arm:json; do
	mkdir -p "big-${t%%:*}"
	run -t "${t%%:*}" big.peer -o "big-${t%%:*}/main.${t#*:}"
	expect_rc 0 "streamed ${t%%:*}"
	# --diff renders in memory and compares every file
	run --diff -t "${t%%:*}" big.peer -o "big-${t%%:*}/main.${t#*:}"
	expect_rc 0 "streamed ${t%%:*} is what --diff renders"
	[ ! -s out ] || fail "streamed ${t%%:*}: --diff printed a diff"
done

# --check streams too: it compares the output with the files as it comes
# (a CI run's --check of a big estate holds neither file whole). Where the
# first difference is must not matter: the last byte, a byte more, a byte
# less, a module's.
run --check big.peer -o big.tf
expect_rc 0 "streamed --check, fresh"
expect_no_err "streamed --check, fresh"
cp big.tf big.orig
for edit in last more less; do
	cp big.orig big.tf
	case $edit in
	last) printf '%s' "$(cat big.orig)" >big.tf; printf 'x' >>big.tf ;;
	more) printf ' ' >>big.tf ;;
	less) head -c "$(($(wc -c <big.orig) - 1))" big.orig >big.tf ;;
	esac
	run --check big.peer -o big.tf
	expect_rc 3 "streamed --check, $edit byte"
	expect_err "peerc: note: big.tf is out of date" "streamed --check, $edit byte"
done
cp big.orig big.tf
module=$(ls big-bicep/modules | sed -n 2p)
printf '\n' >>"big-bicep/modules/$module"
run --check -t bicep big.peer -o big-bicep/main.bicep
expect_rc 3 "streamed --check, an edited module"
expect_err "peerc: note: big-bicep/modules/$module is out of date" \
	"streamed --check, an edited module"
[ "$(grep -c 'out of date' err)" = 1 ] || fail "streamed --check: other modules said stale"
# a compile that fails says nothing of the files it compared before
{ cat big.peer; printf 'vnet broken 10.0.0.0/33\n'; } >broken-big.peer
run --check broken-big.peer -o big-bicep/main.bicep
expect_rc 1 "streamed --check of a bad input"
grep -q "out of date" err && fail "streamed --check of a bad input spoke of stale files"
mkdir big-dir.tf
run --check big.peer -o big-dir.tf
expect_rc 2 "streamed --check of a folder"
expect_err "peerc: error: cannot read big-dir.tf: Is a directory" \
	"streamed --check of a folder"

# A template that fails late, after megabytes were streamed: the old
# output stays, byte for byte, and no temporary or folder is left.
mkdir -p late/bicep
sed 's/{{p.use_remote_gateways}}/{{p.no_such_thing}}/' \
	"$top_srcdir/templates/terraform/main.tf.tmpl" >late/main.tf.tmpl
mkdir late/terraform && mv late/main.tf.tmpl late/terraform/
printf 'keep me\n' >late.tf
run big.peer -o late.tf --template-dir late
expect_rc 1 "a template error after streaming"
expect_err "unknown variable 'p.no_such_thing'" "a template error after streaming"
[ "$(cat late.tf)" = "keep me" ] || fail "a template error after streaming: late.tf changed"
[ -z "$(ls -A | grep '^\.late')" ] || fail "a template error after streaming: a temporary is left"
sed 's/{{v.name}}/{{v.no_such_thing}}/' \
	"$top_srcdir/templates/bicep/main.bicep.tmpl" >late/bicep/main.bicep.tmpl
mkdir late-bicep
run mod.peer -o late-bicep/main.bicep --template-dir late
expect_rc 1 "a Bicep template error"
[ -z "$(ls -A late-bicep)" ] || fail "a Bicep template error: left $(find late-bicep)"

# One flush to disk per run, before anything is renamed: the crash
# guarantee (a target is its old bytes or its new ones, whole) needs every
# temporary on the disk before the first rename, not a sync per file.
if command -v strace >/dev/null 2>&1; then
	mkdir flush-bicep
	strace -f -o trace -e trace=fsync,fdatasync,syncfs,sync,rename,renameat,renameat2 \
		"$PEERC" big.peer -o flush-bicep/main.bicep >/dev/null 2>err
	syncs=$(grep -cE '(fsync|fdatasync|syncfs|sync)\(' trace)
	[ "$syncs" -eq 1 ] || fail "one flush per run: $syncs syncs: $(cat trace)"
	first_rename=$(grep -nE 'rename' trace | head -n 1 | cut -d: -f1)
	sync_line=$(grep -nE '(fsync|fdatasync|syncfs|sync)\(' trace | head -n 1 | cut -d: -f1)
	[ "$(find flush-bicep -type f | wc -l)" -gt 2 ] ||
		fail "one flush per run: too few files to tell"
	[ -n "$first_rename" ] && [ "${sync_line:-999999}" -lt "$first_rename" ] ||
		fail "one flush per run: a rename before the flush: $(cat trace)"
else
	echo "SKIP: strace is not installed: the one-flush order is not checked"
fi

### diagnostics in file order, whatever pass found them

# public-address-space runs after subnet-outside-vnet in the check table:
# its warning on line 6 still comes before the error on line 7.
{ cat defaults.peer
  printf 'vnet hub 1.0.0.0/16\n'
  printf 'vnet spoke 10.1.0.0/16 { subnets { app = 10.9.0.0/24 } }\n'
  printf 'peer hub <-> spoke\n'; } >order.peer
run -t none order.peer
expect_rc 1 "diagnostics in file order"
grep -E '^order\.peer:[0-9]+:[0-9]+: (error|warning):' err | cut -d: -f2 >lines
sort -n -c lines 2>/dev/null || fail "diagnostics not in file order: lines $(tr '\n' ' ' <lines)"
[ "$(wc -l <lines)" -eq 2 ] || fail "diagnostics in file order: expected 2, got $(wc -l <lines)"

### Bicep modules an earlier run wrote and this run does not

# Three groups, then two: the modules of the third are stale. Only files
# under bicep/modules whose header says they are modules of this output
# are touched: not the user's own file, not another output's modules.
{ cat defaults.peer; printf 'vnet hub 10.0.0.0/16\n'
  printf 'vnet app 10.1.0.0/16 { resource_group = "rg-app" }\n'
  printf 'vnet db 10.2.0.0/16 { resource_group = "rg-db" }\n'
  printf 'hub hub -> app, db\n'; } >three.peer
{ cat defaults.peer; printf 'vnet hub 10.0.0.0/16\n'
  printf 'vnet app 10.1.0.0/16 { resource_group = "rg-app" }\n'
  printf 'hub hub -> app\n'; } >two.peer
{ cat defaults.peer; printf 'vnet hub 10.0.0.0/16\n'
  printf 'vnet ops 10.3.0.0/16 { resource_group = "rg-ops" }\n'
  printf 'peer hub <-> ops\n'; } >ops.peer
rm -rf stale && mkdir stale
run three.peer -o stale/main.bicep
expect_rc 0 "stale modules: the first run"
run ops.peer -o stale/ops.bicep
expect_rc 0 "stale modules: another output beside it"
printf '// my own notes\n' >stale/modules/notes.bicep
mkdir -p stale/modules/deeper
# A module of main.bicep in a folder of its own: found at any depth, so a
# later naming of module files does not leave files behind.
cp stale/modules/main-rg-db-peerings.bicep stale/modules/deeper/moved.bicep
find stale -type f | LC_ALL=C sort >before
grep -q 'stale/modules/main-rg-db-network.bicep' before ||
	fail "stale modules: the first run wrote no main-rg-db-network module"
cp -R stale modules.orig
run --check two.peer -o stale/main.bicep
expect_rc 3 "--check, stale modules"
expect_err "peerc: note: stale/modules/main-rg-db-network.bicep would be removed: a module of main.bicep that this run does not write" \
	"--check, stale modules"
expect_err "stale/modules/deeper/moved.bicep would be removed" "--check, a stale module deeper"
grep -q "notes.bicep\|ops-rg-ops" err && fail "--check names a file that is not a stale module of main.bicep"
diff -r stale modules.orig >/dev/null || fail "--check changed the files"
run --diff two.peer -o stale/main.bicep
expect_rc 3 "--diff, stale modules"
grep -qx -- "--- a/stale/modules/main-rg-db-network.bicep" out &&
	grep -qx -- "+++ /dev/null" out || fail "--diff, stale modules: no removal diff"
if command -v patch >/dev/null 2>&1; then
	cp out stale.diff
	(mkdir p && cp -R modules.orig p/stale && cd p &&
	 patch -s -p1 -E <../stale.diff) || fail "--diff, stale modules: patch rejects it"
fi
run -v two.peer -o stale/main.bicep
expect_rc 0 "a write removes stale modules"
expect_err "peerc: note: removed stale/modules/main-rg-db-network.bicep" "a write removes stale modules"
for gone in main-rg-db-network main-rg-db-peerings deeper/moved; do
	[ ! -e "stale/modules/$gone.bicep" ] || fail "stale module $gone.bicep is left"
done
[ ! -e stale/modules/deeper ] || fail "the emptied folder stale/modules/deeper is left"
[ -f stale/modules/notes.bicep ] || fail "a file that is not peerc's was removed"
ls stale/modules | grep -q '^ops-rg-ops' || fail "the modules of another output were removed"
if command -v patch >/dev/null 2>&1; then
	diff -r -x notes.bicep p/stale stale >/dev/null ||
		fail "--diff, stale modules: the patched tree is not what a write makes"
fi
run --check two.peer -o stale/main.bicep
expect_rc 0 "--check after the stale modules are removed"
# The last module gone, the folder goes too (it holds nothing of the user's).
rm stale/modules/notes.bicep stale/modules/ops-rg-ops* stale/ops.bicep
{ cat defaults.peer; printf 'vnet hub 10.0.0.0/16\nvnet spoke 10.1.0.0/16\npeer hub <-> spoke\n'; } >one.peer
run one.peer -o stale/main.bicep
expect_rc 0 "a write that needs no modules"
[ ! -e stale/modules ] || fail "the emptied modules folder is left"

# An estate that needs stages, then one that does not: the stage files of
# the first are stale (a loop over the files would deploy them), whatever
# the target; a file that only looks like one is not peerc's and stays.
hubs_of() { # N: hubs of 400 spokes, N spokes in all, in one group
	cat defaults.peer
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (i % 400 == 0)
				printf "vnet hub%d 172.16.%d.0/24\n", i / 400, i / 400
			printf "vnet s%d 10.%d.%d.0/24\n", i, int(i / 256), i % 256
			printf "peer hub%d <-> s%d\n", int(i / 400), i
		} }'
}
hubs_of 3600 >big.peer
hubs_of 10 >small.peer
run -t arm big.peer
expect_rc 2 "ARM stages to stdout"
expect_err "peerc: error: the arm output is more than one file (azuredeploy.stage2.json): give -o FILE to write them beside it" \
	"ARM stages to stdout"
for t in arm:json bicep:bicep; do
	ext=${t#*:}
	rm -rf staged && mkdir staged
	run -t "${t%%:*}" big.peer -o "staged/net.$ext"
	expect_rc 0 "stages (${t%%:*})"
	[ -f "staged/net.stage2.$ext" ] || fail "big.peer to ${t%%:*}: no second stage"
	printf 'not peerc'"'"'s\n' >"staged/net.stage9.$ext"
	run --check -t "${t%%:*}" small.peer -o "staged/net.$ext"
	expect_rc 3 "--check, stale stages (${t%%:*})"
	expect_err "peerc: note: staged/net.stage2.$ext would be removed: a stage of net.$ext that this run does not write" \
		"--check, stale stages (${t%%:*})"
	grep -q "stage9" err && fail "--check names a file peerc did not write (${t%%:*})"
	run -t "${t%%:*}" small.peer -o "staged/net.$ext"
	expect_rc 0 "a write removes stale stages (${t%%:*})"
	ls staged | grep -q "^net\.stage[2-8]" && fail "stale stages left (${t%%:*})"
	[ -f "staged/net.stage9.$ext" ] || fail "a file that is not peerc's was removed (${t%%:*})"
done

### color

run --color=always bad.peer
grep -q "$(printf '\033')\[" err || fail "--color=always: no escape codes"
run --color=never bad.peer
grep -q "$(printf '\033')" err && fail "--color=never: escape codes"
# stderr is a file here, so auto means none.
run bad.peer
grep -q "$(printf '\033')" err && fail "--color=auto off a terminal: escape codes"
# On a terminal (script(1) gives one), auto means color unless NO_COLOR.
if command -v script >/dev/null 2>&1; then
	TERM=xterm script -qec "'$PEERC' bad.peer" /dev/null >err 2>&1
	grep -q "$(printf '\033')\[" err || fail "--color=auto on a terminal: no color"
	NO_COLOR=1 TERM=xterm script -qec "'$PEERC' bad.peer" /dev/null >err 2>&1
	grep -q "$(printf '\033')" err && fail "NO_COLOR on a terminal: escape codes"
fi

### --explain A B FILE

cat >reach.peer <<'EOF2'
defaults { subscription = "11111111-1111-1111-1111-111111111111"
  resource_group = rg location = westeurope }
vnet hub 10.0.0.0/16 { gateway subnets { GatewaySubnet = 10.0.255.224/27 } }
vnet spoke1 10.1.0.0/16
vnet spoke2 10.2.0.0/16
site onprem 192.168.0.0/16 via hub
hub hub -> spoke1, spoke2
EOF2
run --explain spoke1 onprem reach.peer
expect_rc 0 "--explain, reachable"
expect_no_err "--explain, reachable"
[ "$(cat out)" = "yes, by 'spoke1' -> 'hub' -> site 'onprem', using the gateway of 'hub'" ] ||
	fail "--explain, reachable: stdout is '$(cat out)'"
run --explain spoke1 spoke2 reach.peer
expect_rc 1 "--explain, not reachable"
grep -qF "no, because both are spokes of hub 'hub', which has no transit" out ||
	fail "--explain, not reachable: stdout is '$(cat out)'"
# The file may come first, as with every other option.
run reach.peer --explain spoke1 onprem
expect_rc 0 "FILE --explain A B"
[ "$(cat out)" = "yes, by 'spoke1' -> 'hub' -> site 'onprem', using the gateway of 'hub'" ] ||
	fail "FILE --explain A B: stdout is '$(cat out)'"
run reach.peer --explain=onprem spoke1
expect_rc 0 "FILE --explain=A B"
grep -q "^yes, by " out ||
	fail "FILE --explain=A B: stdout is '$(cat out)'"
run reach.peer --explain spoke2 spoke1
expect_rc 1 "FILE --explain A B, not reachable"
grep -qF "no, because both are spokes of hub 'hub'" out ||
	fail "FILE --explain A B, not reachable: stdout is '$(cat out)'"
run --explain spoke1 reach.peer
expect_rc 2 "--explain with one name"
expect_err "--explain needs two names and a file" "--explain with one name"
run --explain spoke1 spoke2 -o x.tf reach.peer
expect_rc 2 "--explain with -o"
run --explain spoke1 spoke2 bad.peer
expect_rc 1 "--explain on a file that does not parse"
[ ! -s out ] || fail "--explain on a bad file: stdout is not empty"

run --explain spoke1 spoke2 -t terraform reach.peer
expect_rc 2 "--explain with -t terraform"
expect_err "-t only as dot or mermaid" "--explain with -t terraform"
run --explain spoke1 spoke2 -t dot -o x.dot reach.peer
expect_rc 2 "--explain -t dot with -o"
[ ! -e x.dot ] || fail "--explain -t dot with -o: wrote x.dot"
run --explain spoke1 onprem -t dot reach.peer
expect_rc 0 "--explain -t dot, reachable"
grep -q '^graph "reach.peer" {$' out || fail "--explain -t dot: stdout is not the graph"
run --explain spoke1 nobody -t mermaid reach.peer
expect_rc 1 "--explain -t mermaid, unknown name"
expect_err "'nobody' is not a VNet or site of the file" "--explain -t mermaid, unknown name"
[ ! -s out ] || fail "--explain -t mermaid, unknown name: drew a picture"
run --explain spoke1 spoke2 --format=json reach.peer
expect_rc 1 "--explain --format=json, not reachable"
grep -q '"reachable": false' out || fail "--explain --format=json: stdout is '$(cat out)'"
run --explain spoke1 spoke2 --format=yaml reach.peer
expect_rc 2 "--format=yaml"
expect_err "invalid --format 'yaml': text or json" "--format=yaml"
run --format=json reach.peer
expect_rc 2 "--format without --explain"
expect_err "--format is for --explain's answer" "--format without --explain"
run --explain spoke1 spoke2 -t dot --format=json reach.peer
expect_rc 2 "--explain -t dot --format=json"

### pictures: -t from the -o extension

run -o topo.dot reach.peer
expect_rc 0 "-o topo.dot"
grep -q '^graph "reach.peer" {$' topo.dot || fail "-o topo.dot: not a DOT graph"
run -o topo.mmd reach.peer
expect_rc 0 "-o topo.mmd"
grep -q '^flowchart LR$' topo.mmd || fail "-o topo.mmd: not a Mermaid flowchart"

### --diagnostics-format: a mistake in it is reported as text

run --diagnostics-format=jsn reach.peer
expect_rc 2 "--diagnostics-format=jsn"
expect_err "invalid --diagnostics-format 'jsn': text, json, sarif or github; did you mean 'json'?" "--diagnostics-format=jsn"
run --diagnostics-format=json --no-such-option reach.peer
expect_rc 2 "--diagnostics-format=json, then a bad option"
head -c 1 err | grep -q '{' || fail "a usage error after --diagnostics-format=json is not JSON"
### moved blocks: a Terraform address that changes while the previous
### output exists is moved, not replaced (the label rule keeps addresses
### stable otherwise: the existing app_one is renamed only because a new
### VNet collides with its label)

cat >mv.peer <<'EOF2'
defaults { subscription = "11111111-1111-1111-1111-111111111111"
  resource_group = rg location = westeurope }
vnet hub 10.0.0.0/16
vnet app_one 10.1.0.0/16
peer hub <-> app_one
EOF2
run mv.peer -o mv.tf
expect_rc 0 "moved: first output"
grep -q '^moved' mv.tf && fail "moved: a first output has a moved block"
grep -q '^resource "azurerm_virtual_network" "app_one" {' mv.tf ||
	fail "moved: app_one is not labelled app_one"
sed 's/^vnet hub 10.0.0.0\/16$/vnet app-one 10.2.0.0\/16 { name = "app-two" }\nvnet hub 10.0.0.0\/16/' \
	mv.peer >mv2.peer
printf 'peer hub <-> app-one\n' >>mv2.peer
cp mv.tf mv-before.tf
run -v mv2.peer -o mv.tf
expect_rc 0 "moved: second output"
# streamed once, then (an address changed) rendered again with the moves:
# the second render replaces the first, which leaves no temporary
[ "$(grep -c 'wrote mv.tf' err)" -eq 1 ] || fail "moved: mv.tf written $(grep -c 'wrote mv.tf' err) times"
[ -z "$(ls -A | grep '^\.mv')" ] || fail "moved: a temporary is left"
to=$(sed -n 's/^resource "azurerm_virtual_network" "\(app_one_[0-9a-f]*\)" {$/\1/p' mv.tf |
	while read -r l; do grep -q "^resource \"azurerm_virtual_network\" \"$l\" {" mv.tf &&
		sed -n "/^resource \"azurerm_virtual_network\" \"$l\" {/,/^}/p" mv.tf |
		grep -q '"app_one"' && echo "$l"; done)
[ -n "$to" ] || fail "moved: app_one has no hashed label"
grep -qx "  from = azurerm_virtual_network.app_one" mv.tf ||
	fail "moved: no moved block from azurerm_virtual_network.app_one"
grep -qx "  to   = azurerm_virtual_network.$to" mv.tf ||
	fail "moved: the moved block does not lead to $to"
[ "$(grep -c '^moved' mv.tf)" -eq 3 ] ||
	fail "moved: $(grep -c '^moved' mv.tf) moved blocks, expected 3 (the VNet, both halves)"
run mv2.peer -o mv.tf --check
expect_rc 0 "moved: a second run keeps the moved blocks (--check)"
cp mv.tf mv-again.tf
run mv2.peer -o mv.tf
cmp -s mv.tf mv-again.tf || fail "moved: a second run (streamed) drops the moved blocks"
# an unchanged regeneration is the streamed render alone: the same bytes
cp mv-before.tf mv4.tf
run mv.peer -o mv4.tf
cmp -s mv4.tf mv-before.tf || fail "moved: regenerating an unchanged file changed it"
run mv2.peer -t terraform -o -
expect_rc 0 "moved: to stdout"
grep -q '^moved' out && fail "moved: output to stdout has moved blocks (no previous file)"
cp mv-before.tf mv3.tf
printf '# not peerc\n' >foreign.tf
cat mv-before.tf >>foreign.tf
run mv2.peer -o foreign.tf
grep -q '^moved' foreign.tf && fail "moved: blocks from a file peerc did not write"
# A previous file whose names refer to each other twice over, 3,000 deep:
# each reference is followed once, and a resolved name stays short.
awk 'BEGIN { print "# Generated by peerc x"
	for (i = 0; i < 3000; i++) {
		printf "resource \"azurerm_virtual_network\" \"b%d\" {\n", i
		printf "  name = azurerm_virtual_network.b%d.name azurerm_virtual_network.b%d.name\n}\n", i + 1, i + 1
	} }' >deep.tf
run mv2.peer -o deep.tf
expect_rc 0 "moved: a previous file of self-referring names"
grep -q '^moved' deep.tf && fail "moved: blocks from self-referring names"

if [ "$failures" -ne 0 ]; then
	echo "$failures failures"
	exit 1
fi
exit 0
