/* peerc drift: where a live estate (compiler/live.h) differs from a
 * compiled .peer file, finding by finding, each at the statement of the
 * file it concerns. Only what the estate can show is compared: VNets and
 * peering halves in subscriptions none of whose VNets are in the input are
 * not reported missing (the input says nothing about them). */
#ifndef PEERC_DRIFT_H
#define PEERC_DRIFT_H

#include "common.h"
#include "srcpos.h"

struct arena;
struct live;
struct live_vnet;
struct sema;

enum drift_kind {
	DRIFT_MISSING_VNET,    /* in the file, not in Azure */
	DRIFT_ADDRESS_SPACE,   /* the address spaces differ */
	DRIFT_MISSING_PEERING, /* a peering half the file declares is missing */
	DRIFT_SETTING,         /* one of the four check boxes differs */
	DRIFT_NAME,            /* the half has another name */
	DRIFT_STATE,           /* peeringState is not Connected */
	DRIFT_SYNC,            /* peeringSyncLevel is not FullyInSync */
	DRIFT_EXTRA_PEERING,   /* a live half the file does not declare */
	DRIFT_UNKNOWN_VNET,    /* a live VNet the file does not know */
};

struct drift_finding {
	enum drift_kind kind;
	struct loc loc;          /* in the .peer file; LOC_NONE: none */
	const struct live_vnet *live; /* the live VNet concerned, or NULL */
	const char *live_path;   /* its JSON path, or the peering's */
	const char *vnet;        /* the VNet: handle, or live name */
	const char *remote;      /* the other VNet of a peering, or NULL */
	const char *peering;     /* the peering half's name, or NULL */
	const char *setting;     /* Azure's property name, or NULL */
	const char *in_file, *in_azure; /* the two values, as text, or NULL */
	const char *message;
	const char *fix;         /* a command that mends it, or NULL */
};

struct drift_report {
	struct drift_finding *items;
	size_t n, cap;
	size_t vnets, halves;    /* how many VNets and halves were compared */
};

void drift_compare(const struct sema *s, const struct live *l, struct arena *a,
		   struct drift_report *out);

/* "missing-vnet", "setting", ...: the kind's name in --format=json. */
const char *drift_kind_name(enum drift_kind k);

#endif
