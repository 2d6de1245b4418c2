#!/bin/sh
# tests/tarball.sh TARBALL: the release tarball (`make dist`) builds,
# installs and runs with none of Check, flex, bison or help2man: configure
# sees no check.pc (a PKG_CONFIG_LIBDIR holding only jansson.pc, which peerc
# links) and gets /bin/false for the three tools, so using any of them fails
# the build. `make check` must then
# fail and say that Check is missing. Run by tests/run after distcheck.
set -u
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" && tar xzf "$tarball" && cd "$(basename "$tarball" .tar.gz)" || exit 1
mkdir pc
jansson=$(pkg-config --variable=pcfiledir jansson)/jansson.pc
ln -s "$jansson" pc/jansson.pc || exit 1
fail() { echo "FAIL: the tarball $*"; cat "$work/log"; exit 1; }
./configure --quiet PKG_CONFIG_LIBDIR="$PWD/pc" LEX=/bin/false \
	YACC=/bin/false HELP2MAN=/bin/false >"$work/log" 2>&1 ||
	fail "does not configure without Check"
grep -q "make check.* needs Check" "$work/log" || fail "configure does not say make check needs Check"
make -j"$(nproc)" >"$work/log" 2>&1 || fail "does not build without Check, flex, bison, help2man"
make install DESTDIR="$work/root" >"$work/log" 2>&1 || fail "does not install"
find "$work/root" -name peerc.1 | grep -q . || fail "installs no man page"
./peerc examples/hub-spoke.peer >"$work/out.tf" 2>"$work/log" || fail "builds a peerc that fails"
cmp -s "$work/out.tf" examples/hub-spoke.tf || fail "builds a peerc that writes other Terraform"
# (the other tests need not run to show that)
if make check TESTS=tests/no-check.sh >"$work/log" 2>&1; then
	fail "passes make check without Check"
fi
grep -q "need Check" test-suite.log || fail "does not say make check needs Check"
echo "tarball: builds, installs and runs without Check, flex, bison or help2man"
