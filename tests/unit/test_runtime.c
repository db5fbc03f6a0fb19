// SPDX-License-Identifier: MIT
/*
 * libqaccel's API on bad input: truncated and corrupted models, wrong
 * sizes, bad indices, bad .npy files. Each gets a negative errno and a
 * message, and never a crash (this also runs under ASan/UBSan).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "qaccel.h"
#include "runtime/io/npy.h"

#define DIGITS "tests/golden/models/digits.tflite"

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *b;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc(*len);
	if (fread(b, 1, *len, f) != *len) {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

FIXTURE(api) {
	struct qaccel_ctx *ctx;
	void *model;
	size_t len;
};

FIXTURE_SETUP(api)
{
	struct qaccel_ctx_options o = { .struct_size = sizeof(o),
					.backend = QACCEL_BACKEND_REF };

	ASSERT_EQ(qaccel_ctx_create(&o, &self->ctx), 0);
	self->model = slurp(DIGITS, &self->len);
	ASSERT_NE(self->model, NULL);
}

FIXTURE_TEARDOWN(api)
{
	qaccel_ctx_destroy(self->ctx);
	free(self->model);
}

TEST_F(api, runs_and_checks_sizes)
{
	struct qaccel_model *m;
	struct qaccel_tensor_info ii, oi;
	int8_t in[64] = { 0 }, out[10];

	ASSERT_EQ(qaccel_model_load_memory(self->ctx, self->model, self->len, &m), 0);
	ASSERT_EQ(qaccel_model_input_info(m, 0, &ii), 0);
	ASSERT_EQ(qaccel_model_output_info(m, 0, &oi), 0);
	ASSERT_EQ(ii.bytes, 64u);
	ASSERT_EQ(oi.bytes, 10u);
	ASSERT_EQ(qaccel_model_set_input(m, 0, in, 63), -EINVAL);
	ASSERT_NE(strlen(qaccel_last_error()), 0u);
	ASSERT_EQ(qaccel_model_set_input(m, 1, in, 64), -EINVAL);
	ASSERT_EQ(qaccel_model_input_info(m, -1, &ii), -EINVAL);
	ASSERT_EQ(qaccel_model_set_input(m, 0, in, 64), 0);
	ASSERT_EQ(qaccel_model_run(m), 0);
	ASSERT_EQ(qaccel_model_get_output(m, 0, out, 9), -EINVAL);
	ASSERT_EQ(qaccel_model_get_output(m, 0, out, 10), 0);
	qaccel_model_free(m);
}

TEST_F(api, every_truncation_is_an_error)
{
	for (size_t n = 0; n < self->len; n += (n < 512 ? 1 : 97)) {
		struct qaccel_model *m = NULL;
		int r = qaccel_model_load_memory(self->ctx, self->model, n, &m);

		ASSERT_LT(r, 0);
		ASSERT_EQ(m, NULL);
		ASSERT_NE(strlen(qaccel_last_error()), 0u);
	}
}

TEST_F(api, corrupted_bytes_never_crash)
{
	uint8_t *copy = malloc(self->len);
	uint64_t s = 12345;

	for (int it = 0; it < 3000; it++) {
		struct qaccel_model *m = NULL;

		memcpy(copy, self->model, self->len);
		for (int k = 0; k < 1 + it % 4; k++) {
			s = s * 6364136223846793005ull + 1442695040888963407ull;
			copy[(s >> 33) % self->len] ^= (uint8_t)(1u << ((s >> 20) & 7));
		}
		if (qaccel_model_load_memory(self->ctx, copy, self->len, &m) == 0) {
			struct qaccel_tensor_info ii;
			void *buf;

			/* Whatever loads must run. */
			qaccel_model_input_info(m, 0, &ii);
			buf = calloc(1, ii.bytes);
			qaccel_model_set_input(m, 0, buf, ii.bytes);
			ASSERT_EQ(qaccel_model_run(m), 0);
			free(buf);
			qaccel_model_free(m);
		}
	}
	free(copy);
}

TEST_F(api, missing_file_and_not_a_model)
{
	struct qaccel_model *m = NULL;
	static const char junk[] = "this is not a flatbuffer at all";

	ASSERT_EQ(qaccel_model_load_file(self->ctx, "/nonexistent.tflite", &m), -ENOENT);
	ASSERT_NE(strstr(qaccel_last_error(), "/nonexistent.tflite"), NULL);
	ASSERT_EQ(qaccel_model_load_memory(self->ctx, junk, sizeof(junk), &m), -EINVAL);
	ASSERT_NE(strstr(qaccel_last_error(), "TFL3"), NULL);
}

TEST(npy_round_trip_and_rejects)
{
	int8_t data[6] = { 1, -2, 3, -4, 5, -6 };
	struct npy_array a = { .dtype = NPY_I8, .rank = 2, .shape = { 2, 3 },
			       .elems = 6, .elem_size = 1, .data = data };
	struct npy_array b;
	char err[256], path[] = "/tmp/qaccel-test-XXXXXX";
	size_t len;
	uint8_t *raw;
	int fd = mkstemp(path);

	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(npy_save(path, &a, err, sizeof(err)), 0);
	ASSERT_EQ(npy_load(path, &b, err, sizeof(err)), 0);
	ASSERT_EQ(b.rank, 2);
	ASSERT_EQ(b.shape[0], 2);
	ASSERT_EQ(b.shape[1], 3);
	ASSERT_EQ(memcmp(b.data, data, 6), 0);
	npy_free(&b);
	raw = slurp(path, &len);
	unlink(path);
	ASSERT_NE(raw, NULL);
	for (size_t n = 0; n < len; n++)	/* every truncation */
		ASSERT_LT(npy_parse(raw, n, &b, err, sizeof(err)), 0);
	raw[0] = 'X';
	ASSERT_EQ(npy_parse(raw, len, &b, err, sizeof(err)), -EINVAL);
	raw[0] = 0x93;
	{
		char *f = memmem(raw, len, "False", 5);

		memcpy(f, "True ", 5);
		ASSERT_EQ(npy_parse(raw, len, &b, err, sizeof(err)), -ENOTSUP);
		memcpy(f, "False", 5);
	}
	{
		char *d = memmem(raw, len, "|i1", 3);

		memcpy(d, ">f8", 3);
		ASSERT_EQ(npy_parse(raw, len, &b, err, sizeof(err)), -ENOTSUP);
	}
	free(raw);
}

TEST_HARNESS_MAIN
