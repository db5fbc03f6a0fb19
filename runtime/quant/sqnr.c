// SPDX-License-Identifier: MIT
/* Per-layer SQNR of the int8 model against the float one. */
#include "sqnr.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qaccel.h"
#include "runtime/model/tflite_writer.h"

double sqnr_db(const struct sqnr_acc *a)
{
	if (a->noise <= 0.0)
		return INFINITY;
	if (a->signal <= 0.0)
		return -INFINITY;
	return 10.0 * log10(a->signal / a->noise);
}

/* The input sample as TFLite's QUANTIZE makes it: round half away, clamp. */
static void quantize_input(const float *x, size_t n, float scale, int32_t zp,
			   int8_t *q)
{
	for (size_t i = 0; i < n; i++) {
		double v = round((double)x[i] / scale) + zp;

		q[i] = (int8_t)fmin(fmax(v, -128.0), 127.0);
	}
}

struct sqnr_run {
	struct qaccel_ctx *ctx;
	struct qaccel_model *model;
	int8_t *in, *out;
	size_t out_cap;
};

static int run_sample(struct sqnr_run *r, const struct qp_plan *p, struct float_net *fn,
		      const int *map, int n_out, const float *x, size_t elems,
		      struct sqnr_acc *acc)
{
	int in_t = p->fm->inputs[0], ret;

	memcpy(fn->data[in_t], x, elems * sizeof(float));
	float_net_run(fn);
	quantize_input(x, elems, p->t[in_t].scale, p->t[in_t].zero_point, r->in);
	ret = qaccel_model_set_input(r->model, 0, r->in, elems);
	if (!ret)
		ret = qaccel_model_run(r->model);
	for (int k = 0; k < n_out && !ret; k++) {
		struct qaccel_tensor_info oi;
		int t = map[k];
		const float *f = fn->data[t];
		size_t n = fk_elems(&fn->shape[t]);

		ret = qaccel_model_output_info(r->model, k, &oi);
		if (ret || oi.bytes != n || oi.dtype != QACCEL_DTYPE_INT8)
			continue;	/* a layer whose shape qaccel sees otherwise */
		ret = qaccel_model_get_output(r->model, k, r->out, n);
		for (size_t i = 0; !ret && i < n; i++) {
			double d = (r->out[i] - p->t[t].zero_point) * (double)p->t[t].scale - f[i];

			acc[t].signal += (double)f[i] * f[i];
			acc[t].noise += d * d;
		}
		acc[t].measured = true;
	}
	return ret;
}

int sqnr_measure(const struct qp_plan *p, bool per_tensor, struct float_net *fn,
		 const struct calib_set *cs, struct sqnr_acc *acc,
		 sqnr_progress_fn progress, const void *arg, char *err, size_t errlen)
{
	struct qp_options o = { .per_tensor = per_tensor, .debug_outputs = true };
	struct qaccel_ctx_options co = { .struct_size = sizeof(co),
					 .backend = QACCEL_BACKEND_REF };
	struct sqnr_run r = { 0 };
	struct tfl_model dm;
	uint8_t *bytes = NULL;
	size_t size, max_out = 0;
	int *map = NULL, n_out, ret;

	ret = qp_build(p, &o, &dm, &map, err, errlen);
	if (ret)
		return ret;
	n_out = dm.num_outputs;
	ret = tfl_model_write(&dm, "qaccel quantize (layer outputs)", &bytes, &size, err, errlen);
	qp_model_free(&dm);
	if (ret)
		goto out;
	ret = qaccel_ctx_create(&co, &r.ctx);
	if (!ret)
		ret = qaccel_model_load_memory(r.ctx, bytes, size, &r.model);
	if (ret) {
		snprintf(err, errlen, "measuring SQNR: %s", qaccel_last_error());
		goto out;
	}
	for (int k = 0; k < n_out; k++) {
		size_t n = fk_elems(&fn->shape[map[k]]);

		max_out = n > max_out ? n : max_out;
	}
	r.in = malloc(cs->elems);
	r.out = malloc(max_out ? max_out : 1);
	if (!r.in || !r.out) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	for (size_t s = 0; s < cs->count && !ret; s++) {
		ret = run_sample(&r, p, fn, map, n_out, cs->data + s * cs->elems, cs->elems, acc);
		if (progress)
			progress(arg, s + 1, cs->count);
	}
	if (ret)
		snprintf(err, errlen, "measuring SQNR: %s", qaccel_last_error());
out:
	free(r.in);
	free(r.out);
	qaccel_model_free(r.model);
	if (r.ctx)
		qaccel_ctx_destroy(r.ctx);
	free(bytes);
	free(map);
	return ret;
}
