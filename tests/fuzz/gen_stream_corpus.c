// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Writes one valid fuzz input per opcode into the directory given. */
#include <stdio.h>

#include "stream_builder.h"

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	t_seed_init(7);
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		struct t_bufs b = { 0 };
		union sb_cmd c;
		struct qaccel_stream_header h = { .magic = QACCEL_STREAM_MAGIC,
						 .version = QACCEL_ISA_VERSION };
		uint32_t size = sb_valid_cmd(op, &b, &c);
		char path[512];
		FILE *f;

		h.size = sizeof(h) + size;
		h.num_cmds = 1;
		snprintf(path, sizeof(path), "%s/%s", argv[1], qaccel_opcode_name(op));
		f = fopen(path, "wb");
		if (!f)
			return 1;
		fputc((int)(b.n - 1), f);
		for (uint32_t i = 0; i < b.n; i++) {
			fputc((int)(b.sizes[i] & 0xff), f);
			fputc((int)(b.sizes[i] >> 8), f);
		}
		fwrite(&h, sizeof(h), 1, f);
		fwrite(&c, size, 1, f);
		fclose(f);
		t_bufs_free(&b);
	}
	return 0;
}
