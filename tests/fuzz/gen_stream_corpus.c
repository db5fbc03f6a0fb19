// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Seed corpus for fuzz_stream: one valid stream per opcode (the command
 * twice, so the walk over several commands is exercised), written into the
 * directory given, as fuzz_stream.h lays inputs out. Each stream is
 * validated first: a seed the validator rejects would be a useless seed.
 */
#include <stdio.h>

#include "fuzz_stream.h"
#include "stream_builder.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	t_seed_init(7);
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		struct t_bufs b = { 0 };
		union sb_cmd c;
		struct sb_stream s;
		char path[4096];
		FILE *f;
		int bad;

		if (!sb_valid_cmd(op, &b, &c))
			return 1;
		sb_repeat(&s, &c, 2);
		if (sb_validate(&s, &b, NULL)) {
			fprintf(stderr, "%s: seed rejected\n",
				qaccel_opcode_name(op));
			return 1;
		}
		snprintf(path, sizeof(path), "%s/seed-%s", argv[1],
			 qaccel_opcode_name(op));
		f = fopen(path, "wb");
		if (!f) {
			perror(path);
			return 1;
		}
		bad = fuzz_stream_write(f, b.sizes, b.n, op * 2654435761u,
					s.mem, s.size);
		if (fclose(f) || bad) {
			fprintf(stderr, "%s: write failed\n", path);
			return 1;
		}
		sb_free(&s);
		t_bufs_free(&b);
	}
	return 0;
}
