/* The deployment plan of the ARM and Bicep outputs, computed once from the
 * model: where every resource is deployed (stage, resource group, phase,
 * chunk), what each nested deployment waits for, and every deployment's
 * name. emit_arm.c and emit_bicep.c render it and decide nothing of this.
 *
 * Stages. A stage is one deployment request: the main file (the -o file)
 * is stage 1, FILE.stage2.EXT and on are the next; each is deployed after
 * the one before has finished, by its own `az deployment ... create`. A
 * small file has one stage.
 *
 * Placement. Within a stage, the resources of each resource group go in
 * nested deployments (Bicep modules) by phase, in this order:
 *   groups                 the resource groups the file asks peerc to
 *                          create (one deployment per other subscription;
 *                          the main subscription's are the main template's);
 *   network                created VNets with their route tables;
 *   existing-route-tables  existing spokes' route tables and subnet writes
 *                          (the live subnet read by the stage's main
 *                          template, merged with the table);
 *   gateways               created gateways and their public IPs;
 *   peerings               peering halves that need no other half;
 *   remote-gateways        halves that use the other half's gateway.
 * When everything fits one stage and the main template, the home group's
 * resources (but for existing-route-tables) are the main template's own,
 * as a user writes a small template by hand; with create_resource_groups
 * the main template is deployed to the subscription and every group's
 * resources are nested.
 *
 * Order. Every resource waits only for resources before it in the order
 * (phase, group, model order), and a phase's resources of one group are
 * chunked in that order, so a deployment waits only for deployments before
 * it in (phase, group, chunk): no cycle between deployments, none between
 * the main template's resources and the deployments, and a stage never
 * waits for a later one (stages are cut in that order too). The peering
 * halves that touch one VNet (as theirs or as the remote one) each wait for
 * the half before them that touches it: Azure changes a VNet's peerings one
 * at a time (AnotherOperationInProgress, ReferencedResourceNotProvisioned;
 * azurerm locks both VNets around every peering write).
 *
 * Azure's limits, from "Azure subscription and service limits", section
 * "Azure Resource Manager limits" (azure-docs, articles/azure-resource-
 * manager/management/azure-subscription-service-limits.md at commit
 * 4260367da6fe93d74e80662f882dd4e9f52b8924), and "ARM template best
 * practices", "Template limits":
 *   800 resources per template and per deployment (a nested deployment is
 *     one resource of the template that holds it);
 *   4 MB template size, and 4,194,304 bytes per Resource Manager API
 *     request: nested templates and Bicep modules travel inside the
 *     request of their main file, so each stage must fit whole;
 *   1 MB per resource definition, a nested deployment with its template
 *     being one;
 *   256 parameters per template;
 *   800 deployments per resource group in the deployment history (Azure
 *     deletes the oldest past 700; a run never needs more than 800 in one
 *     group, and a deployment of the same name replaces its entry);
 *   800 subscription-level deployments, in at most 10 locations;
 *   deployment names of 1 to 64 characters of [-\w._()]
 *     (Microsoft.Resources deployments schema).
 * The page names no limit on nesting depth; peerc nests one level. */
#ifndef PEERC_PLAN_H
#define PEERC_PLAN_H

#include "common.h"
#include "model.h"

struct arena;
struct diag_list;

#define PLAN_MAX_RESOURCES 800
#define PLAN_MAX_PARAMETERS 256
#define PLAN_MAX_REQUEST_BYTES 4194304
#define PLAN_MAX_DEFINITION_BYTES 1048576
#define PLAN_MAX_GROUP_DEPLOYMENTS 800
#define PLAN_MAX_DEPLOYMENT_NAME 64

/* What the plan packs to: its size estimates (struct plan_deployment) are
 * upper bounds of the ARM text peerc writes, indented; the budgets leave a
 * tenth of each limit for what a request carries beside the template. */
#define PLAN_STAGE_BUDGET (PLAN_MAX_REQUEST_BYTES / 10 * 9)
#define PLAN_DEPLOYMENT_BUDGET (PLAN_MAX_DEFINITION_BYTES / 10 * 9)

#define PLAN_NONE UINT32_MAX

enum plan_phase {
	PLAN_GROUPS,
	PLAN_NETWORK,
	PLAN_LOOKUP,
	PLAN_GATEWAYS,
	PLAN_PEERINGS,
	PLAN_REMOTE_GATEWAYS,
	PLAN_PHASES
};

/* One resource of the output. */
enum plan_kind {
	PLAN_GROUP,       /* index: a created group of model.groups */
	PLAN_VNET,        /* index: a created VNet */
	PLAN_ROUTE_TABLE, /* index: of model.route_tables */
	PLAN_SUBNET,      /* index: an existing VNet; sub: its subnet written */
	PLAN_PUBLIC_IP,   /* index: the VNet of a created gateway; sub: which */
	PLAN_GATEWAY,     /* index: the VNet of a created gateway */
	PLAN_SIDE,        /* index: 2 * peering + side */
};

struct plan_ref {
	enum plan_kind kind;
	uint32_t index, sub;
};

/* A resource waits for at most this many others. */
#define PLAN_MAX_WAITS 8

struct plan_deployment {
	uint32_t stage;
	uint32_t group;     /* of model.groups; for PLAN_GROUPS the first
			     * created group of its subscription */
	enum plan_phase phase;
	uint32_t chunk;     /* from 0, within (group, phase) */
	/* The stage's main template itself: its resources are top level. At
	 * most one per stage, first of its stage. */
	bool top;
	/* Nested only: the deployment's name, "peerc-BASE-LABEL-PHASE[-N]"
	 * (N from 2, for chunks after the first); and the same without
	 * "peerc-", which names its Bicep module's file. */
	const char *name, *file;
	uint32_t nresources;
	uint32_t nparams;   /* values the main template reads for it */
	uint32_t nregions;  /* location parameters */
	size_t bytes;       /* estimated: its template, or its share of the top */
	uint32_t waits, nwaits; /* nested: its dependsOn, plan.waits[waits...] */
};

/* What a nested deployment waits for: another nested deployment of its
 * stage, or a resource of its stage's main template (deployment is then
 * that stage's top one); resource is the first of its resources waited
 * for there. */
struct plan_wait {
	uint32_t deployment;
	struct plan_ref resource;
};

struct plan_stage {
	uint32_t first, n;  /* its deployments, top first */
	size_t bytes;       /* estimated size of its whole request */
	uint32_t nresources; /* its main template's own, nested deployments counted */
};

/* Resources of one kind by stage, each stage's in model order:
 * at[start[s] .. start[s + 1]) are the indices of stage s's, so that a
 * back end builds one stage's values at a time in the order it would
 * build the whole output's. */
struct plan_by_stage {
	uint32_t *start, *at;
};

struct plan {
	const struct model *m;
	const char *base;          /* the namespace of names: the output's */
	bool subscription_scope;   /* the main templates target the subscription */
	/* Deployment of each resource (PLAN_NONE: not written). */
	uint32_t *vnet_at;         /* created VNets */
	uint32_t *table_at;        /* route tables, with existing spokes' subnets */
	uint32_t *gateway_at;      /* created gateways, with their public IPs */
	uint32_t *side_at;         /* 2 * peering + side */
	uint32_t *group_at;        /* created groups */
	/* The route tables that live in each VNet (its subnets name them):
	 * tables[table_start[v] .. table_start[v + 1]), in model order. */
	uint32_t *table_start, *tables;
	/* Per half (2 * peering + side): the halves before it that touch its
	 * local and its remote VNet, PLAN_NONE where none. */
	uint32_t (*chain)[2];
	/* Per VNet: the last of its subnets that peerc writes (an existing
	 * VNet's that takes a route table), PLAN_NONE where none. */
	uint32_t *last_subnet;
	/* Whether peerc creates any gateway: every stage's text says so. */
	bool creates_gateway;
	/* The region of a subscription deployment (the first created
	 * group's), or NULL when the main templates target a group. */
	const char *location;
	struct plan_deployment *deployments; /* by stage, then group, phase, chunk */
	uint32_t ndeployments;
	struct plan_wait *waits;
	struct plan_stage *stages;
	uint32_t nstages;
	/* The groups peerc creates (when subscription_scope), the VNets it
	 * creates, the route tables, the VNets whose gateway it creates, and
	 * the halves, by stage. */
	struct plan_by_stage groups_by_stage, vnets_by_stage, tables_by_stage;
	struct plan_by_stage gateways_by_stage, sides_by_stage;
};

/* The plan of m, its names namespaced by base (plan_base). False after
 * reporting, located, a limit that cannot be met. */
bool plan_build(struct plan *p, const struct model *m, const char *base,
		struct arena *a, struct diag_list *diags);

/* The namespace of an output's names: the base name of its file without
 * the extension, else of the input without ".peer", else "main"; letters,
 * digits and -_.() only, at most 20 of them. A name that had other
 * characters or more of them is cut to 11 and given "-" and 8 hex digits
 * of a hash of it, so that outputs that share a folder never share a name. */
const char *plan_base(struct arena *a, const char *output_name,
		      const char *source_name);

/* The phase of side k of peering p. */
enum plan_phase plan_side_phase(const struct m_peering *p, int k);

/* The Azure type of r, its names (names[0], names[1] or NULL, NULL) and
 * the group it lives in (of model.groups). */
size_t plan_resource(const struct plan *p, struct plan_ref r, const char **type,
		     const char **names);

/* The deployment r is in, or PLAN_NONE. */
uint32_t plan_at(const struct plan *p, struct plan_ref r);

/* What r waits for, in a fixed order, each once: out holds
 * PLAN_MAX_WAITS. A renderer writes the waits within r's own template as
 * dependsOn (or leaves those its references imply) and, from a main
 * template's resource, the deployment of a wait outside it; a nested
 * deployment waits as a whole (struct plan_deployment). */
size_t plan_waits(const struct plan *p, struct plan_ref r, struct plan_ref *out);

/* What r waits for as its own template writes it, in plan_waits' order,
 * into out (which holds PLAN_MAX_WAITS): each wait placed in r's own
 * deployment (a resource to name); and from a resource of a stage's main
 * template, each nested deployment of its stage that holds the rest, once
 * (the deployment to name; resource is the first wait it holds). A
 * resource of a nested deployment names nothing outside it: its
 * deployment waits as a whole. Returns how many. */
size_t plan_depends(const struct plan *p, struct plan_ref r, struct plan_wait *out);

/* The groups stage s deploys to, each once (of model.groups, into out,
 * which holds model.ngroups): the home group first unless the main
 * templates target the subscription, then in the order of the stage's
 * deployments. Returns how many; *created (at most that) is how many of
 * them peerc creates, which out lists after the others, each part in
 * that order. */
size_t plan_stage_groups(const struct plan *p, uint32_t s, uint32_t *out,
			 size_t *created);

/* Whether peerc creates the gateway of v. */
static inline bool plan_creates_gateway(const struct m_vnet *v)
{
	return v->gw && v->gw->source == GWSRC_CREATED;
}

/* Whether route table i of model.route_tables is the first of the VNet it
 * lives in: an existing VNet's subnet writes are listed after it. */
static inline bool plan_first_table(const struct plan *p, size_t i)
{
	return p->tables[p->table_start[p->m->route_tables[i].vnet->index]] == i;
}

/* The name a phase gives its deployments: "network", "remote-gateways". */
const char *plan_phase_name(enum plan_phase ph);

#endif
