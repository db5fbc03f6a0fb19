// SPDX-License-Identifier: MIT
/*
 * qaccel_quantize_file(): read the float model and the calibration set,
 * observe every activation over the set with the float kernels, choose
 * parameters, build and write the int8 model, check that libqaccel loads
 * it, and optionally measure and report the error.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calib.h"
#include "float_net.h"
#include "observer.h"
#include "quant_plan.h"
#include "report.h"
#include "sqnr.h"
#include "qaccel.h"
#include "runtime/core/error.h"
#include "runtime/model/tflite_writer.h"

#define PROGRESS_WIDTH 30

struct qz {
	const struct qaccel_quantize_options *o;
	struct tfl_model fm;
	struct float_net fn;
	struct qp_plan plan;
	struct calib_set cs;
	struct observer *obs;
	void *file;
	bool progress;
	char err[512];
};

static void progress(const struct qz *z, const char *what, size_t done, size_t total)
{
	int fill = total ? (int)(done * PROGRESS_WIDTH / total) : PROGRESS_WIDTH;

	if (!z->progress)
		return;
	fprintf(stderr, "\r%-12s [%.*s%*s] %zu/%zu", what, fill,
		"##############################", PROGRESS_WIDTH - fill, "", done, total);
	if (done == total)
		fputc('\n', stderr);
}

static int read_all(const char *path, void **buf, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	long n;

	*buf = NULL;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(*buf = malloc(n ? (size_t)n : 1)) || fread(*buf, 1, (size_t)n, f) != (size_t)n) {
		snprintf(err, errlen, "%s: cannot read", path);
		fclose(f);
		free(*buf);
		*buf = NULL;
		return -EIO;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

static void sqnr_progress(const void *arg, size_t done, size_t total)
{
	progress(arg, "measuring", done, total);
}

/* One pass over the calibration set: extremes (pass 0) or histograms (pass 1). */
static void observe(struct qz *z, int pass)
{
	const struct tfl_model *m = &z->fm;
	int in = m->inputs[0];

	for (size_t s = 0; s < z->cs.count; s++) {
		memcpy(z->fn.data[in], z->cs.data + s * z->cs.elems, z->cs.elems * sizeof(float));
		float_net_run(&z->fn);
		for (int t = 0; t < m->num_tensors; t++) {
			size_t n = fk_elems(&z->fn.shape[t]);

			/* Tensors no operator computes (a malformed model) have no data. */
			if (!z->plan.t[t].has_range || !z->fn.data[t] ||
			    (z->fn.is_const[t] && s > 0))
				continue;
			if (pass == 0)
				obs_minmax(&z->obs[t], z->fn.data[t], n);
			else
				obs_hist_add(&z->obs[t], z->fn.data[t], n);
		}
		progress(z, pass ? "histograms" : "calibrating", s + 1, z->cs.count);
	}
}

static int calibrate(struct qz *z)
{
	enum obs_method meth = (enum obs_method)z->o->method;
	int n = z->fm.num_tensors;

	z->obs = calloc(n ? n : 1, sizeof(*z->obs));
	if (!z->obs)
		return -ENOMEM;
	for (int t = 0; t < n; t++)
		obs_init(&z->obs[t]);
	observe(z, 0);
	if (meth != OBS_MINMAX) {
		for (int t = 0; t < n; t++)
			if (z->plan.t[t].has_range && obs_hist_begin(&z->obs[t]))
				return -ENOMEM;
		observe(z, 1);
	}
	for (int t = 0; t < n; t++)
		if (z->plan.t[t].has_range)
			obs_range(&z->obs[t], meth, z->o->percentile, &z->plan.t[t].lo,
				  &z->plan.t[t].hi);
	qp_choose_params(&z->plan);
	return 0;
}

/* The model as bytes; libqaccel must load it too, or it is a quantizer bug. */
static int build_bytes(struct qz *z, uint8_t **bytes, size_t *size)
{
	struct qp_options po = { .per_tensor = z->o->per_tensor, .float_io = z->o->float_io };
	struct qaccel_ctx_options co = { .struct_size = sizeof(co), .backend = QACCEL_BACKEND_REF };
	struct qaccel_ctx *ctx;
	struct qaccel_model *qm;
	struct tfl_model im;
	int ret;

	ret = qp_build(&z->plan, &po, &im, NULL, z->err, sizeof(z->err));
	if (ret)
		return ret;
	ret = tfl_model_write(&im, "qaccel quantize", bytes, size, z->err, sizeof(z->err));
	qp_model_free(&im);
	if (ret)
		return ret;
	ret = qaccel_ctx_create(&co, &ctx);
	if (ret)
		return ret;
	ret = qaccel_model_load_memory(ctx, *bytes, *size, &qm);
	if (ret)
		snprintf(z->err, sizeof(z->err), "the int8 model does not load in qaccel: %s",
			 qaccel_last_error());
	else
		qaccel_model_free(qm);
	qaccel_ctx_destroy(ctx);
	return ret;
}

static int report(struct qz *z, const char *model_path)
{
	struct sqnr_acc *acc = calloc(z->fm.num_tensors ? z->fm.num_tensors : 1, sizeof(*acc));
	char method[48];
	struct report_info ri = { model_path, method, z->o->per_tensor, z->o->float_io,
				  z->cs.count, &z->plan, acc };
	int ret;

	if (!acc)
		return -ENOMEM;
	if (z->o->method == QACCEL_CALIB_PERCENTILE)
		snprintf(method, sizeof(method), "percentile:%g", z->o->percentile);
	else
		snprintf(method, sizeof(method), "%s", obs_method_name((enum obs_method)z->o->method));
	ret = sqnr_measure(&z->plan, z->o->per_tensor, &z->fn, &z->cs, acc, sqnr_progress, z,
			   z->err, sizeof(z->err));
	if (!ret)
		ret = report_write(z->o->report_path, &ri, z->err, sizeof(z->err));
	free(acc);
	return ret;
}

static int check_options(const struct qaccel_quantize_options *o, char *err, size_t errlen)
{
	if (o->struct_size < sizeof(*o) || (unsigned)o->method > QACCEL_CALIB_ENTROPY ||
	    (o->method == QACCEL_CALIB_PERCENTILE &&
	     !(o->percentile > 50.0 && o->percentile <= 100.0))) {
		snprintf(err, errlen, "bad quantize options (method, or percentile outside (50, 100])");
		return -EINVAL;
	}
	return 0;
}

static int quantize(struct qz *z, const char *model, const char *calib, const char *out)
{
	uint8_t *bytes = NULL;
	size_t len = 0, size = 0;
	int ret;

	ret = read_all(model, &z->file, &len, z->err, sizeof(z->err));
	if (ret)
		return ret;
	ret = tfl_model_parse(z->file, len, &z->fm, z->err, sizeof(z->err));
	if (ret)
		return ret;
	if (z->fm.num_inputs != 1) {
		snprintf(z->err, sizeof(z->err), "%s: %d model inputs; the quantizer calibrates one",
			 model, z->fm.num_inputs);
		return -ENOTSUP;
	}
	ret = float_net_init(&z->fn, &z->fm, z->err, sizeof(z->err));
	if (!ret)
		ret = calib_load(calib, &z->fm.tensors[z->fm.inputs[0]], z->o->max_samples, &z->cs,
				 z->err, sizeof(z->err));
	if (!ret)
		ret = qp_init(&z->plan, &z->fm, &z->fn);
	if (!ret)
		ret = calibrate(z);
	if (!ret)
		ret = build_bytes(z, &bytes, &size);
	if (!ret && z->o->report_path)
		ret = report(z, model);
	if (!ret)
		ret = write_file_atomic(out, bytes, size, z->err, sizeof(z->err));
	free(bytes);
	return ret;
}

int qaccel_quantize_file(const char *float_model, const char *calib,
			 const char *out_path,
			 const struct qaccel_quantize_options *opts)
{
	struct qz z;
	int ret;

	memset(&z, 0, sizeof(z));
	if (!float_model || !calib || !out_path || !opts)
		return qaccel_set_error(-EINVAL, "qaccel_quantize_file: NULL argument");
	ret = check_options(opts, z.err, sizeof(z.err));
	if (ret)
		return qaccel_set_error(ret, "%s", z.err);
	z.o = opts;
	z.progress = opts->progress && isatty(STDERR_FILENO);
	ret = quantize(&z, float_model, calib, out_path);
	if (z.obs)
		for (int t = 0; t < z.fm.num_tensors; t++)
			obs_free(&z.obs[t]);
	free(z.obs);
	qp_free(&z.plan);
	calib_free(&z.cs);
	if (z.fn.m)
		float_net_free(&z.fn);
	tfl_model_free(&z.fm);
	free(z.file);
	if (ret)
		return qaccel_set_error(ret, "%s", z.err[0] ? z.err : strerror(-ret));
	qaccel_clear_error();
	return 0;
}
