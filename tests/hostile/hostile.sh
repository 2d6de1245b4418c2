#!/bin/sh
# Hostile input, the fast cases: each one asserts peerc's exact exit status
# and exact message (stdout and stderr), and that an existing output is
# left as it was. Run by `make check`, so under ASan/UBSan too (tests/run);
# tests/hostile/repro.sh runs the slow reproductions of the issue that made
# these. Works in a scratch directory with relative names, so messages are
# what a user sees.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp"; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
passed=0
failed=0
hub=$top_srcdir/examples/hub-spoke.peer
cp "$hub" hub.peer
printf 'kept\n' >keep.tf

# A sanitizer build cannot run under ulimit -v; it is made to fail large
# allocations instead.
asan=false
grep -qa __asan_init "$PEERC" && asan=true

# expect NAME STATUS [ARGS...]: runs peerc with ARGS (no stdin); the
# expected stderr is in the file want, stdout must be empty unless the file
# want.out exists. keep.tf must be unchanged.
expect() {
	name=$1 status=$2
	shift 2
	"$PEERC" "$@" >out 2>err </dev/null
	check "$name" "$status" $?
}

check() { # NAME STATUS GOT-STATUS
	ok=true
	[ "$3" -eq "$2" ] || { echo "FAIL: $1: exit status $3, expected $2"; ok=false; }
	if ! cmp -s want err; then
		echo "FAIL: $1: stderr differs:"
		diff want err | head -n 20 | sed 's/^/    /'
		ok=false
	fi
	if [ -f want.out ]; then
		cmp -s want.out out || { echo "FAIL: $1: stdout differs"; ok=false; }
	elif [ -s out ]; then
		echo "FAIL: $1: stdout is not empty"
		ok=false
	fi
	[ "$(cat keep.tf)" = kept ] || { echo "FAIL: $1: keep.tf changed"; ok=false; }
	rm -f want want.out
	if $ok; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

### 1. a topology that declares nothing is an error, unless asked for

no_vnets() { # FILE
	cat >want <<END
$1: error: no VNets declared: is this the right file?
$1: note: its output would have no resources: applied over an earlier one, it deletes every VNet and peering that one made; '--allow-empty' writes it all the same
END
}
: >empty.peer
printf ' \t\n\n  \r\n' >space.peer
printf '# nothing\n// here\n/* at all */\n' >comments.peer
printf '\357\273\277' >bom.peer
printf 'defaults { location = westeurope }\n' >defaults.peer
# (a site or a require names a VNet, so a file of them alone does not
# resolve: an error of its own)
for f in empty space comments bom defaults; do
	no_vnets "$f.peer"
	expect "$f: no VNets" 1 -o keep.tf "$f.peer"
done
no_vnets /dev/null
expect "/dev/null: no VNets" 1 -t none /dev/null
no_vnets "<stdin>"
"$PEERC" -t bicep -o keep.tf - >out 2>err <empty.peer
check "stdin: no VNets" 1 $?

# --allow-empty writes the empty deployment; -t ast never needed it
"$PEERC" --allow-empty -t terraform -o empty.tf empty.peer >out 2>err
: >want
check "--allow-empty" 0 $?
if grep -q 'resource "' empty.tf || ! grep -q '^terraform {' empty.tf; then
	echo "FAIL: --allow-empty: not an empty Terraform configuration"
	failed=$((failed + 1))
fi
printf '{\n  "kind": "file",\n  "source": "empty.peer",\n  "statements": []\n}\n' >want.out
: >want
expect "-t ast: no check" 0 -t ast -o - empty.peer

### 1. a lone CR ends a line: the classic Mac file compiles as the LF one,
### and its positions are right

tr '\n' '\r' <hub.peer >mac.peer
"$PEERC" -o - hub.peer 2>/dev/null | sed 's/ from hub\.peer\./ from mac.peer./' >want.out
: >want
expect "lone CR: the same Terraform" 0 -o - mac.peer
printf 'vnet a 10.0.0.0/16\r# a comment\rvnet b 10.0.0.0/16 {\r  bogus = 1\r}\r' >mac2.peer
cat >want <<'END'
mac2.peer:4:3: error: unknown attribute 'bogus' in a vnet
    4 |   bogus = 1
      |   ^~~~~
END
expect "lone CR: located" 1 -t none mac2.peer

### 2. every read is bounded, and running out of memory is a message

cat >want <<'END'
peerc: error: cannot read /dev/zero: larger than 128 MiB, the limit for an input file
END
expect "input /dev/zero" 2 -o keep.tf /dev/zero
mkdir -p zero/terraform
ln -s /dev/zero zero/terraform/main.tf.tmpl
cat >want <<'END'
peerc: error: cannot read template zero/terraform/main.tf.tmpl: larger than 4 MiB, the limit for a template
END
expect "template /dev/zero" 2 --template-dir=zero -o keep.tf hub.peer
cat >want <<'END'
peerc: note: /dev/zero is out of date
END
expect "--check against /dev/zero" 3 --check -t terraform -o /dev/zero hub.peer
cat >want <<'END'
peerc: error: cannot diff /dev/zero: larger than 256 MiB, the limit for an existing output
END
expect "--diff against /dev/zero" 2 --diff -t terraform -o /dev/zero hub.peer
# Terraform reads an existing -o file whole, for moved blocks: past the
# limit that is an error, not a silent output without them
truncate -s 300M huge.tf
cat >want <<'END'
peerc: error: cannot read huge.tf: larger than 256 MiB, the limit for an existing output
END
expect "Terraform: a huge existing output" 2 -o huge.tf hub.peer
[ "$(wc -c <huge.tf)" -eq 314572800 ] || {
	echo "FAIL: Terraform: a huge existing output: huge.tf changed"
	failed=$((failed + 1))
}
rm -f huge.tf
# --check reads no more than the output's size: a longer file is stale
"$PEERC" -o long.tf hub.peer && printf 'more\n' >>long.tf
cat >want <<'END'
peerc: note: long.tf is out of date
END
expect "--check: a longer file" 3 --check -o long.tf hub.peer

head -c 20000000 /dev/zero | tr '\0' ' ' >big.peer
# The message is one line of text in every --diagnostics-format: nothing
# more can be allocated to build a document (doc/diagnostics.md says so).
for format in text json sarif github; do
	cat >want <<'END'
peerc: error: out of memory while reading big.peer (33554432 bytes asked for)
END
	if $asan; then
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1:max_allocation_size_mb=24" \
			"$PEERC" --diagnostics-format=$format -o keep.tf big.peer >out 2>err </dev/null
		status=$?
		# ASan says so too, before peerc does
		grep -v '^==[0-9]*==WARNING: AddressSanitizer failed to allocate' err >err1
		mv err1 err
		(exit $status)
	else
		(ulimit -v 25000 && exec "$PEERC" --diagnostics-format=$format -o keep.tf big.peer) \
			>out 2>err </dev/null
	fi
	check "out of memory ($format)" 2 $?
done
rm -f big.peer

### 3, 5. templates nested too deeply, or rendering without end

mkdir -p deep/terraform exp/terraform
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "{{#if vnets}}"; printf "x";
	for (i = 0; i < 60000; i++) printf "{{/if}}"; print "" }' \
	>deep/terraform/main.tf.tmpl
"$PEERC" --template-dir=deep -o keep.tf hub.peer >out 2>err
status=$?
head -n 1 err >err1 && mv err1 err
echo "deep/terraform/main.tf.tmpl:1:417: error: blocks nested too deeply (the limit is 32 levels)" >want
check "60,000 nested {{#if}}" 1 $status
{
	i=0
	while [ $i -lt 30 ]; do printf '{{#for a%d in vnets}}\n' $i; i=$((i + 1)); done
	echo x
	i=0
	while [ $i -lt 30 ]; do echo '{{/for}}'; i=$((i + 1)); done
} >exp/terraform/main.tf.tmpl
"$PEERC" --template-dir=exp -o keep.tf hub.peer >out 2>err
status=$?
# the budget's number depends on the back end's values; the rest is exact
sed 's/budget of [0-9]* bytes/budget of N bytes/' err >err1 && mv err1 err
cat >want <<'END'
exp/terraform/main.tf.tmpl:1:1: error: rendering stopped: past the budget of N bytes and steps (1 MiB plus 4 KiB per value of the topology); does a '{{#for}}' repeat what it should write once?
    1 | {{#for a0 in vnets}}
      | ^~~~~~~~~~~~~~~~~~~~
END
check "30 nested {{#for}}" 1 $status

### 6. a template that cannot be read: status 2, its path, no location

mkdir -p dir/terraform/main.tf.tmpl
cat >want <<'END'
peerc: error: cannot read template dir/terraform/main.tf.tmpl: Is a directory
END
expect "template is a directory" 2 --template-dir=dir -o keep.tf hub.peer
cat >want <<'END'
peerc: error: cannot read template nowhere/terraform/main.tf.tmpl: No such file or directory
END
expect "no template" 2 --template-dir=nowhere -o keep.tf hub.peer
cat >want <<'END'
peerc: error: '--template-dir' needs a directory, not an empty name
peerc: note: try 'peerc --help' for more information
END
expect "--template-dir=" 2 --template-dir= -o keep.tf hub.peer

### 7. a message quotes at most 100 characters of a name

{
	cat hub.peer
	printf 'peer spoke1 <-> '
	head -c 1048576 /dev/zero | tr '\0' 'x'
	echo
} >long.peer
x100=$(head -c 100 /dev/zero | tr '\0' 'x')
"$PEERC" -t none long.peer >out 2>err
status=$?
head -n 1 err >err1
echo "long.peer:33:17: error: unknown VNet '$x100...'" >want
size=$(wc -c <err)
mv err1 err
check "1 MB identifier" 1 $status
if [ "$size" -gt 2000 ]; then
	echo "FAIL: 1 MB identifier: $size bytes of messages"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
