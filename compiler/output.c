#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"
#include "textdiff.h"
#include "util.h"

/* Appends up to max bytes read from fd to sb; 0 or an errno value. */
static int read_fd(int fd, struct strbuf *sb, size_t max)
{
	char buf[65536];

	while (max > 0) {
		ssize_t got = read(fd, buf, max < sizeof(buf) ? max : sizeof(buf));
		if (got > 0) {
			sb_putn(sb, buf, (size_t)got);
			max -= (size_t)got;
		} else if (got == 0) {
			return 0;
		} else if (errno != EINTR) {
			return errno;
		}
	}
	return 0;
}

int file_read_head(const char *path, struct strbuf *sb, size_t max)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	const char *outer = sb->what;
	char what[128];

	if (fd < 0)
		return errno;
	snprintf(what, sizeof(what), "reading %s", is_stdin ? "standard input" : path);
	sb->what = what;
	int err = read_fd(fd, sb, max);
	sb->what = outer;
	if (!is_stdin)
		close(fd);
	return err;
}

/* One byte more than the limit tells a file of more from one of exactly. */
int file_read(const char *path, struct strbuf *sb, size_t limit)
{
	size_t start = sb->len;
	int err = file_read_head(path, sb, limit < SIZE_MAX ? limit + 1 : limit);

	return !err && sb->len - start > limit ? FILE_TOO_LARGE : err;
}

/* Limits are whole MiB, and shown so. */
const char *file_error(int err, size_t limit, const char *what, char *buf,
		       size_t size)
{
	if (err != FILE_TOO_LARGE)
		return strerror(err);
	snprintf(buf, size, "larger than %zu MiB, the limit for %s",
		 limit >> 20, what);
	return buf;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t put = write(fd, data, len);
		if (put < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		data += put;
		len -= (size_t)put;
	}
	return 0;
}

bool output_stdout(const char *data, size_t len, struct diag_sink *sink)
{
	if (fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0)
		return true;
	diag_sink_plain(sink, DIAG_ERROR, "io",
			"cannot write to standard output: %s", strerror(errno));
	return false;
}

const char *output_file_key(const char *path, char *buf, size_t size)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return NULL;
	snprintf(buf, size, "%ju:%ju", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino);
	return buf;
}

bool output_same_file(const char *a, const char *b)
{
	char ka[64], kb[64];

	return output_file_key(a, ka, sizeof(ka)) && output_file_key(b, kb, sizeof(kb)) &&
	       strcmp(ka, kb) == 0;
}

/* ------------------------------------------------------ files of a folder */

void output_free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push_path(char ***list, size_t *n, char *path)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = path;
}

/* Nested past this many levels is not a folder peerc wrote. */
#define MAX_DEPTH 8

static void list_dir(const char *dir, char ***list, size_t *n, int depth)
{
	DIR *d = depth < MAX_DEPTH ? opendir(dir) : NULL;
	char **subdirs = NULL;
	size_t nsub = 0, first = *n;
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		struct strbuf path;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		sb_init(&path);
		sb_printf(&path, "%s/%s", dir, e->d_name);
		if (lstat(path.buf, &st) == 0 && S_ISREG(st.st_mode))
			push_path(list, n, path.buf);
		else if (lstat(path.buf, &st) == 0 && S_ISDIR(st.st_mode))
			push_path(&subdirs, &nsub, path.buf);
		else
			sb_free(&path);
	}
	closedir(d);
	/* readdir's order is the file system's: sorted, output is stable. */
	if (*n > first)
		qsort(*list + first, *n - first, sizeof(**list), name_cmp);
	if (nsub)
		qsort(subdirs, nsub, sizeof(*subdirs), name_cmp);
	for (size_t i = 0; i < nsub; i++)
		list_dir(subdirs[i], list, n, depth + 1);
	output_free_list(subdirs, nsub);
}

void output_list_files(const char *dir, char ***list, size_t *n)
{
	list_dir(dir, list, n, 0);
}

void output_list_dir(const char *dir, char ***list, size_t *n)
{
	list_dir(dir, list, n, MAX_DEPTH - 1);
}

/* rmdir each directory above path, up to stop_at, while it is empty. */
static void remove_empty_parents(const char *path, const char *stop_at)
{
	char *dir = xstrdup(path);
	size_t stop = strlen(stop_at);

	for (char *slash = strrchr(dir, '/'); slash && (size_t)(slash - dir) > stop;
	     slash = strrchr(dir, '/')) {
		*slash = '\0';
		if (rmdir(dir) != 0)
			break;
	}
	free(dir);
}

bool output_remove(char *const *paths, size_t n, const char *stop_at,
		   bool verbose, struct diag_sink *sink)
{
	for (size_t i = 0; i < n; i++) {
		if (unlink(paths[i]) != 0 && errno != ENOENT) {
			diag_sink_plain(sink, DIAG_ERROR, "io", "cannot remove %s: %s",
					 paths[i], strerror(errno));
			return false;
		}
		if (verbose)
			diag_sink_plain(sink, DIAG_NOTE, "output", "removed %s", paths[i]);
		remove_empty_parents(paths[i], stop_at);
	}
	return true;
}

/* ------------------------------------------------------ atomic writing */

/* One file on its way: written to tmp, then renamed to target. */
struct pending {
	const struct output_file *file;
	char *target; /* the file to replace: path, or where its symlink points */
	char *tmp;    /* NULL once renamed, or when writing in place */
	bool in_place; /* a device or FIFO (-o /dev/null): write it directly */
};

static mode_t current_umask(void)
{
	/* The only way to read the umask without /proc is to set it. */
	mode_t mask = umask(0);
	umask(mask);
	return mask;
}

/* mkdir -p for the directories above path. */
static int make_parents(const char *path)
{
	char *dir = xstrdup(path);
	int err = 0;

	for (char *p = strchr(dir + 1, '/'); p && !err; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST)
			err = errno;
		*p = '/';
	}
	free(dir);
	return err;
}

/* The template of a hidden temporary beside target: DIR/.NAME.XXXXXX. */
static char *temp_name(const char *target)
{
	const char *slash = strrchr(target, '/');
	int dirlen = slash ? (int)(slash - target + 1) : 0;
	struct strbuf sb;

	sb_init(&sb);
	sb_printf(&sb, "%.*s.%s.XXXXXX", dirlen, target, target + dirlen);
	return sb.buf;
}

static int write_temp(struct pending *p, mode_t mode)
{
	p->tmp = temp_name(p->target);
	int fd = mkstemp(p->tmp);
	if (fd < 0) {
		int err = errno;
		free(p->tmp);
		p->tmp = NULL;
		return err;
	}
	int err = write_all(fd, p->file->data, p->file->len);
	if (!err && fsync(fd) != 0)
		err = errno;
	/* mkstemp makes the file 0600; the output gets an ordinary mode. */
	if (!err && fchmod(fd, mode) != 0)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	return err;
}

/* Everything short of the rename: the temporary file holds the data. */
static int prepare(struct pending *p, mode_t umask_mode)
{
	const struct output_file *f = p->file;
	struct stat st;

	if (f->make_dirs) {
		int err = make_parents(f->path);
		if (err)
			return err;
	}
	p->target = NULL;
	if (lstat(f->path, &st) == 0 && S_ISLNK(st.st_mode))
		p->target = realpath(f->path, NULL);
	if (!p->target)
		p->target = xstrdup(f->path);
	if (stat(p->target, &st) != 0) {
		if (errno != ENOENT)
			return errno;
		return write_temp(p, umask_mode);
	}
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (!S_ISREG(st.st_mode)) {
		p->in_place = true;
		return 0;
	}
	return write_temp(p, st.st_mode & 07777);
}

static int write_in_place(const struct pending *p)
{
	int fd = open(p->target, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return errno;
	int err = write_all(fd, p->file->data, p->file->len);
	if (close(fd) != 0 && !err)
		err = errno;
	return err;
}

static int commit(struct pending *p)
{
	if (p->in_place)
		return write_in_place(p);
	if (rename(p->tmp, p->target) != 0)
		return errno;
	free(p->tmp);
	p->tmp = NULL;
	return 0;
}

static void discard(struct pending *ps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ps[i].tmp)
			unlink(ps[i].tmp);
		free(ps[i].tmp);
		free(ps[i].target);
	}
	free(ps);
}

bool output_write(const struct output_file *files, size_t n, bool verbose,
		  struct diag_sink *sink)
{
	struct pending *ps = xcalloc(n + 1, sizeof(*ps));
	mode_t mode = 0666 & ~current_umask();
	size_t i;
	int err = 0;

	/* Only when every file is ready is any of them replaced. */
	for (i = 0; i < n; i++) {
		ps[i].file = &files[i];
		if ((err = prepare(&ps[i], mode)) != 0)
			break;
	}
	for (size_t j = 0; j < n && !err; j++) {
		if ((err = commit(&ps[j])) != 0)
			i = j;
		else if (verbose)
			diag_sink_plain(sink, DIAG_NOTE, "output", "wrote %s",
					 files[j].path);
	}
	if (err)
		diag_sink_plain(sink, DIAG_ERROR, "io", "cannot write %s: %s",
				 files[i].path, strerror(err));
	discard(ps, n);
	return !err;
}

/* ------------------------------------------------------------- --check */

/* --check reads no more of a file than the output it is compared with: a
 * longer file is out of date whatever the rest of it holds. --diff needs
 * all of it, up to OLD_OUTPUT_MAX. */
static enum output_state check_one(const struct output_file *f, bool diff,
				   struct diag_sink *sink)
{
	struct strbuf old;
	enum output_state state = OUTPUT_FRESH;
	char why[128];

	sb_init(&old);
	int err = file_read(f->path, &old, diff ? OLD_OUTPUT_MAX : f->len);
	if (err && err != ENOENT && (diff || err != FILE_TOO_LARGE)) {
		diag_sink_plain(sink, DIAG_ERROR, "io", "cannot %s %s: %s",
				 diff ? "diff" : "read", f->path,
				 file_error(err, OLD_OUTPUT_MAX,
					    "an existing output",
					    why, sizeof(why)));
		sb_free(&old);
		return OUTPUT_FAILED;
	}
	if (err || old.len != f->len || memcmp(old.buf, f->data, f->len) != 0) {
		state = OUTPUT_STALE;
		diag_sink_plain(sink, DIAG_NOTE, "stale", "%s %s", f->path,
				 err == ENOENT ? "does not exist" : "is out of date");
	}
	if (state == OUTPUT_STALE && diff) {
		struct strbuf out, alabel, blabel;
		sb_init(&out);
		sb_init(&alabel);
		sb_init(&blabel);
		if (err == ENOENT)
			sb_puts(&alabel, "/dev/null");
		else
			sb_printf(&alabel, "a/%s", f->path);
		sb_printf(&blabel, "b/%s", f->path);
		textdiff_unified(&out, alabel.buf, old.buf, old.len, blabel.buf,
				 f->data, f->len);
		if (!output_stdout(out.buf, out.len, sink))
			state = OUTPUT_FAILED;
		sb_free(&out);
		sb_free(&alabel);
		sb_free(&blabel);
	}
	sb_free(&old);
	return state;
}

enum output_state output_check(const struct output_file *files, size_t n,
			       bool diff, struct diag_sink *sink)
{
	enum output_state worst = OUTPUT_FRESH;

	for (size_t i = 0; i < n; i++) {
		enum output_state s = check_one(&files[i], diff, sink);
		if (s > worst)
			worst = s;
	}
	return worst;
}

enum output_state output_check_removed(char *const *paths, size_t n,
				       const char *why, bool diff, struct diag_sink *sink)
{
	enum output_state state = n ? OUTPUT_STALE : OUTPUT_FRESH;

	for (size_t i = 0; i < n && state != OUTPUT_FAILED; i++) {
		diag_sink_plain(sink, DIAG_NOTE, "stale", "%s would be removed: %s",
				 paths[i], why);
		if (!diff)
			continue;
		struct strbuf old, out, label;
		char reason[128];
		sb_init(&old);
		sb_init(&out);
		sb_init(&label);
		int err = file_read(paths[i], &old, OLD_OUTPUT_MAX);
		sb_printf(&label, "a/%s", paths[i]);
		if (!err)
			textdiff_unified(&out, label.buf, old.buf, old.len,
					 "/dev/null", "", 0);
		if (err || !output_stdout(out.buf, out.len, sink))
			state = OUTPUT_FAILED;
		if (err)
			diag_sink_plain(sink, DIAG_ERROR, "io", "cannot %s %s: %s",
					 err == FILE_TOO_LARGE ? "diff" : "read",
					 paths[i], file_error(err, OLD_OUTPUT_MAX,
							      "an existing output",
							      reason, sizeof(reason)));
		sb_free(&old);
		sb_free(&out);
		sb_free(&label);
	}
	return state;
}
