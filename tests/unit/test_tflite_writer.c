// SPDX-License-Identifier: MIT
/*
 * The .tflite writer and its flatbuffer builder: every committed model
 * (int8, float-io and float) read, written and read again gives the same
 * tensors, quantization, constants, operators and options; the rewritten
 * int8 models run through libqaccel to the same bytes as the originals;
 * the builder's own tables, vectors and misuse checks.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "qaccel.h"
#include "runtime/model/fb_builder.h"
#include "runtime/model/fb_reader.h"
#include "runtime/model/tflite_model.h"
#include "runtime/model/tflite_writer.h"

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *b = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		b = malloc((size_t)n);
		if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
			free(b);
			b = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return b;
}

/* Compares two parsed models; returns a description of the first difference. */
static const char *model_diff(const struct tfl_model *a, const struct tfl_model *b)
{
	if (a->num_tensors != b->num_tensors || a->num_ops != b->num_ops ||
	    a->num_inputs != b->num_inputs || a->num_outputs != b->num_outputs)
		return "counts";
	if (memcmp(a->inputs, b->inputs, a->num_inputs * sizeof(int)) ||
	    memcmp(a->outputs, b->outputs, a->num_outputs * sizeof(int)))
		return "model inputs/outputs";
	for (int i = 0; i < a->num_tensors; i++) {
		const struct tfl_tensor *x = &a->tensors[i], *y = &b->tensors[i];

		if (strcmp(x->name, y->name) || x->type != y->type || x->rank != y->rank ||
		    memcmp(x->shape, y->shape, sizeof(x->shape)))
			return "tensor name/type/shape";
		if (x->data_size != y->data_size || !x->data != !y->data ||
		    (x->data && memcmp(x->data, y->data, x->data_size)))
			return "tensor data";
		if (x->num_q != y->num_q || (x->num_q && x->q_dim != y->q_dim))
			return "quantization count/dim";
		for (int k = 0; k < x->num_q; k++)
			if (memcmp(&x->scales[k], &y->scales[k], 4) ||
			    x->zero_points[k] != y->zero_points[k])
				return "quantization values";
	}
	for (int i = 0; i < a->num_ops; i++) {
		const struct tfl_op *x = &a->ops[i], *y = &b->ops[i];

		if (x->code != y->code || x->version != y->version ||
		    x->num_inputs != y->num_inputs || x->num_outputs != y->num_outputs ||
		    memcmp(x->inputs, y->inputs, x->num_inputs * sizeof(int)) ||
		    memcmp(x->outputs, y->outputs, x->num_outputs * sizeof(int)))
			return "operator code/version/operands";
		if (memcmp(&x->opt, &y->opt, sizeof(x->opt)))
			return "operator options";
	}
	return NULL;
}

/* Every sample of NAME.input.npy through both models gives the same bytes. */
static int same_outputs(const void *m1, size_t n1, const void *m2, size_t n2)
{
	struct qaccel_ctx_options o = { .struct_size = sizeof(o),
					.backend = QACCEL_BACKEND_REF };
	struct qaccel_ctx *ctx;
	struct qaccel_model *a = NULL, *b = NULL;
	struct qaccel_tensor_info ii, oi;
	uint8_t *in = NULL, *oa = NULL, *ob = NULL;
	int ret = -1;

	if (qaccel_ctx_create(&o, &ctx))
		return -1;
	if (qaccel_model_load_memory(ctx, m1, n1, &a) ||
	    qaccel_model_load_memory(ctx, m2, n2, &b) ||
	    qaccel_model_input_info(a, 0, &ii) || qaccel_model_output_info(a, 0, &oi))
		goto out;
	in = malloc(ii.bytes);
	oa = malloc(oi.bytes);
	ob = malloc(oi.bytes);
	if (!in || !oa || !ob)
		goto out;
	ret = 0;
	for (int s = 0; s < 3 && !ret; s++) {
		/* Deterministic, varied inputs: the comparison is between models. */
		for (size_t i = 0; i < ii.bytes; i++)
			in[i] = (uint8_t)(i * 37u + (unsigned)s * 101u + 5u);
		if (ii.dtype == QACCEL_DTYPE_FLOAT32)
			for (size_t i = 0; i < ii.bytes / 4; i++)
				((float *)in)[i] = (float)((int)((i * 37 + s * 11) % 41) - 20) / 10.0f;
		if (qaccel_model_set_input(a, 0, in, ii.bytes) || qaccel_model_run(a) ||
		    qaccel_model_get_output(a, 0, oa, oi.bytes) ||
		    qaccel_model_set_input(b, 0, in, ii.bytes) || qaccel_model_run(b) ||
		    qaccel_model_get_output(b, 0, ob, oi.bytes) ||
		    memcmp(oa, ob, oi.bytes))
			ret = -1;
	}
out:
	free(in);
	free(oa);
	free(ob);
	qaccel_model_free(a);
	qaccel_model_free(b);
	qaccel_ctx_destroy(ctx);
	return ret;
}

TEST(every_committed_model_round_trips)
{
	glob_t g;
	int checked = 0, ran = 0;

	ASSERT_EQ(glob("tests/golden/models/*.tflite", 0, NULL, &g), 0);
	ASSERT_GT(g.gl_pathc, 100u);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];
		struct tfl_model a, b;
		uint8_t *out;
		size_t len, olen;
		char err[256];
		void *data = slurp(path, &len);
		const char *diff;

		ASSERT_NE(data, NULL);
		ASSERT_EQ(tfl_model_parse(data, len, &a, err, sizeof(err)), 0) TH_LOG("%s: %s", path, err);
		ASSERT_EQ(tfl_model_write(&a, "round trip", &out, &olen, err, sizeof(err)), 0)
			TH_LOG("%s: %s", path, err);
		ASSERT_EQ(tfl_model_parse(out, olen, &b, err, sizeof(err)), 0)
			TH_LOG("%s rewritten: %s", path, err);
		diff = model_diff(&a, &b);
		ASSERT_EQ(diff, NULL) TH_LOG("%s: %s differs", path, diff);
		/* Constants are 16-byte aligned, as the schema asks. */
		for (int t = 0; t < b.num_tensors; t++)
			if (b.tensors[t].data)
				ASSERT_EQ((size_t)(b.tensors[t].data - out) % 16, 0u);
		if (!strstr(path, "_float.tflite")) {
			ASSERT_EQ(same_outputs(data, len, out, olen), 0)
				TH_LOG("%s: rewritten model runs differently: %s", path,
				       qaccel_last_error());
			ran++;
		}
		tfl_model_free(&a);
		tfl_model_free(&b);
		free(out);
		free(data);
		checked++;
	}
	globfree(&g);
	TH_LOG("%d models round-tripped, %d of them run", checked, ran);
}

TEST(builder_tables_vectors_and_defaults)
{
	struct fbb b;
	struct fb_buf rb;
	struct fb_table root, child;
	struct fb_vec v;
	fbb_ref s, vec, kid, r;
	const int64_t big[3] = { -1, 1LL << 40, 7 };
	uint8_t *out;
	size_t len;
	char *str;

	fbb_init(&b);
	s = fbb_string(&b, "hello");
	vec = fbb_vector(&b, big, 8, 3, 8);
	fbb_table_start(&b);
	fbb_add_i32(&b, 0, -5, 0);
	kid = fbb_table_end(&b);
	fbb_table_start(&b);
	fbb_add_u8(&b, 0, 3, 0);
	fbb_add_i32(&b, 1, 7, 7);	/* the default: left out */
	fbb_add_f32(&b, 2, 0.5f, 0.0f);
	fbb_add_ref(&b, 3, s);
	fbb_add_ref(&b, 4, vec);
	fbb_add_ref(&b, 6, kid);
	r = fbb_table_end(&b);
	ASSERT_EQ(fbb_finish(&b, r, "TEST", &out, &len), 0);
	ASSERT_EQ(memcmp(out + 4, "TEST", 4), 0);
	ASSERT_EQ(len % 8, 0u);

	rb = (struct fb_buf){ out, len, false };
	root = fb_root(&rb);
	ASSERT_TRUE(root.present);
	ASSERT_EQ(fb_u8(&rb, &root, 0, 0), 3);
	ASSERT_EQ(fb_i32(&rb, &root, 1, 7), 7);
	ASSERT_EQ(fb_i32(&rb, &root, 1, 9), 9);	/* absent: the reader's default */
	ASSERT_EQ(fb_f32(&rb, &root, 2, 0.0f), 0.5f);
	ASSERT_EQ(fb_i32(&rb, &root, 5, 42), 42);
	str = fb_string_dup(&rb, &root, 3);
	ASSERT_STREQ(str, "hello");
	free(str);
	v = fb_vec_field(&rb, &root, 4, 8);
	ASSERT_EQ(v.len, 3u);
	ASSERT_EQ(v.pos % 8, 0u);
	for (uint32_t i = 0; i < 3; i++)
		ASSERT_EQ(fb_vec_i64(&rb, &v, i), big[i]);
	child = fb_table_field(&rb, &root, 6);
	ASSERT_EQ(fb_i32(&rb, &child, 0, 0), -5);
	ASSERT_FALSE(rb.bad);
	free(out);
}

TEST(builder_refuses_misuse)
{
	struct fbb b;
	uint8_t *out;
	size_t len;

	/* A vector started inside a table. */
	fbb_init(&b);
	fbb_table_start(&b);
	fbb_string(&b, "x");
	ASSERT_EQ(fbb_finish(&b, 4, "TFL3", &out, &len), -EINVAL);
	ASSERT_EQ(out, NULL);
	/* A reference to nothing built. */
	fbb_init(&b);
	fbb_table_start(&b);
	fbb_add_ref(&b, 0, 1000);
	ASSERT_NE(fbb_finish(&b, fbb_table_end(&b), "TFL3", &out, &len), 0);
	ASSERT_EQ(out, NULL);
	/* A field id out of range, and no root. */
	fbb_init(&b);
	fbb_table_start(&b);
	fbb_add_i32(&b, FBB_MAX_FIELDS, 1, 0);
	ASSERT_NE(fbb_finish(&b, fbb_table_end(&b), "TFL3", &out, &len), 0);
	fbb_init(&b);
	ASSERT_EQ(fbb_finish(&b, 0, "TFL3", &out, &len), -EINVAL);
}

TEST(writer_rejects_bad_indices)
{
	struct tfl_tensor t = { .name = "x", .type = TFL_INT8, .rank = 1, .shape = { 4 } };
	int in[1] = { 0 }, bad[1] = { 3 };
	struct tfl_op op = { .code = TFL_RELU, .version = 2, .num_inputs = 1,
			     .num_outputs = 1, .inputs = in, .outputs = bad };
	struct tfl_model m = { .num_tensors = 1, .tensors = &t, .num_ops = 1,
			       .ops = &op, .num_inputs = 1, .num_outputs = 1,
			       .inputs = in, .outputs = in };
	uint8_t *out;
	size_t len;
	char err[128] = "";

	ASSERT_EQ(tfl_model_write(&m, NULL, &out, &len, err, sizeof(err)), -EINVAL);
	ASSERT_NE(strstr(err, "RELU"), NULL);
	ASSERT_EQ(out, NULL);
	op.outputs = in;
	ASSERT_EQ(tfl_model_write(&m, NULL, &out, &len, err, sizeof(err)), 0);
	free(out);
}

TEST_HARNESS_MAIN
