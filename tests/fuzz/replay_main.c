/* Replays the crashers of one libFuzzer harness in `make check`: linked
 * with that harness (fuzz_template.c, ...) as replay_HARNESS, it feeds it
 * every file of tests/fuzz/crashers/HARNESS/ (or of the directory given)
 * once. Each must
 * return within 20 seconds: an alarm ends a hang as a failure, and the
 * sanitizer build makes a memory error or leak fatal and loud. A standalone
 * main, as libFuzzer documents for reproducing without the fuzzer. */
#include "common.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { REPLAY_SECONDS = 20 };

static bool replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char buf[65536];
	size_t n;

	if (!f) {
		printf("FAIL: %s: cannot read\n", path);
		return false;
	}
	sb_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_putn(&sb, buf, n);
	fclose(f);
	alarm(REPLAY_SECONDS);
	LLVMFuzzerTestOneInput((const uint8_t *)sb.buf, sb.len);
	alarm(0);
	sb_free(&sb);
	printf("PASS: %s\n", path);
	return true;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static bool is_input(const struct dirent *e)
{
	return e->d_name[0] != '.' && strcmp(e->d_name, "README.md") != 0;
}

/* The harness is in the program's name: replay_template replays
 * crashers/template/. */
static const char *harness_name(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	base = base ? base + 1 : argv0;
	return strncmp(base, "replay_", 7) == 0 ? base + 7 : base;
}

int main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	char dir[4096];
	struct dirent **names;
	size_t passed = 0, failed = 0;

	if (argc > 2 || (argc == 1 && !top)) {
		fprintf(stderr, "usage: %s [DIR] (default: "
			"$top_srcdir/tests/fuzz/crashers/%s)\n", argv[0],
			harness_name(argv[0]));
		return 99;
	}
	if (argc == 2)
		snprintf(dir, sizeof(dir), "%s", argv[1]);
	else
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/crashers/%s", top,
			 harness_name(argv[0]));
	int n = scandir(dir, &names, NULL, by_name);
	if (n < 0) {
		printf("FAIL: no directory %s\n", dir);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char path[8192];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (is_input(names[i]) && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay(path))
				passed++;
			else
				failed++;
		}
		free(names[i]);
	}
	free(names);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
