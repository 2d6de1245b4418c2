#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"
#include "textdiff.h"
#include "util.h"

int file_read(const char *path, struct strbuf *sb)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	char buf[65536];
	int err = 0;

	if (fd < 0)
		return errno;
	for (;;) {
		ssize_t got = read(fd, buf, sizeof(buf));
		if (got > 0) {
			sb_putn(sb, buf, (size_t)got);
		} else if (got == 0) {
			break;
		} else if (errno != EINTR) {
			err = errno;
			break;
		}
	}
	if (!is_stdin)
		close(fd);
	return err;
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

static enum output_state check_one(const struct output_file *f, bool diff,
				   struct diag_sink *sink)
{
	struct strbuf old;
	enum output_state state = OUTPUT_FRESH;

	sb_init(&old);
	int err = file_read(f->path, &old);
	if (err && err != ENOENT) {
		diag_sink_plain(sink, DIAG_ERROR, "io", "cannot read %s: %s",
				 f->path, strerror(err));
		sb_free(&old);
		return OUTPUT_FAILED;
	}
	if (err || old.len != f->len || memcmp(old.buf, f->data, f->len) != 0) {
		state = OUTPUT_STALE;
		diag_sink_plain(sink, DIAG_NOTE, "stale", "%s %s", f->path,
				 err ? "does not exist" : "is out of date");
	}
	if (state == OUTPUT_STALE && diff) {
		struct strbuf out, alabel, blabel;
		sb_init(&out);
		sb_init(&alabel);
		sb_init(&blabel);
		if (err)
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
