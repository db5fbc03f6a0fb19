// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * LUT: out = table[x + 128], separate and in place, every input value,
 * random shapes against tests/unit/oracle.h.
 */
#include "kselftest_harness.h"
#include "oracle.h"

static void lut_cmd(struct t_bufs *b, struct qaccel_cmd_lut *c, const uint32_t *d,
		    int in_place)
{
	memset(c, 0, sizeof(*c));
	c->hdr.opcode = QACCEL_OP_LUT;
	c->hdr.size = sizeof(*c);
	t_tensor_at(b, &c->input, d, t_zp(), t_slack());
	if (in_place) {
		c->output = c->input;
	} else {
		t_tensor_at(b, &c->output, d, t_zp(), t_slack());
	}
	c->table.offset = t_slack();
	c->table.buf = t_buf_new(b, c->table.offset + 256);
}

TEST(hand_identity_negation_and_ends)
{
	/*
	 * Table entry i holds 127 - i (so x maps to -1 - x, i.e. ~x): -128
	 * reads entry 0 = 127, 127 reads entry 255 = -128, 0 reads entry 128
	 * = -1. In place too.
	 */
	static const uint32_t d[4] = { 1, 1, 1, 4 };
	static const int8_t in[4] = { -128, 127, 0, 5 };
	static const int8_t want[4] = { 127, -128, -1, -6 };

	for (int in_place = 0; in_place < 2; in_place++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_lut c;
		int8_t *table;

		t_seed_init(1);
		lut_cmd(&b, &c, d, in_place);
		table = t_ptr(&b, &c.table);
		for (int i = 0; i < 256; i++)
			table[i] = (int8_t)(127 - i);
		t_fill(&b, &c.input, in);
		ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output),
					    want, 4, "lut hand"));
		t_bufs_free(&b);
	}
}

TEST(every_value_random_tables)
{
	static const uint32_t d[4] = { 1, 2, 1, 256 };

	t_seed_init(901);
	for (int it = 0; it < 100; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_lut c;

		lut_cmd(&b, &c, d, it & 1);
		for (int i = 0; i < 512; i++)
			t_data(&b, &c.input)[i] = (int8_t)(i * 37);
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, it & 1 ? "lut all in place" :
				     "lut all"));
		t_bufs_free(&b);
	}
}

TEST(random_shapes)
{
	t_seed_init(902);
	for (int it = 0; it < 300; it++) {
		uint32_t d[4] = { t_dim(3), t_dim(6), t_dim(7), t_dim(20) };
		struct t_bufs b = { 0 };
		struct qaccel_cmd_lut c;
		char what[128];

		lut_cmd(&b, &c, d, t_one_in(3));
		snprintf(what, sizeof(what), "lut " T_DIMS_FMT " in place %d",
			 T_DIMS_ARGS(c.input), c.output.ref.buf == c.input.ref.buf);
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST_HARNESS_MAIN
