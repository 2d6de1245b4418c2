/* Terraform moved blocks: when a resource's address changes between the
 * previous output and this one, a `moved` block carries its state over,
 * so that the plan moves it instead of destroying and creating it. */
#ifndef PEERC_TF_MOVED_H
#define PEERC_TF_MOVED_H

#include "common.h"

struct arena;
struct tval;

/* The moved blocks from `old` (the previous output, which must be peerc's:
 * its first line is peerc's header) to `new`, as a list of objects with
 * raw `from` and `to` addresses; an empty list when there is nothing to
 * move or `old` is not peerc's. A resource is recognised by what names it
 * in Azure (type, name, resource group, the VNet a peering is in, ...), so
 * a new label for the same resource is a move. Moved blocks of `old` are
 * kept while their resource still needs them. Linear in the two texts;
 * any text is safe to give. */
/* Whether old is an output of peerc's: without one there is nothing to
 * move, and tf_moved gives an empty list whatever the new text is. */
bool tf_moved_applies(const char *old, size_t oldlen);

struct tval *tf_moved(struct arena *a, const char *old, size_t oldlen,
		      const char *new, size_t newlen);

/* The common case without holding either file: the new output's block
 * addresses, given in pieces as it is written, then the previous output
 * (peerc's, at path) read in pieces. *needed is false when it declares no
 * resource the new one does not and has no moved block: tf_moved would
 * give an empty list. Errors (an errno value) and a file not peerc's
 * leave it false: there is nothing to move from. */
struct tf_scan;
struct tf_scan *tf_scan_new(void);
void tf_scan_feed(struct tf_scan *s, const char *text, size_t len);
int tf_scan_previous(struct tf_scan *s, const char *path, bool *needed);
void tf_scan_free(struct tf_scan *s);

#endif
