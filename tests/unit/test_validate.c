// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The validator: valid commands of every opcode pass (and run cleanly under
 * ASan); every 32-bit field of every command, corrupted in turn, is
 * rejected at that command's offset; truncations at every length, trailing
 * bytes, buffers one byte short, misaligned int32 arrays, overlapping
 * copies and bad stream headers are rejected.
 */
#include "kselftest_harness.h"
#include "valid_cmds.h"

#define HDR sizeof(struct qaccel_stream_header)

struct t_stream {
	uint64_t words[(HDR + 2 * sizeof(union t_any_cmd)) / 8 + 2];
	uint32_t size;
};

static void t_stream_make_n(struct t_stream *s, const union t_any_cmd *c,
			    int copies, uint32_t size)
{
	struct qaccel_stream_header *h = (void *)s->words;

	memset(s, 0, sizeof(*s));
	h->magic = QACCEL_STREAM_MAGIC;
	h->version = QACCEL_ISA_VERSION;
	h->num_cmds = copies;
	for (int i = 0; i < copies; i++)
		memcpy((uint8_t *)s->words + HDR + i * size, c, size);
	s->size = HDR + copies * size;
	h->size = s->size;
}

static void t_stream_make(struct t_stream *s, const union t_any_cmd *c, int copies)
{
	t_stream_make_n(s, c, copies, c->hdr.size);
}

static int is_reject(int r)
{
	return r == -EINVAL || r == -E2BIG || r == -EOVERFLOW;
}

/* Fields where every 32-bit value is legal (raw binary32 constants). */
static int any_value_ok(uint32_t op, uint32_t off)
{
	if (op == QACCEL_OP_SOFTMAX_F32)
		return off == offsetof(struct qaccel_cmd_softmax_f32, output_scale);
	if (op == QACCEL_OP_MEAN_F32)
		return off == offsetof(struct qaccel_cmd_mean_f32, scale) ||
		       off == offsetof(struct qaccel_cmd_mean_f32, bias);
	return 0;
}

TEST(valid_commands_pass_and_run)
{
	t_seed_init(40);
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		struct t_bufs b = { 0 };
		union t_any_cmd c;
		struct t_stream s;
		struct qaccel_validate_error e;

		t_valid_cmd(op, &b, &c);
		t_stream_make(&s, &c, 2);
		if (qaccel_validate(s.words, s.size, b.sizes, b.n, &e))
			printf("# %s rejected: %s\n", qaccel_opcode_name(op), e.reason);
		ASSERT_EQ(qaccel_validate(s.words, s.size, b.sizes, b.n, &e), 0);
		ASSERT_EQ(qaccel_exec_stream(s.words, b.v, NULL, NULL), 0);
		t_bufs_free(&b);
	}
}

TEST(every_field_corrupted_is_rejected)
{
	static const uint32_t bad[] = { 0xffffffff, 0x80000000, 0x7fffffff,
					0x00010001, 1000, 0x0fffffff, 0x100 };

	t_seed_init(41);
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		struct t_bufs b = { 0 };
		union t_any_cmd c;
		uint32_t size = t_valid_cmd(op, &b, &c);

		for (uint32_t off = 0; off < size; off += 4) {
			int rejected = 0;

			for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
				union t_any_cmd m = c;
				struct t_stream s;
				struct qaccel_validate_error e = { 0 };
				int r;

				memcpy((uint8_t *)&m + off, &bad[k], 4);
				t_stream_make_n(&s, &m, 1, size);
				r = qaccel_validate(s.words, s.size, b.sizes, b.n, &e);
				if (r) {
					ASSERT_TRUE(is_reject(r));
					ASSERT_EQ(e.offset, (uint32_t)HDR);
					rejected++;
				}
			}
			if (!rejected && !any_value_ok(op, off))
				printf("# %s: no bad value rejected at byte %u\n",
				       qaccel_opcode_name(op), off);
			fflush(stdout);
			ASSERT_TRUE(rejected || any_value_ok(op, off));
		}
		t_bufs_free(&b);
	}
}

TEST(each_buffer_one_byte_short)
{
	t_seed_init(42);
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		struct t_bufs b = { 0 };
		union t_any_cmd c;
		struct t_stream s;

		t_valid_cmd(op, &b, &c);
		t_stream_make(&s, &c, 1);
		for (uint32_t i = 0; i < b.n; i++) {
			b.sizes[i]--;
			ASSERT_EQ(qaccel_validate(s.words, s.size, b.sizes, b.n, NULL),
				  -EOVERFLOW);
			b.sizes[i]++;
		}
		/* And a table one entry short names a missing buffer. */
		ASSERT_NE(qaccel_validate(s.words, s.size, b.sizes, b.n - 1, NULL), 0);
		t_bufs_free(&b);
	}
}

TEST(truncated_and_trailing)
{
	struct t_bufs b = { 0 };
	union t_any_cmd c;
	struct t_stream s;
	struct qaccel_stream_header *h = (void *)s.words;

	t_seed_init(43);
	t_valid_cmd(QACCEL_OP_CONV_2D, &b, &c);
	t_stream_make(&s, &c, 2);
	uint32_t full = s.size;

	for (uint32_t len = 0; len < full; len++) {
		/* As submitted (header disagrees) and with the header matching. */
		ASSERT_NE(qaccel_validate(s.words, len, b.sizes, b.n, NULL), 0);
		h->size = len;
		ASSERT_TRUE(is_reject(qaccel_validate(s.words, len, b.sizes, b.n, NULL)));
		h->size = full;
	}
	ASSERT_EQ(qaccel_validate(s.words, full, b.sizes, b.n, NULL), 0);
	h->size = full + 8;
	ASSERT_EQ(qaccel_validate(s.words, full + 8, b.sizes, b.n, NULL), -EINVAL);
	h->size = full;
	h->num_cmds = 3;
	ASSERT_EQ(qaccel_validate(s.words, full, b.sizes, b.n, NULL), -EOVERFLOW);
	t_bufs_free(&b);
}

TEST(bad_headers)
{
	struct t_bufs b = { 0 };
	union t_any_cmd c;
	struct t_stream s;
	struct qaccel_stream_header *h = (void *)s.words;
	uint32_t *w = (uint32_t *)s.words;
	uint64_t big[QACCEL_MAX_BUFFERS + 1] = { 0 };

	t_seed_init(44);
	t_valid_cmd(QACCEL_OP_LUT, &b, &c);
	t_stream_make(&s, &c, 1);
	for (int word = 0; word < 8; word++) {
		uint32_t keep = w[word];

		w[word] ^= (word == 3) ? 0x1000 : 0x40;
		ASSERT_TRUE(is_reject(qaccel_validate(s.words, s.size, b.sizes, b.n, NULL)));
		w[word] = keep;
	}
	h->num_cmds = 0;
	ASSERT_EQ(qaccel_validate(s.words, s.size, b.sizes, b.n, NULL), -EINVAL);
	h->num_cmds = 1;
	ASSERT_EQ(qaccel_validate((uint8_t *)s.words + 4, s.size, b.sizes, b.n, NULL), -EINVAL);
	ASSERT_EQ(qaccel_validate(NULL, s.size, b.sizes, b.n, NULL), -EINVAL);
	ASSERT_EQ(qaccel_validate(s.words, s.size, big, QACCEL_MAX_BUFFERS + 1, NULL), -E2BIG);
	ASSERT_EQ(qaccel_validate(s.words, QACCEL_MAX_STREAM_SIZE + 8, b.sizes, b.n, NULL),
		  -E2BIG);
	t_bufs_free(&b);
}

TEST(misaligned_int32_arrays_and_overlap)
{
	struct t_bufs b = { 0 };
	union t_any_cmd c;
	struct t_stream s;

	t_seed_init(45);
	t_valid_cmd(QACCEL_OP_CONV_2D, &b, &c);
	b.sizes[c.conv.bias.buf] += 2;
	c.conv.bias.offset = 2;
	t_stream_make(&s, &c, 1);
	ASSERT_EQ(qaccel_validate(s.words, s.size, b.sizes, b.n, NULL), -EINVAL);
	c.conv.bias.offset = 0;
	b.sizes[c.conv.requant.params.buf] += 2;
	c.conv.requant.params.offset = 2;
	t_stream_make(&s, &c, 1);
	ASSERT_EQ(qaccel_validate(s.words, s.size, b.sizes, b.n, NULL), -EINVAL);
	t_bufs_free(&b);

	t_valid_cmd(QACCEL_OP_COPY, &b, &c);
	c.copy.src.buf = c.copy.dst.buf;
	c.copy.src.offset = 0;
	c.copy.dst.offset = 4;
	t_stream_make(&s, &c, 1);
	ASSERT_EQ(qaccel_validate(s.words, s.size, b.sizes, b.n, NULL), -EINVAL);
	t_bufs_free(&b);
}

TEST(error_names_second_command)
{
	struct t_bufs b = { 0 };
	union t_any_cmd c;
	struct t_stream s;
	struct qaccel_validate_error e;
	struct qaccel_cmd_lut *second;

	t_seed_init(46);
	t_valid_cmd(QACCEL_OP_LUT, &b, &c);
	t_stream_make(&s, &c, 2);
	second = (void *)((uint8_t *)s.words + HDR + c.hdr.size);
	second->input.zero_point = 200;
	ASSERT_EQ(qaccel_validate(s.words, s.size, b.sizes, b.n, &e), -EINVAL);
	ASSERT_EQ(e.cmd_index, 1u);
	ASSERT_EQ(e.offset, (uint32_t)(HDR + c.hdr.size));
	ASSERT_NE(e.reason, NULL);
	t_bufs_free(&b);
}

TEST_HARNESS_MAIN
