// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * COPY: strided 4-D byte copies (slices, concatenation, transposes,
 * broadcasting sources with stride 0), hand-worked and random, every
 * buffer byte compared so stray writes show.
 */
#include "kselftest_harness.h"
#include "oracle.h"

static void copy_cmd(struct qaccel_cmd_copy *c, const uint32_t *dims,
		     const uint32_t *ss, const uint32_t *ds)
{
	memset(c, 0, sizeof(*c));
	c->hdr.opcode = QACCEL_OP_COPY;
	c->hdr.size = sizeof(*c);
	memcpy(c->dims, dims, sizeof(c->dims));
	memcpy(c->src_strides, ss, sizeof(c->src_strides));
	memcpy(c->dst_strides, ds, sizeof(c->dst_strides));
}

/* Extent in bytes of a strided view: sum((dim - 1) * stride) + 1. */
static size_t extent(const uint32_t *d, const uint32_t *s)
{
	size_t e = 1;

	for (int k = 0; k < 4; k++)
		e += (size_t)(d[k] - 1) * s[k];
	return e;
}

TEST(hand_transpose_2x3)
{
	/*
	 * A 2x3 matrix [0 1 2; 3 4 5] copied transposed into 3x2: dims
	 * {1, 1, 2, 3}, source strides (row 3, col 1), destination (row 1,
	 * col 2): [0 3; 1 4; 2 5], at offset 1 of a 7-byte buffer whose
	 * first byte stays.
	 */
	static const uint32_t dims[4] = { 1, 1, 2, 3 };
	static const uint32_t ss[4] = { 0, 0, 3, 1 }, ds[4] = { 0, 0, 1, 2 };
	static const int8_t want[6] = { 0, 3, 1, 4, 2, 5 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_copy c;

	t_seed_init(1);
	copy_cmd(&c, dims, ss, ds);
	c.src.buf = t_buf_new(&b, 6);
	c.dst = (struct qaccel_ref){ t_buf_new(&b, 7), 1 };
	for (int i = 0; i < 6; i++)
		b.v[c.src.buf].ptr[i] = (uint8_t)i;
	ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_ptr(&b, &c.dst), want, 6,
				    "copy transpose"));
	t_bufs_free(&b);
}

TEST(hand_broadcast_source)
{
	/* Source stride 0 along dim 2: [7, 8] repeated 3 times: 7 8 7 8 7 8. */
	static const uint32_t dims[4] = { 1, 1, 3, 2 };
	static const uint32_t ss[4] = { 0, 0, 0, 1 }, ds[4] = { 0, 0, 2, 1 };
	static const int8_t want[6] = { 7, 8, 7, 8, 7, 8 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_copy c;

	t_seed_init(2);
	copy_cmd(&c, dims, ss, ds);
	c.src.buf = t_buf_new(&b, 2);
	c.dst.buf = t_buf_new(&b, 6);
	b.v[c.src.buf].ptr[0] = 7;
	b.v[c.src.buf].ptr[1] = 8;
	ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_ptr(&b, &c.dst), want, 6,
				    "copy broadcast"));
	t_bufs_free(&b);
}

TEST(random_slices_and_concatenation)
{
	/*
	 * A random box of a random source tensor into a random place of a
	 * larger destination tensor (what CONCATENATION and SLICE emit),
	 * sometimes with the dimensions permuted, sometimes in one buffer.
	 */
	t_seed_init(1101);
	for (int it = 0; it < 500; it++) {
		uint32_t sd[4], dd[4], dims[4], ss[4], at_s[4], at_d[4];
		uint32_t perm[4] = { 0, 1, 2, 3 };
		size_t s_run = 1, d_run = 1, s_off = 0, d_off = 0;
		struct t_bufs b = { 0 };
		struct qaccel_cmd_copy c;
		char what[300];

		for (int k = 0; k < 4; k++) {
			dims[k] = t_dim(5);
			sd[k] = dims[k] + (t_one_in(2) ? 0 : t_range(1, 3));
			dd[k] = dims[k] + (t_one_in(2) ? 0 : t_range(1, 3));
			at_s[k] = t_range(0, sd[k] - dims[k]);
			at_d[k] = t_range(0, dd[k] - dims[k]);
		}
		if (t_one_in(3))	/* a random permutation of the dims */
			for (int k = 3; k > 0; k--) {
				uint32_t j = t_rand() % (k + 1), x = perm[k];

				perm[k] = perm[j];
				perm[j] = x;
			}
		for (int k = 3; k >= 0; k--) {
			ss[k] = s_run;
			s_off += at_s[k] * s_run;
			d_off += at_d[k] * d_run;
			s_run *= sd[k];
			d_run *= dd[k];
		}
		/* Permute the index space of the source only: a transpose. */
		uint32_t pd[4], pss[4];

		for (int k = 0; k < 4; k++) {
			pd[k] = dims[perm[k]];
			pss[k] = ss[perm[k]];
		}
		/* Destination strides for the permuted dims: dense at d_off. */
		uint32_t pds[4];
		size_t run = 1;

		for (int k = 3; k >= 0; k--) {
			pds[k] = run;
			run *= pd[k];
		}
		if (t_one_in(4) && pd[3] > 1)
			pss[3] = 0;	/* broadcast along the innermost dim */
		copy_cmd(&c, pd, pss, pds);
		if (t_one_in(4)) {
			/* One buffer: source first, destination after it. */
			uint32_t buf = t_buf_new(&b, s_run + 3 + d_off + run);

			c.src = (struct qaccel_ref){ buf, s_off };
			c.dst = (struct qaccel_ref){ buf, s_run + 3 + d_off };
		} else {
			c.src = (struct qaccel_ref){ t_buf_new(&b, s_run), s_off };
			c.dst = (struct qaccel_ref){ t_buf_new(&b, d_off + run), d_off };
		}
		snprintf(what, sizeof(what), "copy dims %u,%u,%u,%u src strides "
			 "%u,%u,%u,%u at %u dst strides %u,%u,%u,%u at %u", pd[0],
			 pd[1], pd[2], pd[3], pss[0], pss[1], pss[2], pss[3], c.src.offset,
			 pds[0], pds[1], pds[2], pds[3], c.dst.offset);
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST(random_strided_destination)
{
	/* Destination strides of a bigger tensor (concatenation along any dim). */
	t_seed_init(1102);
	for (int it = 0; it < 300; it++) {
		uint32_t dims[4], dd[4], ss[4], ds[4];
		size_t run = 1, s_run = 1;
		struct t_bufs b = { 0 };
		struct qaccel_cmd_copy c;
		char what[200];

		for (int k = 0; k < 4; k++) {
			dims[k] = t_dim(4);
			dd[k] = dims[k] + (t_one_in(2) ? 0 : t_range(1, 4));
		}
		for (int k = 3; k >= 0; k--) {
			ds[k] = run;
			ss[k] = s_run;
			run *= dd[k];
			s_run *= dims[k];
		}
		copy_cmd(&c, dims, ss, ds);
		c.src.buf = t_buf_new(&b, extent(dims, ss));
		c.dst.buf = t_buf_new(&b, extent(dims, ds));
		snprintf(what, sizeof(what), "copy dims %u,%u,%u,%u into %u,%u,%u,%u",
			 dims[0], dims[1], dims[2], dims[3], dd[0], dd[1], dd[2], dd[3]);
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST_HARNESS_MAIN
