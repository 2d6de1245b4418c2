/* The one table of ARM API versions that the Bicep and ARM back ends write.
 * Microsoft.Network types follow the model's api_version (defaults
 * api_version, --api-version, else PEERC_DEFAULT_API_VERSION: the newest
 * stable version the schemas in tests/ describe); the others are fixed here. */
#ifndef PEERC_APIVERSIONS_H
#define PEERC_APIVERSIONS_H

#include "common.h"

struct model;

/* The API version to write for a resource type such as
 * "Microsoft.Network/virtualNetworks". Unknown types are a bug. */
const char *api_version_for(const struct model *m, const char *type);

/* Whether text is a literal, non-preview ARM API version (YYYY-MM-DD). */
bool api_version_valid(const char *text);

/* Whether v is a Microsoft.Network API version peerc knows to have what it
 * writes; and, for a message about one it does not, which it knows:
 * "it knows the 46 from ... to ... that Microsoft documents; the nearest
 * are A and B". */
bool api_version_known(const char *v);
struct strbuf;
void api_version_explain(struct strbuf *sb, const char *v);

#endif
