/* libFuzzer harness for the language server: the input is the raw byte
 * stream a client would write to `peerc lsp` (framing, JSON and all), served
 * to its end with no debounce; the answers go to /dev/null. Any crash,
 * sanitizer report, leak or hang is a finding. Seeds: recorded sessions in
 * tests/fuzz/lsp-seeds/. Built and run by tests/fuzz/run, never by `make
 * check` (which replays tests/fuzz/crashers/lsp-* through peerc lsp). */
#include "common.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int null_fd = -1;
	struct lsp_config cfg = { .debounce_ms = 0 };
	int in = memfd_create("lsp-input", 0);

	if (null_fd < 0)
		null_fd = open("/dev/null", O_WRONLY);
	if (in < 0 || null_fd < 0)
		abort();
	if (size && write(in, data, size) != (ssize_t)size)
		abort();
	lseek(in, 0, SEEK_SET);
	lsp_serve(in, null_fd, &cfg);
	close(in);
	return 0;
}
