#include "common.h"

#include <check.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"
#include "tf_moved.h"
#include "util.h"

static char dir[64];

/* Messages as the command line prints them by default; a text sink holds
 * nothing, so one serves every test. */
static struct diag_sink *text(void)
{
	static struct diag_sink sink;
	diag_sink_init(&sink, stderr, DIAG_FORMAT_TEXT, false, NULL, 0);
	return &sink;
}

static void make_dir(void)
{
	strcpy(dir, "/tmp/peerc-output-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
}

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		unlink(path);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char sub[512];
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		remove_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

static void drop_dir(void)
{
	ck_assert_int_eq(chdir("/"), 0);
	remove_tree(dir);
}

static struct output_file file(const char *path, const char *data)
{
	return (struct output_file){ path, data, strlen(data), false };
}

static char *slurp(const char *path)
{
	struct strbuf sb;
	sb_init(&sb);
	ck_assert_int_eq(file_read(path, &sb, SIZE_MAX), 0);
	return sb.buf;
}

static void assert_content(const char *path, const char *want)
{
	char *got = slurp(path);
	ck_assert_str_eq(got, want);
	free(got);
}

static unsigned mode_of(const char *path)
{
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* Entries of the scratch directory: a leftover temporary shows up here. */
static size_t entries(void)
{
	DIR *d = opendir(".");
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

START_TEST(new_files_get_0666_less_umask)
{
	static const mode_t masks[] = { 022, 027, 077 };
	for (size_t i = 0; i < ARRAY_SIZE(masks); i++) {
		mode_t old = umask(masks[i]);
		struct output_file f = file("new.tf", "x = 1\n");
		unlink("new.tf");
		ck_assert(output_write(&f, 1, false, text()));
		umask(old);
		assert_content("new.tf", "x = 1\n");
		ck_assert_uint_eq(mode_of("new.tf"), 0666 & ~masks[i]);
	}
}
END_TEST

START_TEST(replaced_files_keep_their_mode)
{
	struct output_file f = file("old.tf", "new\n");
	FILE *fp = fopen("old.tf", "w");
	fputs("old\n", fp);
	fclose(fp);
	ck_assert_int_eq(chmod("old.tf", 0640), 0);
	ck_assert(output_write(&f, 1, false, text()));
	assert_content("old.tf", "new\n");
	ck_assert_uint_eq(mode_of("old.tf"), 0640);
	ck_assert_uint_eq(entries(), 1);
}
END_TEST

START_TEST(module_directories_are_made)
{
	struct output_file fs[] = {
		file("main.bicep", "main\n"),
		{ "modules/a/side.bicep", "side\n", 5, true },
	};
	ck_assert(output_write(fs, 2, false, text()));
	assert_content("main.bicep", "main\n");
	assert_content("modules/a/side.bicep", "side\n");
}
END_TEST

START_TEST(one_failure_writes_nothing)
{
	FILE *fp = fopen("x.tf", "w");
	fputs("before\n", fp);
	fclose(fp);
	/* The second file's directory does not exist and is not made. */
	struct output_file fs[] = {
		file("x.tf", "after\n"),
		file("missing/y.tf", "y\n"),
	};
	ck_assert(!output_write(fs, 2, false, text()));
	assert_content("x.tf", "before\n");
	ck_assert_uint_eq(entries(), 1); /* no temporary is left */
}
END_TEST

START_TEST(a_directory_is_not_replaced)
{
	ck_assert_int_eq(mkdir("d.tf", 0777), 0);
	struct output_file f = file("d.tf", "x\n");
	ck_assert(!output_write(&f, 1, false, text()));
	ck_assert_uint_eq(entries(), 1);
}
END_TEST

START_TEST(symlinks_are_written_through)
{
	FILE *fp = fopen("real.tf", "w");
	fputs("old\n", fp);
	fclose(fp);
	ck_assert_int_eq(symlink("real.tf", "link.tf"), 0);
	struct output_file f = file("link.tf", "new\n");
	ck_assert(output_write(&f, 1, false, text()));
	struct stat st;
	ck_assert_int_eq(lstat("link.tf", &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	assert_content("real.tf", "new\n");
}
END_TEST

START_TEST(devices_are_written_in_place)
{
	struct output_file f = file("/dev/null", "x\n");
	ck_assert(output_write(&f, 1, false, text()));
	struct stat st;
	ck_assert_int_eq(stat("/dev/null", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
}
END_TEST

START_TEST(check_tells_fresh_from_stale)
{
	struct output_file f = file("c.tf", "same\n");
	ck_assert(output_write(&f, 1, false, text()));
	ck_assert_int_eq(output_check(&f, 1, false, text()), OUTPUT_FRESH);
	struct output_file g = file("c.tf", "other\n");
	ck_assert_int_eq(output_check(&g, 1, false, text()), OUTPUT_STALE);
	struct output_file h = file("absent.tf", "");
	ck_assert_int_eq(output_check(&h, 1, false, text()), OUTPUT_STALE);
	struct output_file both[] = { f, g };
	ck_assert_int_eq(output_check(both, 2, false, text()), OUTPUT_STALE);
	ck_assert_uint_eq(entries(), 1); /* --check writes nothing */
}
END_TEST

/* A staged output opened again replaces what was staged for it: the first
 * temporary is gone, and the commit writes the second. */
START_TEST(a_path_staged_again_replaces_the_first)
{
	struct output_stage *st = output_stage_new(text());
	ck_assert(output_stage_open(st, "a.tf", false));
	ck_assert(output_stage_write(st, "first\n", 6));
	ck_assert(output_stage_close(st));
	ck_assert(output_stage_open(st, "b.tf", false));
	ck_assert(output_stage_write(st, "b\n", 2));
	ck_assert(output_stage_close(st));
	ck_assert(output_stage_open(st, "a.tf", false));
	ck_assert(output_stage_write(st, "second\n", 7));
	ck_assert(output_stage_close(st));
	ck_assert_uint_eq(entries(), 2); /* .a.tf.XXXXXX and .b.tf.XXXXXX */
	ck_assert(output_stage_commit(st, false));
	output_stage_free(st);
	ck_assert_uint_eq(entries(), 2);
	assert_content("a.tf", "second\n");
	assert_content("b.tf", "b\n");
}
END_TEST

/* Freed without a commit, a stage leaves nothing: no temporary, and no
 * directory it made for a module. */
START_TEST(an_uncommitted_stage_leaves_nothing)
{
	struct output_stage *st = output_stage_new(text());
	ck_assert(output_stage_open(st, "mods/deep/m.bicep", true));
	ck_assert(output_stage_write(st, "x\n", 2));
	ck_assert(output_stage_close(st));
	output_stage_free(st);
	ck_assert_uint_eq(entries(), 0);
}
END_TEST

/* Whether tf_scan finds that `old`, as the previous output on disk, may
 * need moved blocks into `new`, given in pieces of `piece` bytes. */
static bool moves_needed(const char *new, const char *old, size_t piece)
{
	FILE *f = fopen("prev.tf", "w");
	fputs(old, f);
	fclose(f);
	struct tf_scan *sc = tf_scan_new();
	for (size_t i = 0, n = strlen(new); i < n; i += piece)
		tf_scan_feed(sc, new + i, n - i < piece ? n - i : piece);
	bool needed = true;
	ck_assert_int_eq(tf_scan_previous(sc, "prev.tf", &needed), 0);
	tf_scan_free(sc);
	return needed;
}

/* The streamed regeneration's question, asked of text cut anywhere: does
 * the previous output have a resource the new one lacks, or moved blocks?
 * Data sources are never moved; a file peerc did not write moves nothing. */
START_TEST(tf_scan_finds_what_may_move)
{
	struct arena *A = arena_new();
	const char *head = "# Generated by peerc 1\n";
	const char *a = "resource \"azurerm_virtual_network\" \"a\" {\n  name = \"a\"\n}\n";
	const char *b = "resource \"azurerm_virtual_network\" \"b\" {\n}\n";
	const char *d = "data \"azurerm_virtual_network\" \"x\" {\n}\n";
	const char *mv = "moved {\n  from = azurerm_virtual_network.a\n  to = azurerm_virtual_network.b\n}\n";
	char *new = arena_printf(A, "%s%s%s", head, a, b);

	for (size_t piece = 1; piece <= 64; piece += 9) {
		ck_assert(!moves_needed(new, arena_printf(A, "%s%s%s", head, b, a), piece));
		ck_assert(!moves_needed(new, arena_printf(A, "%s%s%s", head, a, d), piece));
		ck_assert(moves_needed(arena_printf(A, "%s%s", head, b),
				       arena_printf(A, "%s%s%s", head, a, b), piece));
		ck_assert(moves_needed(new, arena_printf(A, "%s%s%s%s", head, a, b, mv), piece));
		ck_assert(!moves_needed(arena_printf(A, "%s%s", head, b),
					arena_printf(A, "# mine\n%s%s", a, b), piece));
	}
	/* a last line without its newline counts too, on either side */
	ck_assert(moves_needed(new, arena_printf(A, "%s%sresource \"t\" \"c\" {", head, a), 4));
	ck_assert(!moves_needed(arena_printf(A, "%sresource \"t\" \"c\" {", head),
				arena_printf(A, "%sresource \"t\" \"c\" {\n}\n", head), 4));
	arena_free(A);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("write");
	tcase_add_checked_fixture(tc, make_dir, drop_dir);
	tcase_add_test(tc, new_files_get_0666_less_umask);
	tcase_add_test(tc, replaced_files_keep_their_mode);
	tcase_add_test(tc, module_directories_are_made);
	tcase_add_test(tc, one_failure_writes_nothing);
	tcase_add_test(tc, a_directory_is_not_replaced);
	tcase_add_test(tc, symlinks_are_written_through);
	tcase_add_test(tc, devices_are_written_in_place);
	tcase_add_test(tc, a_path_staged_again_replaces_the_first);
	tcase_add_test(tc, an_uncommitted_stage_leaves_nothing);
	tcase_add_test(tc, tf_scan_finds_what_may_move);
	tcase_add_test(tc, check_tells_fresh_from_stale);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
