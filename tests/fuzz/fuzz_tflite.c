// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the .tflite reader and the compiler on arbitrary bytes.
 * Whatever compiles must also produce a stream the validator accepts with
 * the program's own buffer sizes (a compiler bug otherwise).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime/compiler/compile.h"
#include "runtime/ref/qaccel_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qc_program p;
	char err[256];

	if (qc_compile_tflite(data, size, &p, err, sizeof(err)) == 0) {
		uint64_t sizes[QC_NUM_BUFS] = { p.consts_size ? p.consts_size : 1,
						p.arena_size ? p.arena_size : 1 };

		struct qaccel_validate_error e;

		if (qaccel_validate(p.stream, p.stream_size, sizes, QC_NUM_BUFS, &e)) {
			fprintf(stderr, "compiled stream rejected: command %u: %s\n",
				e.cmd_index, e.reason);
			abort();
		}
		qc_program_free(&p);
	}
	return 0;
}
