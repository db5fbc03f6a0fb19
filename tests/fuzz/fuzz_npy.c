// SPDX-License-Identifier: MIT
/* libFuzzer target: the .npy parser on arbitrary bytes. */
#include <stdint.h>
#include <string.h>

#include "runtime/io/npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct npy_array a;
	char err[256];

	if (npy_parse(data, size, &a, err, sizeof(err)) == 0) {
		/* Touch every byte: ASan checks the size the parser promised. */
		volatile uint8_t sum = 0;

		for (size_t i = 0; i < a.elems * a.elem_size; i++)
			sum += ((uint8_t *)a.data)[i];
		(void)sum;
		npy_free(&a);
	}
	return 0;
}
