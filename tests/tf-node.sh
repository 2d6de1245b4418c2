# Sourced by the Terraform tests: makes $hcl2json_prefix a directory whose
# node_modules holds @cdktf/hcl2json (a WebAssembly build of hashicorp/hcl,
# so that a parser nobody here wrote reads what peerc writes). It is
# installed once per build tree, from npm's cache when it can; without node,
# npm or the network the calling test is skipped (exit 77).
hcl2json_version=0.21.0
hcl2json_prefix=${HCL2JSON_PREFIX:-$(pwd)/tests/node}
if ! command -v node >/dev/null 2>&1; then
	echo "node is not installed: skipped"
	exit 77
fi
if [ ! -f "$hcl2json_prefix/node_modules/@cdktf/hcl2json/package.json" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		echo "npm is not installed: skipped"
		exit 77
	fi
	mkdir -p "$hcl2json_prefix"
	npm install --prefix "$hcl2json_prefix" --prefer-offline --no-audit \
		--no-fund --no-save --loglevel=error \
		"@cdktf/hcl2json@$hcl2json_version" >"$hcl2json_prefix/install.log" 2>&1 || {
		echo "could not install @cdktf/hcl2json (see $hcl2json_prefix/install.log): skipped"
		exit 77
	}
fi
