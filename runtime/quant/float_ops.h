/* SPDX-License-Identifier: MIT */
/*
 * Inside float_net: one function per operator family works out the output
 * shape (run false) or computes (run true), so shape rules and arithmetic
 * cannot drift apart.
 */
#ifndef QACCEL_QUANT_FLOAT_OPS_H
#define QACCEL_QUANT_FLOAT_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "float_net.h"

/* Bounds that keep every size computation far from overflow. */
#define FN_MAX_ELEMS ((int64_t)1 << 28)	/* floats per tensor: 1 GiB */
#define FN_MAX_PARAM (1 << 20)		/* paddings, crops, blocks */

struct fn_ctx {
	struct float_net *n;
	const struct tfl_op *op;
	int index;
	bool run;
	char *err;
	size_t errlen;
};


/* Writes "operator N (NAME): ..." to c->err and returns ret. */
int fn_fail(struct fn_ctx *c, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Elements of s, or -1 if a dimension is not positive or the total too large. */
int64_t fn_shape_elems(const struct fk_shape *s);
/* Shape (c->run false) or computation (true) of c->op. */
int fn_op_do(struct fn_ctx *c);

#endif /* QACCEL_QUANT_FLOAT_OPS_H */
