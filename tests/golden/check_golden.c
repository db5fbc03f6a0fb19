// SPDX-License-Identifier: MIT
/*
 * Golden tests (TAP): every model of tests/golden/models/manifest.txt runs
 * through libqaccel on one backend, and its outputs must equal TensorFlow
 * Lite's reference-kernel outputs byte for byte. Differences from TFLite's
 * default (optimised) kernels are counted and reported, not failed. The
 * digits model's accuracy on its whole test set must equal TFLite's.
 *
 *   check_golden [--backend ref|cpu|drm|opencl] [DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qaccel.h"
#include "runtime/io/npy.h"

static enum qaccel_backend_kind backend = QACCEL_BACKEND_REF;
static int test_no;

static void result(int ok, const char *name, const char *why)
{
	printf("%sok %d - %s%s%s\n", ok ? "" : "not ", ++test_no, name,
	       why[0] ? ": " : "", why);
	fflush(stdout);
}

/* Runs every sample of in (stacked on axis 0) and returns the outputs. */
static int run_all(const char *model, const struct npy_array *in, void **out,
		   size_t *out_bytes, char *why, size_t wlen)
{
	struct qaccel_ctx_options o = { .struct_size = sizeof(o), .backend = backend };
	struct qaccel_tensor_info ii, oi;
	struct qaccel_ctx *ctx = NULL;
	struct qaccel_model *m = NULL;
	int rc = -1;

	*out = NULL;
	if (qaccel_ctx_create(&o, &ctx) || qaccel_model_load_file(ctx, model, &m)) {
		snprintf(why, wlen, "%s", qaccel_last_error());
		goto done;
	}
	qaccel_model_input_info(m, 0, &ii);
	qaccel_model_output_info(m, 0, &oi);
	size_t samples = in->elems * in->elem_size / ii.bytes;

	if (samples * ii.bytes != in->elems * in->elem_size || !samples) {
		snprintf(why, wlen, "input file does not hold whole samples");
		goto done;
	}
	*out = malloc(samples * oi.bytes);
	*out_bytes = samples * oi.bytes;
	for (size_t s = 0; s < samples; s++) {
		if (qaccel_model_set_input(m, 0, (char *)in->data + s * ii.bytes, ii.bytes) ||
		    qaccel_model_run(m) ||
		    qaccel_model_get_output(m, 0, (char *)*out + s * oi.bytes, oi.bytes)) {
			snprintf(why, wlen, "%s", qaccel_last_error());
			goto done;
		}
	}
	rc = 0;
done:
	qaccel_model_free(m);
	qaccel_ctx_destroy(ctx);
	return rc;
}

static void check_model(const char *dir, const char *name, const char *file,
			const char *input, const char *ref, const char *def)
{
	char p[4][1024], why[512] = "";
	struct npy_array in, want, other;
	void *got = NULL;
	size_t got_bytes = 0;

	snprintf(p[0], sizeof(p[0]), "%s/%s", dir, file);
	snprintf(p[1], sizeof(p[1]), "%s/%s", dir, input);
	snprintf(p[2], sizeof(p[2]), "%s/%s", dir, ref);
	snprintf(p[3], sizeof(p[3]), "%s/%s", dir, def);
	if (npy_load(p[1], &in, why, sizeof(why))) {
		result(0, name, why);
		return;
	}
	if (npy_load(p[2], &want, why, sizeof(why)) ||
	    npy_load(p[3], &other, why, sizeof(why)) ||
	    run_all(p[0], &in, &got, &got_bytes, why, sizeof(why))) {
		result(0, name, why);
	} else if (got_bytes != want.elems * want.elem_size) {
		snprintf(why, sizeof(why), "output has %zu bytes, reference %zu", got_bytes,
			 want.elems * want.elem_size);
		result(0, name, why);
	} else {
		size_t n = want.elems, es = want.elem_size, diff = 0, first = n, vs_def = 0;

		for (size_t i = 0; i < n; i++) {
			if (memcmp((char *)got + i * es, (char *)want.data + i * es, es)) {
				diff++;
				first = first < n ? first : i;
			}
			if (memcmp((char *)got + i * es, (char *)other.data + i * es, es))
				vs_def++;
		}
		if (diff)
			snprintf(why, sizeof(why), "%zu of %zu elements differ from TFLite's reference, first at %zu",
				 diff, n, first);
		result(!diff, name, why);
		printf("# %s: %zu of %zu elements differ from TFLite's default kernels (information)\n",
		       name, vs_def, n);
		npy_free(&other);
		npy_free(&want);
	}
	free(got);
	npy_free(&in);
}

static double json_number(const char *path, const char *key)
{
	char buf[4096], *p;
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strstr(buf, key);
	if (!p || !(p = strchr(p, ':')))
		return -1;
	return strtod(p + 1, NULL);
}

static void check_digits_accuracy(const char *dir)
{
	char model[1024], x[1024], y[1024], js[1024], why[512] = "";
	struct npy_array in, labels;
	void *out = NULL;
	size_t bytes, correct = 0;

	snprintf(model, sizeof(model), "%s/digits.tflite", dir);
	snprintf(x, sizeof(x), "%s/digits_test_int8.npy", dir);
	snprintf(y, sizeof(y), "%s/digits_test_labels.npy", dir);
	snprintf(js, sizeof(js), "%s/digits.json", dir);
	if (npy_load(x, &in, why, sizeof(why)) || npy_load(y, &labels, why, sizeof(why)) ||
	    run_all(model, &in, &out, &bytes, why, sizeof(why))) {
		result(0, "digits accuracy", why);
		return;
	}
	for (size_t i = 0; i < labels.elems; i++) {
		const int8_t *row = (const int8_t *)out + i * 10;
		int best = 0;

		for (int k = 1; k < 10; k++)
			best = row[k] > row[best] ? k : best;
		correct += best == ((int64_t *)labels.data)[i];
	}
	double acc = (double)correct / (double)labels.elems;
	double tfl = json_number(js, "\"int8_accuracy_ref\"");

	snprintf(why, sizeof(why), "qaccel %.4f, TFLite %.4f, float %.4f on %zu samples",
		 acc, tfl, json_number(js, "\"float_accuracy\""), labels.elems);
	result(acc == tfl, "digits int8 accuracy equals TFLite's", why);
	free(out);
	npy_free(&in);
	npy_free(&labels);
}

int main(int argc, char **argv)
{
	const char *dir = "tests/golden/models";
	char path[1024], line[2048];
	int count = 0;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			const char *b = argv[++i];

			backend = !strcmp(b, "cpu") ? QACCEL_BACKEND_CPU :
				  !strcmp(b, "drm") ? QACCEL_BACKEND_DRM :
				  !strcmp(b, "opencl") ? QACCEL_BACKEND_OPENCL : QACCEL_BACKEND_REF;
		} else {
			dir = argv[i];
		}
	}
	snprintf(path, sizeof(path), "%s/manifest.txt", dir);
	f = fopen(path, "r");
	if (!f) {
		printf("1..0 # SKIP no %s\n", path);
		return 0;
	}
	while (fgets(line, sizeof(line), f))
		count++;
	rewind(f);
	printf("1..%d\n# backend %s\n", count + 1, qaccel_backend_kind_name(backend));
	while (fgets(line, sizeof(line), f)) {
		char name[256], file[256], in[256], ref[256], def[256];

		if (sscanf(line, "%255s %255s %255s %255s %255s", name, file, in, ref, def) == 5)
			check_model(dir, name, file, in, ref, def);
		else
			result(0, "manifest line", line);
	}
	fclose(f);
	check_digits_accuracy(dir);
	return 0;
}
