// SPDX-License-Identifier: MIT
/*
 * SOFTMAX (the integer one, runtime/ref/softmax.c) with its exponentials
 * looked up: the input is int8, so a row's differences from its maximum
 * take at most 256 values, and exp(diff) depends only on the difference
 * and the command's beta multiplier, shift and rounding. The engine keeps
 * one table per such triple, each entry computed the first time it is
 * needed with the reference's own arithmetic; the sum, reciprocal and
 * output steps are the reference's, in its order.
 */
#include <errno.h>
#include <stdlib.h>

#include "cpu.h"
#include "runtime/ref/fixedpoint.h"
#include "runtime/ref/ref_util.h"

/* The reference's accumulator format: the sum is Q12.19. */
#define ACC_INT_BITS 12
/* Tables kept at once; a model rarely has more than one softmax. */
#define MAX_TABLES 8

struct cpu_softmax_table {
	struct cpu_softmax_table *next;
	s32 mult, shift;
	u32 rounding;
	/* exp[d] for the difference -d, valid where bit d of known is set. */
	u64 known[4];
	s32 exp[256];
};

/* The command's table, found or made (the oldest replaced past MAX_TABLES). */
static struct cpu_softmax_table *table_of(struct cpu_engine *e,
					  const struct qaccel_cmd_softmax *c)
{
	struct cpu_softmax_table **pp = &e->softmax, *t;
	u32 n = 0;

	for (; (t = *pp); pp = &t->next, n++) {
		if (t->mult == c->input_beta_multiplier &&
		    t->shift == c->input_beta_left_shift && t->rounding == c->rounding) {
			/* Found: to the front, where the next call looks first. */
			*pp = t->next;
			t->next = e->softmax;
			e->softmax = t;
			return t;
		}
	}
	/* Full: the last entry, the one unused longest, makes room. */
	if (n >= MAX_TABLES) {
		for (pp = &e->softmax; (*pp)->next; pp = &(*pp)->next)
			;
		free(*pp);
		*pp = NULL;
	}
	t = malloc(sizeof(*t));
	if (!t)
		return NULL;
	t->mult = c->input_beta_multiplier;
	t->shift = c->input_beta_left_shift;
	t->rounding = c->rounding;
	t->known[0] = t->known[1] = t->known[2] = t->known[3] = 0;
	t->next = e->softmax;
	e->softmax = t;
	return t;
}

/* exp of the difference -d (0 <= d <= 255), as the reference's softmax_exp(). */
static inline s32 table_exp(struct cpu_softmax_table *t, u32 d)
{
	u64 bit = 1ULL << (d & 63);

	if (!(t->known[d >> 6] & bit)) {
		s32 scaled = qaccel_mul_by_qmul(-(s32)d, t->mult, t->shift, t->rounding);

		t->exp[d] = fp_exp_on_negative_q5(scaled);
		t->known[d >> 6] |= bit;
	}
	return t->exp[d];
}

static void softmax_row(struct cpu_softmax_table *t, s32 diff_min, const s8 *in, s8 *out,
			u32 depth)
{
	s32 row_max = S8_MIN, sum = 0, scale;
	int headroom, bits_over_unit;

	for (u32 i = 0; i < depth; i++)
		row_max = in[i] > row_max ? in[i] : row_max;
	for (u32 i = 0; i < depth; i++) {
		s32 diff = in[i] - row_max;

		if (diff >= diff_min)
			sum = fp_add(sum, qaccel_rdbpot(table_exp(t, (u32)-diff), ACC_INT_BITS));
	}
	headroom = fp_clz32((u32)sum);
	if (headroom > 31)
		headroom = 31;
	bits_over_unit = ACC_INT_BITS - headroom;
	scale = fp_one_over_one_plus_x((s32)(((u32)sum << headroom) - (1U << 31)));
	for (u32 i = 0; i < depth; i++) {
		s32 diff = in[i] - row_max;
		s64 v = S8_MIN;

		if (diff >= diff_min)
			v = fp_rdbpot64(qaccel_srdhm(scale, table_exp(t, (u32)-diff)),
					bits_over_unit + 31 - 8) + S8_MIN;
		out[i] = (s8)(v > S8_MAX ? S8_MAX : (v < S8_MIN ? S8_MIN : v));
	}
}

/**
 * cpu_softmax() - run one validated QACCEL_OP_SOFTMAX, bit-exact
 * @e: the engine (it keeps the exp tables)
 * @c: the command
 * @bufs: the submit's buffer table
 *
 * Rows run in order on this thread: in place, a row is read whole (its
 * maximum, its sum) before it is written. Return: 0 or -ENOMEM.
 */
int cpu_softmax(struct cpu_engine *e, const struct qaccel_cmd_softmax *c,
		const struct qaccel_buf_view *bufs)
{
	struct cpu_softmax_table *t = table_of(e, c);
	const s8 *in = ref_tensor(bufs, &c->input);
	s8 *out = ref_tensor(bufs, &c->output);
	u32 depth = c->input.dims[3];
	u64 rows = ref_elems(&c->input) / depth;

	if (!t)
		return -ENOMEM;
	for (u64 r = 0; r < rows; r++)
		softmax_row(t, c->diff_min, in + r * depth, out + r * depth, depth);
	return 0;
}

void cpu_softmax_free(struct cpu_engine *e)
{
	while (e->softmax) {
		struct cpu_softmax_table *t = e->softmax;

		e->softmax = t->next;
		free(t);
	}
}
