// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of the shared format code (src/format/clfs_format.c) in user
 * space, with tools/lib/crc32c.c for the checksum.
 *
 * It runs the tables of src/format/clfs_format_cases.h, the same ones the
 * KUnit suite "clfs_format" runs in the kernel: every mutation (one broken
 * rule of Documentation/clfs/format.rst each) must give its decoder's exact
 * result, and every expectation of the positive checks must hold.  One
 * line per check ("ok   NAME" or "FAIL NAME: detail"), then "N passed,
 * N failed"; the exit status is non-zero on any failure.  Buffers come
 * from malloc() at their exact sizes, so a sanitizer build
 * (-fsanitize=address,undefined) catches any access outside them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "clfs_format.h"
#include "../../src/format/clfs_format_cases.h"

static unsigned int passed, failed;

static void result(bool ok, const char *name, const char *what,
		   const char *fmt_got, long long got, long long want)
{
	if (ok) {
		passed++;
		printf("ok   %s%s%s\n", name, what ? ": " : "", what ? what : "");
		return;
	}
	failed++;
	printf("FAIL %s%s%s: %s %lld (%#llx), want %lld (%#llx)\n", name,
	       what ? ": " : "", what ? what : "", fmt_got, got,
	       (unsigned long long)got, want, (unsigned long long)want);
}

static void expect(struct clfs_fc_t *t, bool ok, const char *what,
		   long long got, long long want)
{
	result(ok, t->priv, what, "got", got, want);
}

static void *alloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p) {
		perror("calloc");
		exit(2);
	}
	return p;
}

int main(void)
{
	struct clfs_fc_t t = { .expect = expect };
	size_t i;

	t.b.meta = alloc(CLFS_META_COPY_SIZE);
	t.b.cont = alloc(CLFS_IO_UNIT_MAX);
	t.b.block = alloc(CLFS_FC_BLOCK_BUF);
	t.b.block2 = alloc(CLFS_FC_BLOCK_BUF);
	t.b.mi = alloc(sizeof(*t.b.mi));
	t.b.mi2 = alloc(sizeof(*t.b.mi2));

	for (i = 0; i < ARRAY_SIZE(clfs_fc_mutations); i++) {
		const struct clfs_fc_mutation *m = &clfs_fc_mutations[i];
		int ret, peek;

		ret = clfs_fc_mutation_run(m, &t.b, &peek);
		if (ret != m->want) {
			result(false, m->name, NULL, "decoder returned", ret,
			       m->want);
		} else if (m->what == CLFS_FC_BLOCK && peek != m->want_peek) {
			result(false, m->name, NULL, "clfs_block_peek returned",
			       peek, m->want_peek);
		} else {
			result(true, m->name, NULL, NULL, 0, 0);
		}
	}

	for (i = 0; i < ARRAY_SIZE(clfs_fc_checks); i++) {
		t.priv = (void *)clfs_fc_checks[i].name;
		clfs_fc_checks[i].run(&t);
	}

	printf("format_test: %zu mutations, %zu positive checks; %u passed, %u failed\n",
	       ARRAY_SIZE(clfs_fc_mutations), ARRAY_SIZE(clfs_fc_checks),
	       passed, failed);
	free(t.b.meta);
	free(t.b.cont);
	free(t.b.block);
	free(t.b.block2);
	free(t.b.mi);
	free(t.b.mi2);
	return failed ? 1 : 0;
}
