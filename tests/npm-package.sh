# Sourced by tests that run a package from npm: npm_package NAME VERSION
# PREFIX installs NAME@VERSION under PREFIX/node_modules once per build tree
# (from npm's cache when it can), or exits 77 (skipped) with a message when
# node, npm or the registry is missing.
npm_package() {
	if ! command -v node >/dev/null 2>&1; then
		echo "SKIP: node is not installed"
		exit 77
	fi
	[ -f "$3/node_modules/$1/package.json" ] && return 0
	if ! command -v npm >/dev/null 2>&1; then
		echo "SKIP: npm is not installed"
		exit 77
	fi
	mkdir -p "$3"
	npm install --prefix "$3" --prefer-offline --no-audit --no-fund \
		--no-save --loglevel=error "$1@$2" >"$3/install.log" 2>&1 || {
		echo "SKIP: could not install $1 (see $3/install.log)"
		exit 77
	}
}
