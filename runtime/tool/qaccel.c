// SPDX-License-Identifier: MIT
/*
 * The qaccel command-line tool.
 *
 *   qaccel info
 *   qaccel inspect MODEL
 *   qaccel run MODEL --input X.npy [--input ...] [-o Y.npy ...]
 *              [--backend auto|ref|cpu|drm|opencl] [--device SPEC] [--threads N] [-v]
 *
 * An input .npy may hold one sample (the model input's shape) or a stack of
 * samples along a new first axis; outputs are stacked the same way. Files
 * not named .npy are raw: the samples' bytes back to back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qaccel.h"
#include "runtime/compiler/compile.h"
#include "runtime/io/npy.h"
#include "runtime/tool/quantize_cmd.h"

#define MAX_IO 16

static int usage(FILE *f)
{
	fprintf(f,
		"usage: qaccel info\n"
		"       qaccel inspect MODEL.tflite\n"
		"       qaccel run MODEL.tflite --input X.npy|X.bin [--input ...] [-o Y.npy|Y.bin ...]\n"
		"                  [--backend auto|ref|cpu|drm|opencl] [--device SPEC] [--threads N] [-v]\n"
		QUANTIZE_USAGE);
	return f == stderr ? 2 : 0;
}

static int parse_backend(const char *s, enum qaccel_backend_kind *k)
{
	static const enum qaccel_backend_kind all[] = {
		QACCEL_BACKEND_AUTO, QACCEL_BACKEND_REF, QACCEL_BACKEND_CPU,
		QACCEL_BACKEND_DRM, QACCEL_BACKEND_OPENCL,
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(s, qaccel_backend_kind_name(all[i]))) {
			*k = all[i];
			return 0;
		}
	return -EINVAL;
}

static int cmd_info(void)
{
	static const enum qaccel_backend_kind kinds[] = {
		QACCEL_BACKEND_REF, QACCEL_BACKEND_CPU, QACCEL_BACKEND_DRM,
		QACCEL_BACKEND_OPENCL,
	};

	printf("qaccel %d.%d\n", QACCEL_VERSION_MAJOR, QACCEL_VERSION_MINOR);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct qaccel_ctx_options o = { .struct_size = sizeof(o), .backend = kinds[i] };
		struct qaccel_ctx *ctx;

		if (qaccel_ctx_create(&o, &ctx)) {
			printf("  %-7s unavailable: %s\n", qaccel_backend_kind_name(kinds[i]),
			       qaccel_last_error());
			continue;
		}
		printf("  %-7s %s\n", qaccel_backend_kind_name(kinds[i]),
		       qaccel_ctx_device_name(ctx));
		qaccel_ctx_destroy(ctx);
	}
	return 0;
}

static void print_io(const char *what, int i, const struct qaccel_tensor_info *t)
{
	printf("  %s %d '%s' %s [", what, i, t->name, qaccel_dtype_name(t->dtype));
	for (int k = 0; k < t->rank; k++)
		printf("%s%lld", k ? ", " : "", (long long)t->dims[k]);
	printf("]");
	if (t->scale != 0.0f)
		printf(" scale %g zero point %d", (double)t->scale, t->zero_point);
	printf("\n");
}

static int read_file(const char *path, void **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	*buf = malloc(n ? (size_t)n : 1);
	if (!*buf || fread(*buf, 1, (size_t)n, f) != (size_t)n) {
		free(*buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

static int cmd_inspect(const char *path, int notes_only)
{
	struct qc_program p;
	char err[256];
	void *buf = NULL;
	size_t len = 0;
	int ret = read_file(path, &buf, &len);

	if (ret) {
		fprintf(stderr, "qaccel: %s: %s\n", path, strerror(-ret));
		return 1;
	}
	ret = qc_compile_tflite(buf, len, &p, err, sizeof(err));
	free(buf);
	if (ret) {
		fprintf(stderr, "qaccel: %s: %s\n", path, err);
		return 1;
	}
	if (!notes_only) {
		printf("%s: %d inputs, %d outputs\n", path, p.num_inputs, p.num_outputs);
		for (int i = 0; i < p.num_inputs; i++)
			print_io("input", i, &p.inputs[i].info);
		for (int i = 0; i < p.num_outputs; i++)
			print_io("output", i, &p.outputs[i].info);
	}
	fprintf(notes_only ? stderr : stdout,
		"operators (\"engine\": on the selected backend):\n");
	for (int i = 0; i < p.num_notes; i++)
		fprintf(notes_only ? stderr : stdout, "  %s\n", p.notes[i].text);
	fprintf(notes_only ? stderr : stdout,
		"command stream %u bytes, constants %zu bytes, arena %zu bytes\n",
		p.stream_size, p.consts_size, p.arena_size);
	qc_program_free(&p);
	return 0;
}

static int is_npy(const char *path)
{
	size_t n = strlen(path);

	return n >= 4 && !strcmp(path + n - 4, ".npy");
}

/* A raw file: the bytes of one or more samples, nothing else. */
static int raw_load(const char *path, const struct qaccel_tensor_info *t,
		    struct npy_array *a, char *err, size_t errlen)
{
	void *buf;
	size_t len;
	int ret = read_file(path, &buf, &len);

	memset(a, 0, sizeof(*a));
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (!len || len % t->bytes) {
		snprintf(err, errlen, "%s: %zu bytes is not a multiple of input '%s' (%zu bytes)",
			 path, len, t->name, t->bytes);
		free(buf);
		return -EINVAL;
	}
	a->dtype = t->dtype == QACCEL_DTYPE_FLOAT32 ? NPY_F32 : NPY_I8;
	a->elem_size = qaccel_dtype_size(t->dtype);
	a->elems = len / a->elem_size;
	a->rank = t->rank + 1;
	a->shape[0] = (int64_t)(len / t->bytes);
	for (int k = 0; k < t->rank; k++)
		a->shape[k + 1] = t->dims[k];
	a->data = buf;
	return 0;
}

static int raw_save(const char *path, const struct npy_array *a, char *err,
		    size_t errlen)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(a->data, a->elem_size, a->elems, f) != a->elems) {
		snprintf(err, errlen, "%s: cannot write", path);
		if (f)
			fclose(f);
		return -EIO;
	}
	return fclose(f) ? -EIO : 0;
}

static enum npy_dtype to_npy(enum qaccel_dtype t)
{
	return t == QACCEL_DTYPE_FLOAT32 ? NPY_F32 : t == QACCEL_DTYPE_INT32 ? NPY_I32 :
	       t == QACCEL_DTYPE_UINT8 ? NPY_U8 : NPY_I8;
}

/* Samples in a: 1 if it has the tensor's shape, N if it is [N] + shape. */
static int sample_count(const struct npy_array *a, const struct qaccel_tensor_info *t,
			size_t *n)
{
	int extra = a->rank - t->rank;
	size_t per = 1;

	if (a->dtype != to_npy(t->dtype) || (extra != 0 && extra != 1))
		return -EINVAL;
	for (int k = 0; k < t->rank; k++) {
		if (a->shape[k + extra] != t->dims[k])
			return -EINVAL;
		per *= (size_t)t->dims[k];
	}
	*n = extra ? (size_t)a->shape[0] : 1;
	return per * *n == a->elems ? 0 : -EINVAL;
}

struct run_args {
	const char *model;
	const char *inputs[MAX_IO], *outputs[MAX_IO];
	int n_in, n_out, verbose;
	enum qaccel_backend_kind backend;
	const char *device;
	int threads;
};

static int do_run(const struct run_args *ra)
{
	struct qaccel_ctx_options o = { .struct_size = sizeof(o), .backend = ra->backend,
					.verbose = ra->verbose, .device = ra->device,
					.threads = ra->threads };
	struct npy_array in[MAX_IO] = { 0 }, out[MAX_IO] = { 0 };
	struct qaccel_tensor_info ti;
	struct qaccel_ctx *ctx = NULL;
	struct qaccel_model *m = NULL;
	size_t samples = 0;
	char err[256];
	int rc = 1, ni, no;

	if (qaccel_ctx_create(&o, &ctx)) {
		fprintf(stderr, "qaccel: %s\n", qaccel_last_error());
		return 1;
	}
	if (qaccel_model_load_file(ctx, ra->model, &m)) {
		fprintf(stderr, "qaccel: %s\n", qaccel_last_error());
		goto out;
	}
	ni = qaccel_model_num_inputs(m);
	no = qaccel_model_num_outputs(m);
	if (ra->n_in != ni || no > MAX_IO || ra->n_out > no) {
		fprintf(stderr, "qaccel: the model has %d input(s) and %d output(s); got %d --input and %d -o\n",
			ni, no, ra->n_in, ra->n_out);
		goto out;
	}
	for (int i = 0; i < ni; i++) {
		size_t n;

		qaccel_model_input_info(m, i, &ti);
		if (is_npy(ra->inputs[i]) ?
		    npy_load(ra->inputs[i], &in[i], err, sizeof(err)) :
		    raw_load(ra->inputs[i], &ti, &in[i], err, sizeof(err))) {
			fprintf(stderr, "qaccel: %s\n", err);
			goto out;
		}
		if (sample_count(&in[i], &ti, &n) || (i && n != samples) || !n) {
			fprintf(stderr, "qaccel: %s: expected %s with the shape of input %d '%s' (optionally stacked on a first axis)\n",
				ra->inputs[i], qaccel_dtype_name(ti.dtype), i, ti.name);
			print_io("input", i, &ti);
			goto out;
		}
		samples = n;
	}
	for (int i = 0; i < no; i++) {
		qaccel_model_output_info(m, i, &ti);
		out[i].dtype = to_npy(ti.dtype);
		out[i].elem_size = qaccel_dtype_size(ti.dtype);
		out[i].rank = ti.rank + (in[0].rank > ti.rank ? 0 : 0);
		out[i].elems = ti.bytes / out[i].elem_size * samples;
		out[i].data = malloc(ti.bytes * samples);
		if (!out[i].data)
			goto out;
	}
	if (ra->verbose) {
		fprintf(stderr, "qaccel: backend %s (%s)\n", qaccel_ctx_backend_name(ctx),
			qaccel_ctx_device_name(ctx));
		cmd_inspect(ra->model, 1);
	}
	for (size_t s = 0; s < samples; s++) {
		for (int i = 0; i < ni; i++) {
			qaccel_model_input_info(m, i, &ti);
			if (qaccel_model_set_input(m, i, (char *)in[i].data + s * ti.bytes, ti.bytes))
				goto fail;
		}
		if (qaccel_model_run(m))
			goto fail;
		for (int i = 0; i < no; i++) {
			qaccel_model_output_info(m, i, &ti);
			if (qaccel_model_get_output(m, i, (char *)out[i].data + s * ti.bytes, ti.bytes))
				goto fail;
		}
	}
	for (int i = 0; i < no; i++) {
		qaccel_model_output_info(m, i, &ti);
		/* Stacked like the first input: a leading sample axis or none. */
		int stacked = in[0].rank > 0 && (size_t)in[0].rank >
			(size_t)(qaccel_model_input_info(m, 0, &ti), ti.rank);

		qaccel_model_output_info(m, i, &ti);
		out[i].rank = ti.rank + stacked;
		if (stacked)
			out[i].shape[0] = (int64_t)samples;
		for (int k = 0; k < ti.rank; k++)
			out[i].shape[k + stacked] = ti.dims[k];
		if (i < ra->n_out) {
			if (is_npy(ra->outputs[i]) ?
			    npy_save(ra->outputs[i], &out[i], err, sizeof(err)) :
			    raw_save(ra->outputs[i], &out[i], err, sizeof(err))) {
				fprintf(stderr, "qaccel: %s\n", err);
				goto out;
			}
		} else if (!ra->n_out) {
			print_io("output", i, &ti);
		}
	}
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "qaccel: %s\n", qaccel_last_error());
out:
	for (int i = 0; i < MAX_IO; i++) {
		npy_free(&in[i]);
		npy_free(&out[i]);
	}
	qaccel_model_free(m);
	qaccel_ctx_destroy(ctx);
	return rc;
}

static int cmd_run(int argc, char **argv)
{
	struct run_args ra = { .backend = QACCEL_BACKEND_AUTO };

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if ((!strcmp(a, "--input") || !strcmp(a, "-i")) && i + 1 < argc) {
			if (ra.n_in == MAX_IO)
				return usage(stderr);
			ra.inputs[ra.n_in++] = argv[++i];
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
			if (ra.n_out == MAX_IO)
				return usage(stderr);
			ra.outputs[ra.n_out++] = argv[++i];
		} else if (!strcmp(a, "--backend") && i + 1 < argc) {
			if (parse_backend(argv[++i], &ra.backend)) {
				fprintf(stderr, "qaccel: unknown backend '%s'\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(a, "--device") && i + 1 < argc) {
			ra.device = argv[++i];
		} else if (!strcmp(a, "--threads") && i + 1 < argc) {
			char *end;
			long t = strtol(argv[++i], &end, 10);

			/* The cpu backend's thread pool size; 1 to 256. */
			if (*end || end == argv[i] || t < 1 || t > 256) {
				fprintf(stderr, "qaccel: --threads wants 1 to 256, not '%s'\n",
					argv[i]);
				return 2;
			}
			ra.threads = (int)t;
		} else if (!strcmp(a, "-v")) {
			ra.verbose = 1;
		} else if (a[0] != '-' && !ra.model) {
			ra.model = a;
		} else {
			fprintf(stderr, "qaccel: unexpected argument '%s'\n", a);
			return usage(stderr);
		}
	}
	if (!ra.model || !ra.n_in)
		return usage(stderr);
	return do_run(&ra);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "info") && argc == 2)
		return cmd_info();
	if (!strcmp(argv[1], "inspect") && argc == 3)
		return cmd_inspect(argv[2], 0);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "quantize"))
		return cmd_quantize(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(stdout);
	return usage(stderr);
}
