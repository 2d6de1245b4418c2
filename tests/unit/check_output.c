#include "common.h"

#include <check.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"
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
	tcase_add_test(tc, check_tells_fresh_from_stale);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
