// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * SOFTMAX (gemmlowp fixed point) against hand-worked rows and against a
 * second implementation written here from the algorithm's definition
 * (exp(a) = exp(a mod 1/4 - 1/4) times exp of each power of two in the
 * rest; 1/(1+x) by three Newton steps from 48/17 - 32/17 x).
 */
#include "kselftest_harness.h"
#include "cmd_util.h"
#include "oracle.h"

static int32_t sat_shl(int32_t x, int e)
{
	int64_t r = (int64_t)x * ((int64_t)1 << e);

	return r > INT32_MAX ? INT32_MAX : r < INT32_MIN ? INT32_MIN : (int32_t)r;
}

/* exp(a), a in Q5.26 and <= 0, result Q0.31. */
static int32_t o_exp(int32_t a)
{
	static const int32_t exp_neg_pow2[7] = {	/* exp(-2^k), k = -2..4 */
		1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242,
	};
	int64_t quarter = (int64_t)1 << 24;
	int64_t r = ((int64_t)a % quarter + quarter) % quarter;	/* a mod 1/4 */
	int32_t x = sat_shl((int32_t)(r - quarter), 5) + (1 << 28);
	int32_t x2 = o_srdhm(x, x), x3 = o_srdhm(x2, x), x4 = o_srdhm(x2, x2);
	int32_t poly = o_rdbpot(o_srdhm(o_rdbpot(x4, 2) + x3, 715827883) + x2, 1);
	int32_t res = 1895147668 + o_srdhm(1895147668, x + poly);
	int64_t rest = (r - quarter) - (int64_t)a;	/* a non-negative multiple of 1/4 */

	for (int k = 0; k < 7; k++)
		if (rest & ((int64_t)1 << (24 + k)))
			res = o_srdhm(res, exp_neg_pow2[k]);
	return a == 0 ? INT32_MAX : res;
}

static void o_softmax(const struct qaccel_cmd_softmax *c, const int8_t *in,
		      int8_t *out)
{
	size_t depth = c->input.dims[3], rows = t_elems(c->input.dims) / depth;

	for (size_t r = 0; r < rows; r++, in += depth, out += depth) {
		int32_t mx = -128, scaled[4096];
		int64_t sum = 0;
		int ok[4096];

		for (size_t i = 0; i < depth; i++)
			mx = in[i] > mx ? in[i] : mx;
		for (size_t i = 0; i < depth; i++) {
			int32_t d = in[i] - mx;

			ok[i] = d >= c->diff_min;
			scaled[i] = o_mulq(d, c->input_beta_multiplier,
					   c->input_beta_left_shift, c->rounding);
			if (ok[i])
				sum += o_rdbpot(o_exp(scaled[i]), 12);
		}
		/* sum in Q12.19, normalised to 1 + x with x in [0, 1). */
		int lz = __builtin_clz((uint32_t)sum);
		int over = 12 - lz;
		int32_t xq = (int32_t)(((uint32_t)sum << lz) - 0x80000000u);
		int64_t hs = (int64_t)xq + INT32_MAX;
		int32_t half = (int32_t)((hs + (hs >= 0 ? 1 : -1)) / 2);
		int32_t est = 1515870810 + o_srdhm(half, -1010580540);

		for (int k = 0; k < 3; k++)
			est += sat_shl(o_srdhm(est, (1 << 29) - o_srdhm(half, est)), 2);
		est = sat_shl(est, 1);
		for (size_t i = 0; i < depth; i++) {
			int64_t v = -128;

			if (ok[i]) {
				int32_t p = o_srdhm(est, o_exp(scaled[i]));
				int e = over + 23;
				int64_t ap = p < 0 ? -(int64_t)p : p;
				int64_t q = (ap + ((int64_t)1 << (e - 1))) >> e;

				v = (p < 0 ? -q : q) - 128;
			}
			out[i] = o_sat8(v, -128, 127);
		}
	}
}

static void setup(struct t_bufs *b, struct qaccel_cmd_softmax *c, uint32_t rows,
		  uint32_t depth)
{
	memset(c, 0, sizeof(*c));
	c->hdr.opcode = QACCEL_OP_SOFTMAX;
	c->hdr.size = sizeof(*c);
	t_tensor(b, &c->input, 1, 1, rows, depth, 0);
	t_tensor(b, &c->output, 1, 1, rows, depth, -128);
}

TEST(hand_checked_rows)
{
	struct t_bufs b = { 0 };
	struct qaccel_cmd_softmax c;
	int8_t *in, *out;

	t_seed_init(30);
	setup(&b, &c, 3, 4);
	/* beta * scale = 1/16 as a Q0.31 multiplier with left shift 26-4 ... */
	c.input_beta_multiplier = 1 << 30;
	c.input_beta_left_shift = 23;	/* diff * 2^23 * 0.5 = diff/16 in Q5.26 */
	c.diff_min = -(1 << 20);
	ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);
	in = t_data(&b, &c.input);
	out = t_data(&b, &c.output);
	/* Row 0: four equal values -> 1/4 each = 64/256 -> 64 - 128 = -64. */
	/* Row 1: one value far above the rest -> ~1 -> 127; others -128.  */
	/* Row 2: two equal maxima, two far below -> 1/2 each -> 0.        */
	int8_t rows[12] = { 5, 5, 5, 5, 127, -128, -128, -128, 100, -128, 100, -128 };

	memcpy(in, rows, 12);
	qaccel_exec_cmd(&c.hdr, b.v);
	int8_t want[12] = { -64, -64, -64, -64, 127, -128, -128, -128, 0, -128, 0, -128 };

	for (int i = 0; i < 12; i++)
		EXPECT_EQ(out[i], want[i]);
	t_bufs_free(&b);
}

TEST(random_against_second_implementation)
{
	t_seed_init(31);
	for (int it = 0; it < 400; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_softmax c;
		uint32_t rows = t_range(1, 4), depth = t_range(1, 300);
		size_t cnt = (size_t)rows * depth;

		setup(&b, &c, rows, depth);
		c.input_beta_multiplier = (int32_t)((1u << 30) | (t_rand() & 0x3fffffff));
		c.input_beta_left_shift = t_range(14, 28);
		c.diff_min = (t_rand() & 1) ? -(int32_t)(t_rand() % 300) : -2147483647;
		c.rounding = t_rand() & 1;
		ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);

		int8_t *want = malloc(cnt);

		o_softmax(&c, t_data(&b, &c.input), want);
		qaccel_exec_cmd(&c.hdr, b.v);
		size_t d = t_first_diff(t_data(&b, &c.output), want, cnt);

		if (d < cnt) {
			printf("# seed %llu iter %d element %zu got %d want %d\n",
			       (unsigned long long)t_seed, it, d, t_data(&b, &c.output)[d],
			       want[d]);
			fflush(stdout);
		}
		ASSERT_EQ(d, cnt);
		free(want);
		t_bufs_free(&b);
	}
}

TEST_HARNESS_MAIN
