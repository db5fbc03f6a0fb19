// SPDX-License-Identifier: MIT
/*
 * make demo: runs the bundled MobileNetV2-style network and the digits CNN
 * on every backend this machine has, prints predictions and the digits test
 * accuracy, and says whether each backend matched TensorFlow Lite's
 * reference kernels bit for bit. Also a short example of libqaccel's API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qaccel.h"
#include "runtime/io/npy.h"

#define MODELS "tests/golden/models/"

static int argmax(const int8_t *v, int n)
{
	int best = 0;

	for (int k = 1; k < n; k++)
		best = v[k] > v[best] ? k : best;
	return best;
}

/* Runs every sample of x through the model; returns outputs or NULL. */
static int8_t *run(struct qaccel_ctx *ctx, const char *path, const struct npy_array *x,
		   size_t *samples, size_t *out_bytes)
{
	struct qaccel_model *m;
	struct qaccel_tensor_info ii, oi;
	int8_t *out;

	if (qaccel_model_load_file(ctx, path, &m)) {
		printf("    %s\n", qaccel_last_error());
		return NULL;
	}
	qaccel_model_input_info(m, 0, &ii);
	qaccel_model_output_info(m, 0, &oi);
	*samples = x->elems / ii.bytes;
	*out_bytes = oi.bytes;
	out = malloc(*samples * oi.bytes);
	for (size_t s = 0; out && s < *samples; s++) {
		if (qaccel_model_set_input(m, 0, (int8_t *)x->data + s * ii.bytes, ii.bytes) ||
		    qaccel_model_run(m) ||
		    qaccel_model_get_output(m, 0, out + s * oi.bytes, oi.bytes)) {
			printf("    %s\n", qaccel_last_error());
			free(out);
			out = NULL;
		}
	}
	qaccel_model_free(m);
	return out;
}

static int demo_backend(enum qaccel_backend_kind kind)
{
	struct qaccel_ctx_options o = { .struct_size = sizeof(o), .backend = kind };
	struct npy_array mx, mref, dx, dy, dref;
	struct qaccel_ctx *ctx;
	size_t n, ob, correct = 0;
	int8_t *y;
	char err[256];
	int exact = 1;

	if (qaccel_ctx_create(&o, &ctx)) {
		printf("%-7s not available here: %s\n\n", qaccel_backend_kind_name(kind),
		       qaccel_last_error());
		return 0;
	}
	printf("%-7s %s\n", qaccel_backend_kind_name(kind), qaccel_ctx_device_name(ctx));
	if (npy_load(MODELS "mobilenet_v2_bn.input.npy", &mx, err, sizeof(err)) ||
	    npy_load(MODELS "mobilenet_v2_bn.ref.npy", &mref, err, sizeof(err)) ||
	    npy_load(MODELS "digits_test_int8.npy", &dx, err, sizeof(err)) ||
	    npy_load(MODELS "digits_test_labels.npy", &dy, err, sizeof(err)) ||
	    npy_load(MODELS "digits.ref.npy", &dref, err, sizeof(err))) {
		printf("    %s\n", err);
		qaccel_ctx_destroy(ctx);
		return 1;
	}
	y = run(ctx, MODELS "mobilenet_v2_bn.tflite", &mx, &n, &ob);
	if (!y)
		return 1;
	/*
	 * The network with BatchNorm statistics fitted to random images: the
	 * plain random one's logits are all one int8 value.
	 */
	printf("    mobilenet_v2 (alpha 0.35, 96x96, random weights, BatchNorm fitted): "
	       "top-1 class per sample:");
	for (size_t s = 0; s < n; s++)
		printf(" %d", argmax(y + s * ob, (int)ob));
	exact &= !memcmp(y, mref.data, n * ob);
	printf("\n    mobilenet_v2 logits %s TFLite's reference kernels\n",
	       !memcmp(y, mref.data, n * ob) ? "equal, bit for bit," : "DIFFER from");
	free(y);
	y = run(ctx, MODELS "digits.tflite", &dx, &n, &ob);
	if (!y)
		return 1;
	for (size_t s = 0; s < n; s++)
		correct += argmax(y + s * ob, 10) == ((int64_t *)dy.data)[s];
	printf("    digits CNN: first predictions %d %d %d %d %d (labels %d %d %d %d %d), "
	       "test accuracy %.2f%% on %zu images\n",
	       argmax(y, 10), argmax(y + 10, 10), argmax(y + 20, 10), argmax(y + 30, 10),
	       argmax(y + 40, 10), (int)((int64_t *)dy.data)[0], (int)((int64_t *)dy.data)[1],
	       (int)((int64_t *)dy.data)[2], (int)((int64_t *)dy.data)[3],
	       (int)((int64_t *)dy.data)[4], 100.0 * correct / n, n);
	/* digits.ref.npy holds TFLite's outputs for the first 3 test images. */
	exact &= !memcmp(y, dref.data, dref.elems);
	printf("    digits outputs %s TFLite's reference kernels\n\n",
	       !memcmp(y, dref.data, dref.elems) ? "equal, bit for bit," : "DIFFER from");
	free(y);
	npy_free(&mx);
	npy_free(&mref);
	npy_free(&dx);
	npy_free(&dy);
	npy_free(&dref);
	qaccel_ctx_destroy(ctx);
	return !exact;
}

int main(void)
{
	static const enum qaccel_backend_kind kinds[] = {
		QACCEL_BACKEND_REF, QACCEL_BACKEND_CPU, QACCEL_BACKEND_DRM,
		QACCEL_BACKEND_OPENCL,
	};
	int bad = 0;

	printf("qaccel demo: bundled int8 models on every backend of this machine\n\n");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		bad |= demo_backend(kinds[i]);
	printf("%s\n", bad ? "some backend did NOT match TensorFlow Lite" :
	       "every available backend matched TensorFlow Lite's reference bit for bit");
	return bad;
}
