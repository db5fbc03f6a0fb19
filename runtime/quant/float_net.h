/* SPDX-License-Identifier: MIT */
/*
 * A float32 TensorFlow Lite model run with the float kernels: every
 * tensor's shape is worked out once from the model inputs (so dynamic
 * batches such as SPACE_TO_BATCH_ND's come out right), then each run fills
 * every activation tensor, which calibration observes.
 */
#ifndef QACCEL_QUANT_FLOAT_NET_H
#define QACCEL_QUANT_FLOAT_NET_H

#include <stdbool.h>
#include <stddef.h>

#include "fkernels.h"
#include "runtime/model/tflite_model.h"

struct float_net {
	const struct tfl_model *m;
	struct fk_shape *shape;	/* per tensor, as run */
	float **data;		/* per tensor: constants (float copies) and activations */
	bool *is_const;
};

/* Is code an operator whose float version the quantizer runs? */
bool float_net_supports(int code);
/*
 * Checks m (operators, types, shapes) and allocates every tensor. Returns 0,
 * -ENOTSUP naming the first unsupported operator or tensor type, -EINVAL
 * for inconsistent shapes, or -ENOMEM; err says which.
 */
int float_net_init(struct float_net *n, const struct tfl_model *m, char *err,
		   size_t errlen);
/* Runs once; the inputs are already in n->data[m->inputs[k]]. */
void float_net_run(struct float_net *n);
void float_net_free(struct float_net *n);

#endif /* QACCEL_QUANT_FLOAT_NET_H */
