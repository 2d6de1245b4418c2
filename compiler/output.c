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
	char *path;   /* as the user sees it */
	char *target; /* the file to replace: path, or where its symlink points */
	char *tmp;    /* NULL once renamed, or when writing in place */
	int fd;       /* the open temporary, or -1 */
	mode_t mode;  /* what the file gets */
	dev_t dev;    /* the file system it is on */
	/* A device or FIFO (-o /dev/null) is written directly, and only at
	 * the commit, so that it too sees nothing of a failed run. */
	bool in_place;
	struct strbuf held;
};

struct output_stage {
	struct pending *files;
	size_t n, cap;
	struct diag_sink *diags;
	int err;          /* the first error, reported; nothing more is done */
	bool committed;
	/* The directories opening a file made, removed again (while empty)
	 * when the run fails: a failed run leaves no trace. */
	char **dirs;
	size_t ndirs;
};

static mode_t current_umask(void)
{
	/* The only way to read the umask without /proc is to set it. */
	mode_t mask = umask(0);
	umask(mask);
	return mask;
}

/* mkdir -p for the directories above path; those it made go to s. */
static int make_parents(struct output_stage *s, const char *path)
{
	char *dir = xstrdup(path);
	int err = 0;

	for (char *p = strchr(dir + 1, '/'); p && !err; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0777) == 0) {
			s->dirs = xrealloc(s->dirs, (s->ndirs + 1) * sizeof(*s->dirs));
			s->dirs[s->ndirs++] = xstrdup(dir);
		} else if (errno != EEXIST) {
			err = errno;
		}
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

static int open_temp(struct pending *p)
{
	struct stat st;

	p->tmp = temp_name(p->target);
	p->fd = mkstemp(p->tmp);
	if (p->fd < 0) {
		int err = errno;
		free(p->tmp);
		p->tmp = NULL;
		return err;
	}
	if (fstat(p->fd, &st) != 0)
		return errno;
	p->dev = st.st_dev;
	return 0;
}

/* Everything short of writing: where the data goes, and with what mode. */
static int prepare(struct output_stage *s, struct pending *p, bool make_dirs)
{
	struct stat st;
	mode_t umask_mode = 0666 & ~current_umask();

	if (make_dirs) {
		int err = make_parents(s, p->path);
		if (err)
			return err;
	}
	if (lstat(p->path, &st) == 0 && S_ISLNK(st.st_mode))
		p->target = realpath(p->path, NULL);
	if (!p->target)
		p->target = xstrdup(p->path);
	if (stat(p->target, &st) != 0) {
		if (errno != ENOENT)
			return errno;
		p->mode = umask_mode;
		return open_temp(p);
	}
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (!S_ISREG(st.st_mode)) {
		p->in_place = true;
		return 0;
	}
	p->mode = st.st_mode & 07777;
	return open_temp(p);
}

/* Keeps the first error, and says it once. */
static bool stage_failed(struct output_stage *s, const char *path, int err)
{
	if (!s->err)
		diag_sink_plain(s->diags, DIAG_ERROR, "io", "cannot write %s: %s",
				path, strerror(err));
	s->err = s->err ? s->err : err;
	return false;
}

struct output_stage *output_stage_new(struct diag_sink *diags)
{
	struct output_stage *s = xcalloc(1, sizeof(*s));
	s->diags = diags;
	return s;
}

/* Forgets what was staged for pending i: its temporary is removed. */
static void drop_pending(struct output_stage *s, size_t i)
{
	struct pending *p = &s->files[i];

	if (p->fd >= 0)
		close(p->fd);
	if (p->tmp)
		unlink(p->tmp);
	free(p->tmp);
	free(p->target);
	free(p->path);
	sb_free(&p->held);
	memmove(p, p + 1, (s->n - i - 1) * sizeof(*p));
	s->n--;
}

bool output_stage_open(struct output_stage *s, const char *path, bool make_dirs)
{
	if (s->err)
		return false;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->files[i].path, path) == 0)
			drop_pending(s, i--); /* written again: the new one counts */
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->files = xrealloc(s->files, s->cap * sizeof(*s->files));
	}
	struct pending *p = &s->files[s->n++];
	*p = (struct pending){ .path = xstrdup(path), .fd = -1 };
	sb_init(&p->held);
	int err = prepare(s, p, make_dirs);
	return err ? stage_failed(s, path, err) : true;
}

bool output_stage_write(struct output_stage *s, const char *data, size_t len)
{
	struct pending *p = &s->files[s->n - 1];

	if (s->err)
		return false;
	if (p->in_place) {
		sb_putn(&p->held, data, len);
		return true;
	}
	int err = write_all(p->fd, data, len);
	return err ? stage_failed(s, p->path, err) : true;
}

/* Without syncfs, each file is synced as it is closed: a flush per file. */
#ifndef HAVE_SYNCFS
#define PER_FILE_SYNC 1
#else
#define PER_FILE_SYNC 0
#endif

bool output_stage_close(struct output_stage *s)
{
	struct pending *p = &s->files[s->n - 1];
	int err = 0;

	if (p->fd < 0)
		return !s->err;
	/* mkstemp makes the file 0600; the output gets an ordinary mode. */
	if (!s->err && fchmod(p->fd, p->mode) != 0)
		err = errno;
	if (!s->err && !err && PER_FILE_SYNC && fsync(p->fd) != 0)
		err = errno;
	if (close(p->fd) != 0 && !err)
		err = errno;
	p->fd = -1;
	if (s->err)
		return false;
	return err ? stage_failed(s, p->path, err) : true;
}

/* One flush to disk for all the temporaries, before any is renamed: a
 * crash leaves each target as it was or whole, never renamed over data
 * not yet on the disk. One file takes an fsync; more take a syncfs of
 * each file system they are on (one, nearly always), which writes them
 * back together instead of one journal commit each. */
static int sync_all(struct output_stage *s)
{
	size_t temps = 0;

	for (size_t i = 0; i < s->n; i++)
		temps += s->files[i].tmp != NULL;
	for (size_t i = 0; i < s->n && !PER_FILE_SYNC; i++) {
		struct pending *p = &s->files[i];
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = s->files[j].tmp && s->files[j].dev == p->dev;
		if (!p->tmp || seen)
			continue;
		/* Distinct devices are few: the loop above is short. */
		int fd = open(p->tmp, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			int err = errno; /* stage_failed's printing may change it */
			return stage_failed(s, p->path, err), err;
		}
#ifdef HAVE_SYNCFS
		int r = temps > 1 ? syncfs(fd) : fsync(fd);
#else
		int r = fsync(fd);
#endif
		int err = r != 0 ? errno : 0;
		close(fd);
		if (err)
			return stage_failed(s, p->path, err), err;
	}
	return 0;
}

static int write_in_place(struct pending *p)
{
	int fd = open(p->target, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return errno;
	int err = write_all(fd, p->held.buf ? p->held.buf : "", p->held.len);
	if (close(fd) != 0 && !err)
		err = errno;
	return err;
}

bool output_stage_commit(struct output_stage *s, bool verbose)
{
	if (s->err || sync_all(s))
		return false;
	for (size_t i = 0; i < s->n; i++) {
		struct pending *p = &s->files[i];
		int err = p->in_place ? write_in_place(p) :
			  rename(p->tmp, p->target) != 0 ? errno : 0;
		if (err)
			return stage_failed(s, p->path, err);
		free(p->tmp);
		p->tmp = NULL;
		if (verbose)
			diag_sink_plain(s->diags, DIAG_NOTE, "output", "wrote %s", p->path);
	}
	s->committed = true;
	return true;
}

bool output_stage_failed(const struct output_stage *s)
{
	return s->err != 0;
}

void output_stage_free(struct output_stage *s)
{
	if (!s)
		return;
	while (s->n)
		drop_pending(s, s->n - 1);
	for (size_t i = s->ndirs; i-- > 0;) {
		if (!s->committed)
			rmdir(s->dirs[i]);
		free(s->dirs[i]);
	}
	free(s->dirs);
	free(s->files);
	free(s);
}

bool output_write(const struct output_file *files, size_t n, bool verbose,
		  struct diag_sink *sink)
{
	struct output_stage *s = output_stage_new(sink);
	bool ok = true;

	for (size_t i = 0; i < n && ok; i++)
		ok = output_stage_open(s, files[i].path, files[i].make_dirs) &&
		     output_stage_write(s, files[i].data, files[i].len) &&
		     output_stage_close(s);
	ok = ok && output_stage_commit(s, verbose);
	output_stage_free(s);
	return ok;
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

/* A file of a streamed --check: where its comparison stands. */
struct compared {
	char *path;
	int err;      /* errno of reading the old file, or 0 */
	bool absent;  /* no file there */
	bool differs; /* absent, shorter, longer or other bytes */
};

struct output_compare {
	struct compared *files;
	size_t n, cap;
	int fd; /* the old file of the last opened, while it still matches */
};

struct output_compare *output_compare_new(void)
{
	struct output_compare *c = xcalloc(1, sizeof(*c));
	c->fd = -1;
	return c;
}

static void compare_stop(struct output_compare *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

void output_compare_open(struct output_compare *c, const char *path)
{
	compare_stop(c);
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->files[i].path, path) != 0)
			continue;
		free(c->files[i].path);
		memmove(&c->files[i], &c->files[i + 1], (c->n - i - 1) * sizeof(*c->files));
		c->n--;
		break;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->files = xrealloc(c->files, c->cap * sizeof(*c->files));
	}
	struct compared *f = &c->files[c->n++];
	*f = (struct compared){ .path = xstrdup(path) };
	c->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c->fd < 0) {
		f->absent = f->differs = errno == ENOENT;
		f->err = errno == ENOENT ? 0 : errno;
	}
}

/* Reads up to len bytes of the old file into buf: how many, 0 at its end,
 * -1 after recording a read error. */
static ssize_t compare_read(struct output_compare *c, char *buf, size_t len)
{
	for (;;) {
		ssize_t got = read(c->fd, buf, len);
		if (got >= 0 || errno != EINTR) {
			if (got < 0)
				c->files[c->n - 1].err = errno;
			return got;
		}
	}
}

void output_compare_write(struct output_compare *c, const char *data, size_t len)
{
	char buf[65536];

	while (len > 0 && c->fd >= 0) {
		ssize_t got = compare_read(c, buf, len < sizeof(buf) ? len : sizeof(buf));
		if (got <= 0 || memcmp(buf, data, (size_t)got) != 0) {
			c->files[c->n - 1].differs = got >= 0;
			compare_stop(c);
			return;
		}
		data += got;
		len -= (size_t)got;
	}
}

void output_compare_close(struct output_compare *c)
{
	char extra;

	/* a byte past the output's end: the old file was longer */
	if (c->fd >= 0 && compare_read(c, &extra, 1) > 0)
		c->files[c->n - 1].differs = true;
	compare_stop(c);
}

enum output_state output_compare_finish(struct output_compare *c,
					struct diag_sink *sink)
{
	enum output_state worst = OUTPUT_FRESH;

	for (size_t i = 0; i < c->n; i++) {
		const struct compared *f = &c->files[i];
		if (f->err) {
			diag_sink_plain(sink, DIAG_ERROR, "io", "cannot read %s: %s",
					f->path, strerror(f->err));
			worst = OUTPUT_FAILED;
		} else if (f->differs) {
			diag_sink_plain(sink, DIAG_NOTE, "stale", "%s %s", f->path,
					f->absent ? "does not exist" : "is out of date");
			worst = worst > OUTPUT_STALE ? worst : OUTPUT_STALE;
		}
	}
	return worst;
}

void output_compare_free(struct output_compare *c)
{
	if (!c)
		return;
	compare_stop(c);
	for (size_t i = 0; i < c->n; i++)
		free(c->files[i].path);
	free(c->files);
	free(c);
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
