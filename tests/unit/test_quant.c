// SPDX-License-Identifier: MIT
/*
 * The quantizer's pieces: float kernels against hand-worked cases, the
 * calibration observers, calibration-data checks, and qaccel_quantize_file
 * on good and bad input (nothing written on failure).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rng.h"
#include "qaccel.h"
#include "runtime/io/npy.h"
#include "runtime/model/tflite_writer.h"
#include "runtime/quant/calib.h"
#include "runtime/quant/fkernels.h"
#include "runtime/quant/observer.h"

#define DIGITS_FLOAT "tests/golden/models/digits_float.tflite"
#define DIGITS_INT8 "tests/golden/models/digits.tflite"
#define DIGITS_CALIB "tests/golden/models/digits.calib.npy"

TEST(windows_same_and_valid)
{
	struct fk_window w;

	ASSERT_EQ(fk_window_init(&w, 9, 3, 2, 1, true), 0);
	ASSERT_EQ(w.out, 5);		/* ceil(9 / 2) */
	ASSERT_EQ(w.pad_before, 1);	/* (4*2 + 3 - 9) / 2 */
	ASSERT_EQ(fk_window_init(&w, 9, 3, 2, 1, false), 0);
	ASSERT_EQ(w.out, 4);
	ASSERT_EQ(fk_window_init(&w, 10, 3, 1, 2, true), 0);
	ASSERT_EQ(w.pad_before, 2);	/* dilated filter spans 5 */
	ASSERT_NE(fk_window_init(&w, 2, 3, 1, 1, false), 0);
}

TEST(conv_depthwise_fc_by_hand)
{
	/* 1x3x3x1 input 1..9, 2x2 filter of ones and one of (1,0,0,-1), VALID. */
	const float in[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	const float f[8] = { 1, 1, 1, 1, 1, 0, 0, -1 }, bias[2] = { 0.5f, 0 };
	struct fk_window wy, wx;
	float out[8];

	fk_window_init(&wy, 3, 2, 1, 1, false);
	fk_window_init(&wx, 3, 2, 1, 1, false);
	fk_conv2d(in, 1, 1, &wy, &wx, f, 2, bias, FK_ACT_NONE, out);
	/* (1+2+4+5)+0.5 | 1-5 | (2+3+5+6)+0.5 | 2-6 ... */
	ASSERT_EQ(out[0], 12.5f);
	ASSERT_EQ(out[1], -4.0f);
	ASSERT_EQ(out[2], 16.5f);
	ASSERT_EQ(out[7], -4.0f);
	fk_conv2d(in, 1, 1, &wy, &wx, f, 2, bias, FK_ACT_RELU, out);
	ASSERT_EQ(out[1], 0.0f);
	fk_conv2d(in, 1, 1, &wy, &wx, f, 2, bias, FK_ACT_RELU6, out);
	ASSERT_EQ(out[0], 6.0f);

	/* Depthwise, 2 channels, multiplier 1, 1x1 spatial: per-channel scaling. */
	do {
		const float x[2] = { 3, -2 }, k[2] = { 2, 5 };

		fk_window_init(&wy, 1, 1, 1, 1, true);
		fk_window_init(&wx, 1, 1, 1, 1, true);
		fk_depthwise_conv2d(x, 1, 2, 1, &wy, &wx, k, NULL, FK_ACT_NONE, out);
		ASSERT_EQ(out[0], 6.0f);
		ASSERT_EQ(out[1], -10.0f);
		/* Multiplier 2: outputs 2c, 2c+1 both read channel c. */
		fk_depthwise_conv2d(x, 1, 1, 2, &wy, &wx, k, NULL, FK_ACT_NONE, out);
		ASSERT_EQ(out[0], 6.0f);
		ASSERT_EQ(out[1], 15.0f);
	} while (0);
	/* Fully connected: 2 rows of depth 3, 2 units. */
	do {
		const float x[6] = { 1, 2, 3, -1, 0, 1 }, w[6] = { 1, 0, 0, 1, 1, 1 };
		const float b[2] = { 0, -1 };

		fk_fully_connected(x, 2, 3, w, 2, b, FK_ACT_NONE, out);
		ASSERT_EQ(out[0], 1.0f);
		ASSERT_EQ(out[1], 5.0f);
		ASSERT_EQ(out[2], -1.0f);
		ASSERT_EQ(out[3], -1.0f);
	} while (0);
}

TEST(pools_count_only_real_elements)
{
	/* 1x3x3x1, 2x2 window, stride 2, SAME: the last row/column are partial. */
	const float in[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct fk_window wy, wx;
	float out[4];

	fk_window_init(&wy, 3, 2, 2, 1, true);
	fk_window_init(&wx, 3, 2, 2, 1, true);
	ASSERT_EQ(wy.out, 2);
	fk_pool2d(in, 1, 1, &wy, &wx, false, FK_ACT_NONE, out);
	ASSERT_EQ(out[0], 3.0f);	/* (1+2+4+5)/4 */
	ASSERT_EQ(out[1], 4.5f);	/* (3+6)/2 */
	ASSERT_EQ(out[3], 9.0f);
	fk_pool2d(in, 1, 1, &wy, &wx, true, FK_ACT_NONE, out);
	ASSERT_EQ(out[0], 5.0f);
	ASSERT_EQ(out[2], 8.0f);
}

TEST(broadcast_arithmetic_and_activations)
{
	const float a[6] = { 1, 2, 3, 4, 5, 6 }, b[3] = { 10, 20, 30 }, c[2] = { 2, -1 };
	struct fk_shape sa = { 2, { 2, 3 } }, sb = { 2, { 1, 3 } }, sc = { 2, { 2, 1 } };
	float out[6];

	fk_binary(FK_ADD, a, &sa, b, &sb, &sa, FK_ACT_NONE, out);
	ASSERT_EQ(out[0], 11.0f);
	ASSERT_EQ(out[5], 36.0f);
	fk_binary(FK_SUB, b, &sb, a, &sa, &sa, FK_ACT_NONE, out);
	ASSERT_EQ(out[4], 15.0f);
	fk_binary(FK_MUL, a, &sa, c, &sc, &sa, FK_ACT_RELU, out);
	ASSERT_EQ(out[2], 6.0f);
	ASSERT_EQ(out[3], 0.0f);	/* 4 * -1, clamped */
	do {
		const float x[4] = { -4, -1, 0.5f, 8 };
		float y[4];

		fk_unary(FK_RELU6, x, 4, 0, y);
		ASSERT_EQ(y[3], 6.0f);
		fk_unary(FK_LEAKY_RELU, x, 4, 0.25f, y);
		ASSERT_EQ(y[0], -1.0f);
		fk_unary(FK_HARD_SWISH, x, 4, 0, y);
		ASSERT_EQ(y[0], 0.0f);
		ASSERT_EQ(y[1], -1.0f / 3.0f);
		ASSERT_EQ(y[3], 8.0f);
		fk_unary(FK_LOGISTIC, x, 4, 0, y);
		ASSERT_TRUE(fabsf(y[2] - 0.6224593f) < 1e-6f);
		fk_unary(FK_TANH, x, 4, 0, y);
		ASSERT_TRUE(fabsf(y[1] + 0.7615942f) < 1e-6f);
	} while (0);
}

TEST(softmax_mean_pad_concat_batch_space)
{
	const float x[4] = { 0, 0, 1, 3 };
	float y[64];

	fk_softmax(x, 2, 2, 1.0f, y);
	ASSERT_EQ(y[0], 0.5f);
	ASSERT_TRUE(fabsf(y[3] - 1.0f / (1.0f + expf(-2.0f))) < 1e-6f);
	do {
		/* [1,2,2,2] mean over H,W. */
		const float m[8] = { 1, 10, 2, 20, 3, 30, 4, 40 };
		const struct fk_shape s = { 4, { 1, 2, 2, 2 } };
		const bool red[4] = { false, true, true, false };

		fk_mean(m, &s, red, y);
		ASSERT_EQ(y[0], 2.5f);
		ASSERT_EQ(y[1], 25.0f);
	} while (0);
	do {
		const float p[2] = { 7, 8 };
		const struct fk_shape s = { 2, { 1, 2 } };
		const int pads[4] = { 1, 0, 0, 1 };

		fk_pad(p, &s, pads, y);		/* -> [2,3] */
		ASSERT_EQ(y[0], 0.0f);
		ASSERT_EQ(y[3], 7.0f);
		ASSERT_EQ(y[4], 8.0f);
		ASSERT_EQ(y[5], 0.0f);
	} while (0);
	do {
		const float u[4] = { 1, 2, 3, 4 }, v[2] = { 9, 9 };
		const float *ins[2] = { u, v };
		const int sizes[2] = { 2, 1 };

		fk_concat(ins, sizes, 2, 2, 1, y);	/* [2,2] ++ [2,1] on axis 1 */
		ASSERT_EQ(y[2], 9.0f);
		ASSERT_EQ(y[3], 3.0f);
	} while (0);
	do {
		/* Space to batch and back is the identity (block 2, pad 1 each side). */
		float in[36], sb[64], back[36];
		const struct fk_shape s = { 4, { 1, 6, 6, 1 } }, s2 = { 4, { 4, 4, 4, 1 } };
		const int pads[4] = { 1, 1, 1, 1 };

		for (int i = 0; i < 36; i++)
			in[i] = (float)i;
		fk_space_to_batch(in, &s, 2, 2, pads, sb);
		ASSERT_EQ(sb[0], 0.0f);		/* padding */
		ASSERT_EQ(sb[5], 7.0f);		/* batch 0, (1,1): padded (2,2) = input (1,1) */
		ASSERT_EQ(sb[16 + 5], 8.0f);	/* batch 1 is shifted one column */
		fk_batch_to_space(sb, &s2, 2, 2, pads, back);
		ASSERT_EQ(memcmp(in, back, sizeof(in)), 0);
	} while (0);
}

TEST(observers_and_methods)
{
	struct observer o;
	float x[1000];
	double lo, hi, p;
	enum obs_method m;

	for (int i = 0; i < 1000; i++)
		x[i] = (float)(i - 100) / 100.0f;	/* -1 .. 8.99 */
	x[999] = 100.0f;				/* one outlier */
	obs_init(&o);
	obs_minmax(&o, x, 1000);
	obs_range(&o, OBS_MINMAX, 0, &lo, &hi);
	ASSERT_EQ(lo, -1.0);
	ASSERT_EQ(hi, 100.0);
	ASSERT_EQ(obs_hist_begin(&o), 0);
	obs_hist_add(&o, x, 1000);
	obs_range(&o, OBS_PERCENTILE, 99.0, &lo, &hi);
	ASSERT_TRUE(hi < 10.0);		/* the outlier is clipped */
	ASSERT_TRUE(lo <= -0.9 && lo >= -1.0);
	/* One far outlier costs less kept than clipped: mse keeps it. */
	obs_range(&o, OBS_MSE, 0, &lo, &hi);
	ASSERT_TRUE(hi <= 100.0 && hi > 5.0);
	ASSERT_TRUE(lo <= 0.0);
	obs_range(&o, OBS_ENTROPY, 0, &lo, &hi);
	ASSERT_TRUE(hi <= 100.0 && hi > 5.0);
	obs_free(&o);

	/*
	 * A ReLU's output: half exact zeros, half uniform in (0, 6]. Zeros are
	 * exact at any scale, so they must not pull the range in.
	 */
	obs_init(&o);
	for (int i = 0; i < 1000; i++)
		x[i] = i % 2 ? 6.0f * (float)(i + 1) / 1000.0f : 0.0f;
	obs_minmax(&o, x, 1000);
	ASSERT_EQ(obs_hist_begin(&o), 0);
	obs_hist_add(&o, x, 1000);
	ASSERT_EQ(o.zeros, 500u);
	obs_range(&o, OBS_ENTROPY, 0, &lo, &hi);
	ASSERT_TRUE(hi > 5.0) TH_LOG("entropy kept [%g, %g]", lo, hi);
	obs_range(&o, OBS_MSE, 0, &lo, &hi);
	ASSERT_TRUE(hi > 5.0) TH_LOG("mse kept [%g, %g]", lo, hi);
	/* Percentiles still count the zeros: the top 10% of all is 4.8 up. */
	obs_range(&o, OBS_PERCENTILE, 90.0, &lo, &hi);
	ASSERT_TRUE(hi > 4.7 && hi < 4.9) TH_LOG("percentile kept [%g, %g]", lo, hi);
	obs_free(&o);

	/* All positive data: the range still holds zero. */
	obs_init(&o);
	x[0] = 2.0f;
	x[1] = 3.0f;
	obs_minmax(&o, x, 2);
	obs_range(&o, OBS_MINMAX, 0, &lo, &hi);
	ASSERT_EQ(lo, 0.0);
	ASSERT_EQ(hi, 3.0);
	obs_free(&o);

	ASSERT_EQ(obs_parse_method("percentile:99.9", &m, &p), 0);
	ASSERT_EQ((int)m, (int)OBS_PERCENTILE);
	ASSERT_EQ(p, 99.9);
	ASSERT_EQ(obs_parse_method("percentile:101", &m, &p), -EINVAL);
	ASSERT_EQ(obs_parse_method("percentile:", &m, &p), -EINVAL);
	ASSERT_EQ(obs_parse_method("kl", &m, &p), -EINVAL);
}

/*
 * Each test runs in a child of the harness: one folder per harness
 * process, named by the parent's pid; the last test removes it.
 */
static const char *tmpdir(void)
{
	static char dir[64];

	snprintf(dir, sizeof(dir), "/tmp/qaccel-test-quant-%d", (int)getppid());
	if (mkdir(dir, 0700) && errno != EEXIST)
		return "/tmp";
	return dir;
}

static void save(const char *path, enum npy_dtype t, int rank, const int64_t *shape)
{
	struct npy_array a = { .dtype = t, .rank = rank };
	size_t n = 1;
	char err[128];

	for (int i = 0; i < rank; i++) {
		a.shape[i] = shape[i];
		n *= (size_t)shape[i];
	}
	a.elems = n;
	a.elem_size = t == NPY_F32 || t == NPY_I32 ? 4 : t == NPY_I64 ? 8 : 1;
	a.data = calloc(n ? n : 1, a.elem_size);
	npy_save(path, &a, err, sizeof(err));
	free(a.data);
}

TEST(calibration_data_checks)
{
	struct tfl_tensor in = { .name = "x", .type = TFL_FLOAT32, .rank = 4,
				 .shape = { 1, 8, 8, 1 } };
	struct calib_set cs;
	char path[600], dir[300], err[512];
	const int64_t batch[5] = { 3, 1, 8, 8, 1 }, nobatch[4] = { 2, 8, 8, 1 },
		      wrong[5] = { 3, 1, 8, 7, 1 }, empty[5] = { 0, 1, 8, 8, 1 },
		      one[4] = { 1, 8, 8, 1 };

	snprintf(path, sizeof(path), "%s/ok.npy", tmpdir());
	save(path, NPY_F32, 5, batch);
	ASSERT_EQ(calib_load(path, &in, 0, &cs, err, sizeof(err)), 0);
	ASSERT_EQ(cs.count, 3u);
	calib_free(&cs);
	ASSERT_EQ(calib_load(path, &in, 2, &cs, err, sizeof(err)), 0);
	ASSERT_EQ(cs.count, 2u);
	calib_free(&cs);
	save(path, NPY_F32, 4, nobatch);	/* [N] + shape without its batch of 1 */
	ASSERT_EQ(calib_load(path, &in, 0, &cs, err, sizeof(err)), 0);
	ASSERT_EQ(cs.count, 2u);
	calib_free(&cs);

	save(path, NPY_F32, 5, wrong);
	ASSERT_EQ(calib_load(path, &in, 0, &cs, err, sizeof(err)), -EINVAL);
	ASSERT_NE(strstr(err, "shape [3,1,8,7,1]"), NULL) TH_LOG("%s", err);
	ASSERT_NE(strstr(err, "[1,8,8,1]"), NULL);
	save(path, NPY_I8, 5, batch);
	ASSERT_EQ(calib_load(path, &in, 0, &cs, err, sizeof(err)), -EINVAL);
	ASSERT_NE(strstr(err, "type"), NULL) TH_LOG("%s", err);
	ASSERT_NE(strstr(err, "float32"), NULL);
	save(path, NPY_F32, 5, empty);
	ASSERT_EQ(calib_load(path, &in, 0, &cs, err, sizeof(err)), -EINVAL);
	ASSERT_NE(strstr(err, "empty"), NULL) TH_LOG("%s", err);

	/* A folder: files in name order, single samples and batches. */
	snprintf(dir, sizeof(dir), "%s/set", tmpdir());
	ASSERT_EQ(mkdir(dir, 0700), 0);
	ASSERT_EQ(calib_load(dir, &in, 0, &cs, err, sizeof(err)), -EINVAL);
	ASSERT_NE(strstr(err, "empty"), NULL);
	snprintf(path, sizeof(path), "%s/a.npy", dir);
	save(path, NPY_F32, 4, one);
	snprintf(path, sizeof(path), "%s/b.npy", dir);
	save(path, NPY_F32, 5, batch);
	ASSERT_EQ(calib_load(dir, &in, 0, &cs, err, sizeof(err)), 0);
	ASSERT_EQ(cs.count, 4u);
	calib_free(&cs);
	unlink(path);
	snprintf(path, sizeof(path), "%s/a.npy", dir);
	unlink(path);
	rmdir(dir);
	snprintf(path, sizeof(path), "%s/ok.npy", tmpdir());
	unlink(path);
}

static bool exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

/* digits_float.tflite with its SOFTMAX turned into another operator, written to path. */
static int write_with_op(const char *path, int code)
{
	FILE *f = fopen(DIGITS_FLOAT, "rb");
	struct tfl_model m;
	uint8_t *out = NULL;
	size_t len = 0, olen;
	char err[256];
	void *buf;
	int ret = -1;

	if (!f)
		return -1;
	buf = malloc(1 << 20);
	if (buf)
		len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	if (buf && !tfl_model_parse(buf, len, &m, err, sizeof(err))) {
		m.ops[m.num_ops - 1].code = code;
		if (!tfl_model_write(&m, NULL, &out, &olen, err, sizeof(err))) {
			f = fopen(path, "wb");
			if (f && fwrite(out, 1, olen, f) == olen)
				ret = 0;
			if (f)
				fclose(f);
		}
		tfl_model_free(&m);
	}
	free(out);
	free(buf);
	return ret;
}

TEST(unsupported_operator_is_named)
{
	struct qaccel_quantize_options o = { .struct_size = sizeof(o) };
	char model[300], out[300];

	snprintf(model, sizeof(model), "%s/exp.tflite", tmpdir());
	snprintf(out, sizeof(out), "%s/exp_int8.tflite", tmpdir());
	ASSERT_EQ(write_with_op(model, 47), 0);		/* EXP */
	ASSERT_EQ(qaccel_quantize_file(model, DIGITS_CALIB, out, &o), -ENOTSUP);
	ASSERT_NE(strstr(qaccel_last_error(), "EXP"), NULL) TH_LOG("%s", qaccel_last_error());
	ASSERT_FALSE(exists(out));
	/* The same file with SOFTMAX back quantizes. */
	ASSERT_EQ(write_with_op(model, 25), 0);
	ASSERT_EQ(qaccel_quantize_file(model, DIGITS_CALIB, out, &o), 0) TH_LOG("%s", qaccel_last_error());
	ASSERT_TRUE(exists(out));
	unlink(out);
	unlink(model);
}

/* Damaged float models: an error or a model, never a crash (ASan/UBSan run this too). */
TEST(mutated_models_fail_cleanly)
{
	struct qaccel_quantize_options o = { .struct_size = sizeof(o), .max_samples = 2,
					     .method = QACCEL_CALIB_MSE };
	char model[300], out[300];
	uint8_t *orig, *buf;
	size_t len;
	FILE *f = fopen(DIGITS_FLOAT, "rb");
	int ok = 0;

	ASSERT_NE(f, NULL);
	orig = malloc(1 << 20);
	buf = malloc(1 << 20);
	ASSERT_NE(orig, NULL);
	ASSERT_NE(buf, NULL);
	len = fread(orig, 1, 1 << 20, f);
	fclose(f);
	snprintf(model, sizeof(model), "%s/mut.tflite", tmpdir());
	snprintf(out, sizeof(out), "%s/mut_int8.tflite", tmpdir());
	t_seed_init(6);
	for (int it = 0; it < 60; it++) {
		int ret;

		memcpy(buf, orig, len);
		for (int k = 1 + (int)(t_rand() % 6); k > 0; k--)
			buf[t_rand() % len] = (uint8_t)t_rand();
		f = fopen(model, "wb");
		ASSERT_NE(f, NULL);
		ASSERT_EQ(fwrite(buf, 1, len, f), len);
		fclose(f);
		ret = qaccel_quantize_file(model, DIGITS_CALIB, out, &o);
		ASSERT_TRUE(ret <= 0) TH_LOG("seed %llu, try %d", (unsigned long long)t_seed, it);
		ASSERT_EQ(exists(out), ret == 0);
		if (ret)
			ASSERT_NE(strlen(qaccel_last_error()), 0u);
		ok += ret == 0;
		unlink(out);
	}
	TH_LOG("%d of 60 damaged models still quantized", ok);
	unlink(model);
	free(orig);
	free(buf);
}

/* Quantizes golden model NAME_float with opts into a parsed model (data kept in *buf). */
static int quantize_parse(const char *name, struct qaccel_quantize_options *o,
			  struct tfl_model *m, void **buf)
{
	char model[300], calib[300], out[300], err[256];
	FILE *f;
	size_t len;
	int ret;

	snprintf(model, sizeof(model), "tests/golden/models/%s_float.tflite", name);
	snprintf(calib, sizeof(calib), "tests/golden/models/%s.calib.npy", name);
	snprintf(out, sizeof(out), "%s/%s_int8.tflite", tmpdir(), name);
	ret = qaccel_quantize_file(model, calib, out, o);
	if (ret)
		return ret;
	f = fopen(out, "rb");
	*buf = malloc(1 << 22);
	if (!f || !*buf)
		return -1;
	len = fread(*buf, 1, 1 << 22, f);
	fclose(f);
	unlink(out);
	return tfl_model_parse(*buf, len, m, err, sizeof(err));
}

static const struct tfl_tensor *T(const struct tfl_model *m, int t)
{
	return &m->tensors[t];
}

TEST(int8_layout_is_tflites)
{
	struct qaccel_quantize_options o = { .struct_size = sizeof(o) };
	struct tfl_model m;
	void *buf = NULL;

	/* LOGISTIC's fixed output is requantized before the concatenation. */
	ASSERT_EQ(quantize_parse("quantize_requant", &o, &m, &buf), 0) TH_LOG("%s", qaccel_last_error());
	ASSERT_EQ(m.num_ops, 3);
	ASSERT_EQ(m.ops[0].code, TFL_LOGISTIC);
	ASSERT_EQ(T(&m, m.ops[0].outputs[0])->scales[0], 1.0f / 256.0f);
	ASSERT_EQ(T(&m, m.ops[0].outputs[0])->zero_points[0], -128);
	ASSERT_EQ(m.ops[1].code, TFL_QUANTIZE);
	ASSERT_EQ(m.ops[2].code, TFL_CONCATENATION);
	for (int k = 0; k < 2; k++) {
		ASSERT_EQ(T(&m, m.ops[2].inputs[k])->scales[0], T(&m, m.ops[2].outputs[0])->scales[0]);
		ASSERT_EQ(T(&m, m.ops[2].inputs[k])->zero_points[0],
			  T(&m, m.ops[2].outputs[0])->zero_points[0]);
	}
	tfl_model_free(&m);
	free(buf);

	/* Depthwise: per-channel on dimension 3, bias at input x weight scale. */
	ASSERT_EQ(quantize_parse("dwconv_m2", &o, &m, &buf), 0);
	do {
		const struct tfl_op *op = &m.ops[0];
		const struct tfl_tensor *in = T(&m, op->inputs[0]), *w = T(&m, op->inputs[1]),
					*b = T(&m, op->inputs[2]);

		ASSERT_EQ(op->version, 3);
		ASSERT_EQ(w->type, TFL_INT8);
		ASSERT_EQ(w->num_q, 6);
		ASSERT_EQ(w->q_dim, 3);
		ASSERT_EQ(b->type, TFL_INT32);
		ASSERT_EQ(b->num_q, 6);
		for (int c = 0; c < 6; c++) {
			ASSERT_EQ(b->scales[c], in->scales[0] * w->scales[c]);
			ASSERT_EQ(w->zero_points[c], 0);
		}
		/* Symmetric: some weight of each channel reaches +-127, none -128. */
		for (int c = 0; c < 6; c++) {
			int most = 0;

			for (size_t i = (size_t)c; i < w->data_size; i += 6) {
				int v = ((const int8_t *)w->data)[i];

				ASSERT_NE(v, -128);
				most = abs(v) > most ? abs(v) : most;
			}
			ASSERT_EQ(most, 127);
		}
	} while (0);
	tfl_model_free(&m);
	free(buf);

	/* Per-tensor weights: one scale; float io: QUANTIZE and DEQUANTIZE at the edges. */
	o.per_tensor = 1;
	o.float_io = 1;
	ASSERT_EQ(quantize_parse("conv_relu", &o, &m, &buf), 0);
	ASSERT_EQ(m.num_ops, 3);
	ASSERT_EQ(m.ops[0].code, TFL_QUANTIZE);
	ASSERT_EQ(m.ops[2].code, TFL_DEQUANTIZE);
	ASSERT_EQ(T(&m, m.inputs[0])->type, TFL_FLOAT32);
	ASSERT_EQ(T(&m, m.outputs[0])->type, TFL_FLOAT32);
	ASSERT_EQ(T(&m, m.ops[1].inputs[1])->num_q, 1);
	ASSERT_EQ(T(&m, m.ops[1].inputs[2])->num_q, 1);
	/* RELU fused: the output range starts at 0, so its zero point is -128. */
	ASSERT_EQ(T(&m, m.ops[1].outputs[0])->zero_points[0], -128);
	tfl_model_free(&m);
	free(buf);

	/* Max pool keeps its input's parameters; softmax has the fixed ones. */
	o.per_tensor = 0;
	o.float_io = 0;
	ASSERT_EQ(quantize_parse("digits", &o, &m, &buf), 0);
	ASSERT_EQ(m.ops[2].code, TFL_MAX_POOL_2D);
	ASSERT_EQ(T(&m, m.ops[2].inputs[0])->scales[0], T(&m, m.ops[2].outputs[0])->scales[0]);
	ASSERT_EQ(m.ops[5].code, TFL_SOFTMAX);
	ASSERT_EQ(T(&m, m.ops[5].outputs[0])->scales[0], 1.0f / 256.0f);
	ASSERT_EQ(m.ops[4].version, 4);		/* FULLY_CONNECTED, int8 */
	tfl_model_free(&m);
	free(buf);
}

TEST(quantize_end_to_end_and_bad_input)
{
	struct qaccel_quantize_options o = { .struct_size = sizeof(o) };
	struct qaccel_ctx_options co = { .struct_size = sizeof(co), .backend = QACCEL_BACKEND_REF };
	struct qaccel_ctx *ctx;
	struct qaccel_model *m;
	struct qaccel_tensor_info ii;
	char out[300], rep[300], bad[600];
	const int64_t wrong[5] = { 3, 1, 8, 7, 1 };

	snprintf(out, sizeof(out), "%s/digits_int8.tflite", tmpdir());
	snprintf(rep, sizeof(rep), "%s/report", tmpdir());
	o.report_path = rep;
	o.max_samples = 20;
	ASSERT_EQ(qaccel_quantize_file(DIGITS_FLOAT, DIGITS_CALIB, out, &o), 0)
		TH_LOG("%s", qaccel_last_error());
	ASSERT_TRUE(exists(rep));
	snprintf(bad, sizeof(bad), "%s.json", rep);
	ASSERT_TRUE(exists(bad));
	snprintf(bad, sizeof(bad), "%s.svg", rep);
	ASSERT_TRUE(exists(bad));
	ASSERT_EQ(qaccel_ctx_create(&co, &ctx), 0);
	ASSERT_EQ(qaccel_model_load_file(ctx, out, &m), 0);
	ASSERT_EQ(qaccel_model_input_info(m, 0, &ii), 0);
	ASSERT_EQ((int)ii.dtype, (int)QACCEL_DTYPE_INT8);
	ASSERT_TRUE(ii.scale > 0.0f);
	qaccel_model_free(m);
	unlink(out);

	/* Failures: an int8 model, a wrong calibration shape, bad options; nothing written. */
	ASSERT_EQ(qaccel_quantize_file(DIGITS_INT8, DIGITS_CALIB, out, &o), -EINVAL);
	ASSERT_NE(strstr(qaccel_last_error(), "int8"), NULL) TH_LOG("%s", qaccel_last_error());
	ASSERT_FALSE(exists(out));
	snprintf(bad, sizeof(bad), "%s/wrong.npy", tmpdir());
	save(bad, NPY_F32, 5, wrong);
	ASSERT_EQ(qaccel_quantize_file(DIGITS_FLOAT, bad, out, &o), -EINVAL);
	ASSERT_NE(strstr(qaccel_last_error(), "shape"), NULL);
	ASSERT_FALSE(exists(out));
	unlink(bad);
	o.method = QACCEL_CALIB_PERCENTILE;
	o.percentile = 20.0;
	ASSERT_EQ(qaccel_quantize_file(DIGITS_FLOAT, DIGITS_CALIB, out, &o), -EINVAL);
	o.method = QACCEL_CALIB_MINMAX;
	ASSERT_NE(qaccel_quantize_file("/nonexistent.tflite", DIGITS_CALIB, out, &o), 0);
	snprintf(bad, sizeof(bad), "%s/no/such/dir/x.tflite", tmpdir());
	ASSERT_NE(qaccel_quantize_file(DIGITS_FLOAT, DIGITS_CALIB, bad, &o), 0);
	ASSERT_FALSE(exists(out));
	qaccel_ctx_destroy(ctx);
	unlink(rep);
	snprintf(bad, sizeof(bad), "%s.json", rep);
	unlink(bad);
	snprintf(bad, sizeof(bad), "%s.svg", rep);
	unlink(bad);
	rmdir(tmpdir());
}

TEST_HARNESS_MAIN
