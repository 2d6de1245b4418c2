'use strict';
// Checks Terraform files with a real HCL parser (@cdktf/hcl2json, a build of
// hashicorp/hcl) against the azurerm argument schema in azurerm-schema.json:
// every block parses, its type is known, required arguments are present, no
// argument is unknown or computed, values have the schema's type (booleans
// are literal booleans), nested blocks are blocks and within their counts.
//
// Beyond the schema, what makes a configuration deploy in one pass and plan
// clean after (checkOrder):
// - no azurerm_subnet_route_table_association on a subnet written inline
//   in an azurerm_virtual_network of the file: azurerm 4.x reads the table
//   back into the inline block, so the next plan removes the association
//   and the one after adds it (terraform-provider-azurerm #30433, docs PR
//   #30468); inline subnets set route_table_id instead;
// - a peering that uses the remote gateway toward a VNet the file creates
//   depends on the gateway the file creates in that VNet: Azure answers
//   RemoteVnetHasNoGateways until it exists (azure.md 4.3);
// - every moved block leads to a resource of the file, from an address the
//   file no longer declares (Terraform refuses both otherwise).
//
// usage: node tf-schema.js NODE_PREFIX SCHEMA.json FILE.tf...
//        node tf-schema.js NODE_PREFIX --roundtrip AST.json FILE.tf
//        node tf-schema.js NODE_PREFIX --pairs FILE.tf
//        node tf-schema.js NODE_PREFIX --imports MAIN.tf IMPORTS.tf
// The second form checks that every created VNet's name, resource group and
// tags come back from the parser exactly as the .peer file's AST has them.
// The third prints, as JSON, the VNets and peering halves FILE.tf declares,
// every reference resolved to the literal it stands for (VNet IDs built as
// Azure spells them), and the virtual network gateways it creates or reads:
// what tests/import/roundtrip.py compares with a live estate.
// The fourth checks --import-from's import blocks against the file they
// adopt resources of: each `to` is a resource MAIN.tf declares, at most
// once, and its `id` is the ID Azure gives that resource, built from the
// resource's own arguments (subscription from its provider) in Azure's
// spelling; every resource group and VNet MAIN.tf creates is imported
// (what a file imported from an estate creates exists). Prints the counts
// of resource groups, VNets and halves imported.
const fs = require('fs');
const path = require('path');

const [prefix, ...args] = process.argv.slice(2);
const { parse } = require(path.join(prefix, 'node_modules', '@cdktf', 'hcl2json'));

let failures = 0;
function fail(where, msg) {
	console.log(`FAIL: ${where}: ${msg}`);
	failures++;
}

// hcl2json writes expressions as "${...}" strings.
const isExpr = (v) => typeof v === 'string' && v.startsWith('${') && v.endsWith('}');

function typeOk(type, v) {
	switch (type) {
	case 'string':
		return typeof v === 'string';
	case 'bool':
		return typeof v === 'boolean';
	case 'number':
		return typeof v === 'number';
	case 'list(string)':
	case 'set(string)':
		return isExpr(v) || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
	case 'map(string)':
		return isExpr(v) || (v !== null && typeof v === 'object' && !Array.isArray(v) &&
			Object.values(v).every((x) => typeof x === 'string'));
	}
	return false;
}

function checkBody(where, body, sch, meta) {
	const args = sch.arguments || {};
	const blocks = sch.blocks || {};
	for (const [k, v] of Object.entries(body)) {
		if (meta.includes(k))
			continue;
		if (k in args) {
			const a = args[k];
			if (a.discouraged)
				fail(where, `'${k}' is not meant to be set`);
			else if (!typeOk(a.type, v))
				fail(where, `'${k}' is ${JSON.stringify(v)}, not ${a.type}`);
			else if (a.enum && !isExpr(v) && !a.enum.includes(v))
				fail(where, `'${k}' = ${JSON.stringify(v)} is none of ${a.enum.join(', ')}`);
		} else if (k in blocks) {
			const b = blocks[k];
			if (!Array.isArray(v)) {
				fail(where, `'${k}' must be written as blocks`);
				continue;
			}
			if (b.min_items && v.length < b.min_items)
				fail(where, `'${k}' needs at least ${b.min_items} block(s)`);
			if (b.max_items && v.length > b.max_items)
				fail(where, `'${k}' takes at most ${b.max_items} block(s)`);
			if (!b.open)
				v.forEach((x, i) => checkBody(`${where}.${k}[${i}]`, x, b, []));
		} else if ((sch.computed || []).includes(k)) {
			fail(where, `'${k}' is computed by the provider`);
		} else {
			fail(where, `unknown argument '${k}'`);
		}
	}
	for (const [k, a] of Object.entries(args))
		if (a.required && !(k in body))
			fail(where, `required argument '${k}' is missing`);
	for (const [k, b] of Object.entries(blocks))
		if (b.min_items && !(k in body))
			fail(where, `required block '${k}' is missing`);
	for (const group of sch.exactly_one_of || [])
		if (group.filter((k) => k in body).length !== 1)
			fail(where, `exactly one of ${group.join(', ')} is required`);
}

function checkTerraformBlock(where, tf) {
	const rp = (((tf || [])[0] || {}).required_providers || [])[0] || {};
	const az = rp.azurerm;
	if (!az || az.source !== 'hashicorp/azurerm' || typeof az.version !== 'string')
		fail(where, 'terraform.required_providers.azurerm needs source and version');
}

function checkFile(file, schema, doc) {
	const known = new Set(['terraform', 'provider', 'resource', 'data', 'moved']);
	for (const k of Object.keys(doc))
		if (!known.has(k))
			fail(file, `unexpected top-level '${k}'`);
	checkTerraformBlock(file, doc.terraform);
	for (const [name, list] of Object.entries(doc.provider || {})) {
		if (!(name in schema.provider)) {
			fail(file, `unknown provider '${name}'`);
			continue;
		}
		list.forEach((p, i) => checkBody(`${file}: provider.${name}[${i}]`, p,
			schema.provider[name], []));
	}
	for (const kind of ['resource', 'data']) {
		for (const [type, byLabel] of Object.entries(doc[kind] || {})) {
			const sch = schema[kind][type];
			if (!sch) {
				fail(file, `unknown ${kind} type '${type}'`);
				continue;
			}
			for (const [label, bodies] of Object.entries(byLabel)) {
				if (bodies.length !== 1)
					fail(file, `${type}.${label} is declared ${bodies.length} times`);
				bodies.forEach((b) => checkBody(`${file}: ${kind}.${type}.${label}`, b,
					sch, schema.meta_arguments[kind]));
			}
		}
	}
}

// ------------------------------------------------------------------ order

// The references of an expression string: "TYPE.LABEL" and
// "data.TYPE.LABEL".
function refs(v) {
	const out = [];
	const re = /(data\.)?(azurerm_[a-z_]+)\.([A-Za-z0-9_-]+)/g;
	for (const m of String(v).matchAll(re))
		out.push(`${m[1] || ''}${m[2]}.${m[3]}`);
	return out;
}

function checkOrder(file, doc) {
	const res = doc.resource || {};
	const vnets = res.azurerm_virtual_network || {};
	// VNet address -> the gateway resource in it
	const gatewayOf = {};
	for (const [label, [gw]] of Object.entries(res.azurerm_virtual_network_gateway || {}))
		for (const ipc of gw.ip_configuration || [])
			for (const r of refs(ipc.subnet_id))
				if (r.startsWith('azurerm_virtual_network.'))
					gatewayOf[r] = `azurerm_virtual_network_gateway.${label}`;
	for (const [label, [a]] of Object.entries(res.azurerm_subnet_route_table_association || {}))
		if (/\bazurerm_virtual_network\.[A-Za-z0-9_-]+\.subnet\b/.test(a.subnet_id))
			fail(file, `azurerm_subnet_route_table_association.${label}: on a subnet written ` +
				'inline in its VNet; set route_table_id in the subnet block instead ' +
				'(terraform-provider-azurerm #30433)');
	for (const [label, [p]] of Object.entries(res.azurerm_virtual_network_peering || {})) {
		if (p.use_remote_gateways !== true)
			continue;
		const remote = refs(p.remote_virtual_network_id).find((r) => r.startsWith('azurerm_virtual_network.'));
		if (!remote || !(remote.split('.')[1] in vnets))
			continue;
		const gw = gatewayOf[remote];
		const deps = (p.depends_on || []).flatMap(refs);
		if (!gw)
			fail(file, `azurerm_virtual_network_peering.${label} uses the gateway of ${remote}, ` +
				'which the file creates without one (RemoteVnetHasNoGateways)');
		else if (!deps.includes(gw))
			fail(file, `azurerm_virtual_network_peering.${label} uses the gateway of ${remote} ` +
				`but does not wait for ${gw}`);
	}
	const declared = new Set();
	for (const [type, byLabel] of Object.entries(res))
		for (const label of Object.keys(byLabel))
			declared.add(`${type}.${label}`);
	const froms = new Set();
	for (const mv of doc.moved || []) {
		const [from] = refs(mv.from), [to] = refs(mv.to);
		if (!from || !to)
			fail(file, `moved ${JSON.stringify(mv)}: not two resource addresses`);
		else if (declared.has(from))
			fail(file, `moved from ${from}, which is still declared`);
		froms.add(from);
	}
	for (const mv of doc.moved || []) {
		const [to] = refs(mv.to);
		if (to && !declared.has(to) && !froms.has(to))
			fail(file, `moved to ${to}, which is not declared`);
	}
}

// ------------------------------------------------------------- round trip

// What hcl2json prints for a string literal: Terraform's JSON syntax, in
// which "${" and "%{" would start a template, so they are doubled; and in
// NFC, as HCL normalizes every string literal (hclsyntax spec), so a
// decomposed "e\u0301" reads back as "\u00e9" in Terraform too.
const jsonForm = (s) => s.normalize('NFC').replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');

function attrs(block) {
	const out = {};
	for (const a of block || [])
		out[a.name.name] = a;
	return out;
}

function tagsOf(attr) {
	const t = {};
	for (const a of (attr && attr.block) || [])
		t[a.name.name] = a.values[0].value;
	return t;
}

function sameTags(file, name, got, tags) {
	const want = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, jsonForm(v)]));
	if (JSON.stringify(Object.entries(got || {}).sort()) !==
	    JSON.stringify(Object.entries(want).sort()))
		fail(file, `${name}: tags ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

function roundTrip(astFile, file, doc) {
	const ast = JSON.parse(fs.readFileSync(astFile, 'utf8'));
	const defaults = ast.statements.find((s) => s.kind === 'defaults');
	const dattrs = attrs(defaults && defaults.block);
	const vnets = (doc.resource || {}).azurerm_virtual_network || {};
	const groups = (doc.resource || {}).azurerm_resource_group || {};
	let checked = 0;
	for (const st of ast.statements.filter((s) => s.kind === 'vnet')) {
		const a = attrs(st.block);
		if (a.existing || a.id)
			continue;
		const name = a.name ? a.name.values[0].value : st.names[0].name;
		const rg = (a.resource_group || dattrs.resource_group).values[0].value;
		const tags = { ...tagsOf(dattrs.tags), ...tagsOf(a.tags) };
		const found = Object.values(vnets).map((b) => b[0]).filter((b) => b.name === jsonForm(name));
		if (found.length !== 1) {
			fail(file, `no single azurerm_virtual_network named ${JSON.stringify(name)}`);
			continue;
		}
		const got = found[0];
		// a created group's VNet names it by reference: ${azurerm_resource_group.L.name}
		const ref = /^\$\{azurerm_resource_group\.([^.]+)\.name\}$/.exec(got.resource_group_name);
		const gotRg = ref ? groups[ref[1]][0].name : got.resource_group_name;
		if (gotRg !== jsonForm(rg))
			fail(file, `${name}: resource group ${JSON.stringify(gotRg)}, want ${JSON.stringify(rg)}`);
		sameTags(file, name, got.tags, tags);
		checked++;
	}
	// A created group has no tags of its own: it takes the defaults'. An
	// omitted tags argument and an empty map read back the same: the
	// provider's Read sets tags.Flatten(model.Tags), which is an empty map
	// for a group Azure returns without tags (hashicorp/go-azure-helpers,
	// resourcemanager/tags/flatten.go; hashicorp/terraform-provider-azurerm,
	// internal/services/resource/resource_group_resource.go), so a group
	// written without tags shows no diff on the next plan either.
	for (const [label, [b]] of Object.entries(groups)) {
		sameTags(file, `azurerm_resource_group.${label}`, b.tags, tagsOf(dattrs.tags));
		checked++;
	}
	if (checked === 0)
		fail(file, 'no VNet to compare');
}

// ------------------------------------------------------------------ pairs

function pairs(doc) {
	const subOf = {};
	for (const p of (doc.provider || {}).azurerm || [])
		subOf[p.alias ? `azurerm.${p.alias}` : 'azurerm'] = p.subscription_id;
	const sub = (b) => subOf[(b.provider || '${azurerm}').replace(/^\$\{(.*)\}$/, '$1')];
	const idOf = (s, g, n) =>
		`/subscriptions/${s}/resourceGroups/${g}/providers/Microsoft.Network/virtualNetworks/${n}`;
	const groups = {};
	for (const [label, [b]] of Object.entries((doc.resource || {}).azurerm_resource_group || {}))
		groups[`azurerm_resource_group.${label}`] = { ref: `azurerm_resource_group.${label}`,
			name: b.name, subscription: sub(b) };
	// a created group's name, for the references to it
	const group = (v) => {
		const m = typeof v === 'string' && v.match(/^\$\{(azurerm_resource_group\.[^.]+)\.name\}$/);
		return m ? groups[m[1]].name : v;
	};
	const vnets = {};
	for (const kind of ['resource', 'data'])
		for (const [label, [b]] of Object.entries((doc[kind] || {}).azurerm_virtual_network || {})) {
			const ref = `${kind === 'data' ? 'data.' : ''}azurerm_virtual_network.${label}`;
			const rg = group(b.resource_group_name);
			vnets[ref] = { ref, name: b.name, resource_group_name: rg,
				subscription: sub(b), location: b.location, address_space: b.address_space,
				tags: b.tags, managed: kind === 'resource', id: idOf(sub(b), rg, b.name),
				subnets: (b.subnet || []).map((s) => ({ name: s.name,
					address_prefixes: s.address_prefixes })) };
		}
	const value = (v) => {
		const m = typeof v === 'string' && v.match(/^\$\{((?:data\.)?azurerm_virtual_network\.[^.]+)\.(\w+)\}$/);
		if (!m)
			return v;
		return vnets[m[1]][m[2]];
	};
	const halves = [];
	for (const [label, [b]] of Object.entries((doc.resource || {}).azurerm_virtual_network_peering || {}))
		halves.push({ label, name: b.name, subscription: sub(b),
			resource_group_name: value(b.resource_group_name),
			virtual_network_name: value(b.virtual_network_name),
			remote_virtual_network_id: value(b.remote_virtual_network_id),
			allow_virtual_network_access: b.allow_virtual_network_access,
			allow_forwarded_traffic: b.allow_forwarded_traffic,
			allow_gateway_transit: b.allow_gateway_transit,
			use_remote_gateways: b.use_remote_gateways });
	const gateways = [];
	for (const kind of ['resource', 'data'])
		for (const [label, [b]] of Object.entries((doc[kind] || {}).azurerm_virtual_network_gateway || {}))
			gateways.push({ label, name: b.name, subscription: sub(b),
				resource_group_name: b.resource_group_name, managed: kind === 'resource' });
	return { vnets: Object.values(vnets).filter((v) => v.managed), peerings: halves, gateways,
		groups: Object.values(groups) };
}

// ---------------------------------------------------------------- imports

function imports(main, doc) {
	const p = pairs(main);
	const want = {};
	for (const g of p.groups)
		want[g.ref] = `/subscriptions/${g.subscription}/resourceGroups/${g.name}`;
	for (const v of p.vnets)
		want[v.ref] = v.id;
	for (const h of p.peerings)
		want[`azurerm_virtual_network_peering.${h.label}`] =
			`/subscriptions/${h.subscription}/resourceGroups/${h.resource_group_name}` +
			`/providers/Microsoft.Network/virtualNetworks/${h.virtual_network_name}` +
			`/virtualNetworkPeerings/${h.name}`;
	const seen = {};
	const count = { groups: 0, vnets: 0, peerings: 0 };
	const kinds = { azurerm_resource_group: 'groups', azurerm_virtual_network: 'vnets',
		azurerm_virtual_network_peering: 'peerings' };
	for (const b of doc.import || []) {
		const to = b.to.replace(/^\$\{(.*)\}$/, '$1');
		if (!(to in want)) {
			fail('imports', `${to}: no such resource in the main file`);
			continue;
		}
		if (seen[to])
			fail('imports', `${to}: imported twice`);
		seen[to] = true;
		if (b.id !== want[to])
			fail('imports', `${to}: id ${b.id}, the resource is ${want[to]}`);
		count[kinds[to.split('.')[0]]]++;
	}
	for (const to of Object.keys(want))
		if (!to.startsWith('azurerm_virtual_network_peering.') && !seen[to])
			fail('imports', `${to}: created, but not imported`);
	console.log(JSON.stringify(count));
}

(async () => {
	if (args[0] === '--pairs') {
		const file = args[1];
		const doc = await parse(file, fs.readFileSync(file, 'utf8'));
		console.log(JSON.stringify(pairs(doc), null, 1));
	} else if (args[0] === '--imports') {
		const [main, imp] = await Promise.all(args.slice(1, 3).map((f) =>
			parse(f, fs.readFileSync(f, 'utf8'))));
		imports(main, imp);
	} else if (args[0] === '--roundtrip') {
		const file = args[2];
		roundTrip(args[1], file, await parse(file, fs.readFileSync(file, 'utf8')));
	} else {
		const schema = JSON.parse(fs.readFileSync(args[0], 'utf8'));
		for (const file of args.slice(1)) {
			let doc;
			try {
				doc = await parse(file, fs.readFileSync(file, 'utf8'));
			} catch (e) {
				fail(file, `does not parse: ${e.message || e}`);
				continue;
			}
			checkFile(file, schema, doc);
			checkOrder(file, doc);
		}
	}
	process.exit(failures ? 1 : 0);
})().catch((e) => {
	console.log(`FAIL: ${e.stack || e}`);
	process.exit(99);
});
