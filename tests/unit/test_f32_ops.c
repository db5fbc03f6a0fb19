// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * SOFTMAX_F32 and MEAN_F32 against the same arithmetic done with this
 * machine's FPU in TensorFlow Lite's order: the integer emulation must give
 * identical bytes for random shapes, tables, scales and zero points.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "runtime/ref/qaccel_ref.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static uint32_t fbits(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static void tensor(struct qaccel_tensor *t, uint32_t buf, uint32_t n,
		   uint32_t h, uint32_t w, uint32_t c, int32_t zp)
{
	memset(t, 0, sizeof(*t));
	t->ref.buf = buf;
	t->dims[0] = n;
	t->dims[1] = h;
	t->dims[2] = w;
	t->dims[3] = c;
	t->zero_point = zp;
}

static void fill(int8_t *p, size_t n)
{
	int spread = 1 + rnd() % 256;
	int base = -128 + (int)(rnd() % (257 - spread));

	for (size_t i = 0; i < n; i++)
		p[i] = (int8_t)(base + (int)(rnd() % spread));
}

/* TFLite's int8 softmax with an exp table, in native float. */
static void softmax_oracle(const int8_t *in, int8_t *out, size_t rows,
			   size_t depth, const float *table, float scale,
			   int32_t zp)
{
	for (size_t r = 0; r < rows; r++, in += depth, out += depth) {
		int32_t mx = -128;
		volatile float sum = 0.0f;

		for (size_t j = 0; j < depth; j++)
			mx = in[j] > mx ? in[j] : mx;
		for (size_t j = 0; j < depth; j++)
			sum += table[mx - in[j]];
		volatile float denom = sum * scale;
		volatile float inv = 1.0f / denom;

		for (size_t j = 0; j < depth; j++) {
			volatile float p = table[mx - in[j]] * inv;
			int32_t q = (int32_t)(roundf(p) + (float)zp);

			out[j] = (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
		}
	}
}

TEST(softmax_f32_random)
{
	for (int iter = 0; iter < 400; iter++) {
		uint32_t n = 1 + rnd() % 2, h = 1 + rnd() % 3, w = 1 + rnd() % 3;
		uint32_t c = 1 + rnd() % 40;
		size_t count = (size_t)n * h * w * c;
		float in_scale = (float)(1 + rnd() % 1000) / 4096.0f;
		float beta = (rnd() & 1) ? 1.0f : (float)(1 + rnd() % 40) / 10.0f;
		float out_scale = (rnd() % 4) ? 1.0f / 256.0f :
			(float)(1 + rnd() % 100) / 1000.0f;
		int32_t zp = (rnd() % 4) ? -128 : (int32_t)(rnd() % 256) - 128;
		int8_t *in = malloc(count), *out = malloc(count);
		int8_t *want = malloc(count);
		uint32_t *table = malloc(256 * 4);
		float ftab[256];
		struct qaccel_buf_view bufs[3];
		struct qaccel_cmd_softmax_f32 cmd;

		for (int d = 0; d < 256; d++) {
			ftab[d] = expf(-in_scale * beta * (float)d);
			table[d] = fbits(ftab[d]);
		}
		fill(in, count);
		memset(&cmd, 0, sizeof(cmd));
		cmd.hdr.opcode = QACCEL_OP_SOFTMAX_F32;
		cmd.hdr.size = sizeof(cmd);
		tensor(&cmd.input, 0, n, h, w, c, 0);
		tensor(&cmd.output, 1, n, h, w, c, zp);
		cmd.exp_table.buf = 2;
		cmd.output_scale = fbits(out_scale);
		bufs[0] = (struct qaccel_buf_view){ (uint8_t *)in, count };
		bufs[1] = (struct qaccel_buf_view){ (uint8_t *)out, count };
		bufs[2] = (struct qaccel_buf_view){ (uint8_t *)table, 1024 };
		qaccel_ref_softmax_f32(&cmd, bufs);
		softmax_oracle(in, want, count / c, c, ftab, out_scale, zp);
		for (size_t i = 0; i < count; i++) {
			if (out[i] != want[i])
				printf("# iter %d element %zu: got %d want %d\n",
				       iter, i, out[i], want[i]);
			ASSERT_EQ(out[i], want[i]);
		}
		free(in);
		free(out);
		free(want);
		free(table);
	}
}

TEST(mean_f32_random)
{
	for (int iter = 0; iter < 400; iter++) {
		uint32_t n = 1 + rnd() % 2, h = 1 + rnd() % 12, w = 1 + rnd() % 12;
		uint32_t c = 1 + rnd() % 9;
		size_t count = (size_t)n * h * w * c;
		float in_scale = (float)(1 + rnd() % 1000) / 1024.0f;
		float out_scale = (float)(1 + rnd() % 1000) / 1024.0f;
		int32_t in_zp = (int32_t)(rnd() % 256) - 128;
		int32_t out_zp = (int32_t)(rnd() % 256) - 128;
		volatile float scale = in_scale / out_scale;
		volatile float prod = (float)-in_zp * scale;
		volatile float bias = prod + 0.5f;
		int8_t *in = malloc(count), *out = malloc(n * c);
		struct qaccel_buf_view bufs[2];
		struct qaccel_cmd_mean_f32 cmd;

		fill(in, count);
		memset(&cmd, 0, sizeof(cmd));
		cmd.hdr.opcode = QACCEL_OP_MEAN_F32;
		cmd.hdr.size = sizeof(cmd);
		tensor(&cmd.input, 0, n, h, w, c, in_zp);
		tensor(&cmd.output, 1, n, 1, 1, c, out_zp);
		cmd.scale = fbits(scale);
		cmd.bias = fbits(bias);
		bufs[0] = (struct qaccel_buf_view){ (uint8_t *)in, count };
		bufs[1] = (struct qaccel_buf_view){ (uint8_t *)out, n * c };
		qaccel_ref_mean_f32(&cmd, bufs);
		for (uint32_t b = 0; b < n; b++) {
			for (uint32_t k = 0; k < c; k++) {
				int32_t sum = 0;

				for (uint32_t i = 0; i < h * w; i++)
					sum += in[((size_t)b * h * w + i) * c + k];
				volatile float mean = (float)sum / (float)(h * w);
				volatile float t = mean * scale;
				volatile float u = t + bias;
				float r = roundf(u) + (float)out_zp;

				r = 127.0f < r ? 127.0f : r;
				r = r < -128.0f ? -128.0f : r;
				ASSERT_EQ(out[b * c + k], (int8_t)r);
			}
		}
		free(in);
		free(out);
	}
}

TEST_HARNESS_MAIN
