# Sourced by the Terraform tests: makes $hcl2json_prefix a directory whose
# node_modules holds @cdktf/hcl2json (a WebAssembly build of hashicorp/hcl,
# so that a parser nobody here wrote reads what peerc writes). It is
# installed once per build tree, from npm's cache when it can; without node,
# npm or the network the calling test is skipped (exit 77).
hcl2json_version=0.21.0
hcl2json_prefix=${HCL2JSON_PREFIX:-$(pwd)/tests/node}
. "$top_srcdir/tests/npm-package.sh"
npm_package @cdktf/hcl2json "$hcl2json_version" "$hcl2json_prefix"
