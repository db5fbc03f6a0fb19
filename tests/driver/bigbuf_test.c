// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: jobs on buffers of many pages, where every operand crosses
 * page boundaries in the kernel's mapping: a LUT over 4 MiB, a strided
 * COPY out of an 8 MiB buffer at an odd offset, an ADD broadcasting a
 * row across 2 MiB. Every byte is compared with the reference, the bytes
 * past each buffer's asked size included (they must stay zero).
 */
#include "qaccel_faults.h"

#include "kselftest_harness.h"

FIXTURE(big) {
	struct qf_env e;
};

FIXTURE_SETUP(big)
{
	QF_NEED_ROOT();
	ASSERT_EQ(0, qf_env_open(&self->e, 0x5eed0901));
	/* Room for the slowest of these under emulation. */
	ASSERT_EQ(0, qf_param_set("timeout_ms", 20000));
}

FIXTURE_TEARDOWN(big)
{
	qf_env_close(&self->e);
}

static void run_big(struct __test_metadata *_metadata, int fd,
		    struct t_bufs *b, const union sb_cmd *c)
{
	struct t_bufs want;
	struct sb_stream s;
	struct qd_job j;
	uint64_t at = 0;
	int bad;

	sb_repeat(&s, c, 1);
	t_bufs_clone(&want, b);
	ASSERT_EQ(0, qd_ref_run(&want, s.mem, s.size));
	ASSERT_EQ(0, qd_job_upload(fd, b, s.mem, s.size, &j));
	ASSERT_EQ(0, qd_job_submit(fd, &j));
	ASSERT_EQ(0, qd_job_wait(fd, &j, 60000));
	bad = qd_job_compare(&j, &want, &at);
	EXPECT_EQ(-1, bad) TH_LOG("buffer %d differs at byte %llu", bad,
				  (unsigned long long)at);
	qd_job_free(fd, &j);
	t_bufs_free(&want);
	sb_free(&s);
}

TEST_F_TIMEOUT(big, lut_over_4_mib, 120)
{
	struct t_bufs b = { 0 };
	union sb_cmd c;
	const uint32_t dims[4] = { 1, 2, 1024, 2048 };

	memset(&c, 0, sizeof(c));
	c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_LUT, sizeof(c.lut) };
	t_tensor_at(&b, &c.lut.input, dims, 0, 4093);
	t_tensor_at(&b, &c.lut.output, dims, 0, 7);
	c.lut.table.buf = t_buf_new(&b, 256);
	run_big(_metadata, self->e.fd, &b, &c);
	t_bufs_free(&b);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/* Every other row and column of a [1, 1024, 2048, 4] source. */
TEST_F_TIMEOUT(big, strided_copy_out_of_8_mib, 120)
{
	struct t_bufs b = { 0 };
	union sb_cmd c;

	memset(&c, 0, sizeof(c));
	c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_COPY, sizeof(c.copy) };
	c.copy.src.buf = t_buf_new(&b, 3 + 1024 * 2048 * 4);
	c.copy.src.offset = 3;
	c.copy.dst.buf = t_buf_new(&b, 512 * 1024 * 4 + 5);
	c.copy.dst.offset = 5;
	c.copy.dims[0] = 1;
	c.copy.dims[1] = 512;
	c.copy.dims[2] = 1024;
	c.copy.dims[3] = 4;
	c.copy.src_strides[0] = 1024 * 2048 * 4;
	c.copy.src_strides[1] = 2 * 2048 * 4;
	c.copy.src_strides[2] = 2 * 4;
	c.copy.src_strides[3] = 1;
	c.copy.dst_strides[0] = 512 * 1024 * 4;
	c.copy.dst_strides[1] = 1024 * 4;
	c.copy.dst_strides[2] = 4;
	c.copy.dst_strides[3] = 1;
	run_big(_metadata, self->e.fd, &b, &c);
	t_bufs_free(&b);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/* One row of 1024 added to each of 2048 rows. */
TEST_F_TIMEOUT(big, add_broadcast_over_2_mib, 120)
{
	struct t_bufs b = { 0 };
	union sb_cmd c;
	const uint32_t big[4] = { 1, 2048, 1, 1024 };
	const uint32_t row[4] = { 1, 1, 1, 1024 };

	memset(&c, 0, sizeof(c));
	c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_ADD, sizeof(c.bin) };
	t_tensor_at(&b, &c.bin.input1, big, 3, 11);
	t_tensor_at(&b, &c.bin.input2, row, -5, 4095);
	t_tensor_at(&b, &c.bin.output, big, 1, 1);
	c.bin.input1_qmul = t_qmul(-1, 0);
	c.bin.input2_qmul = t_qmul(-1, 0);
	c.bin.output_qmul = t_qmul(-20, -18);
	c.bin.left_shift = 20;
	c.bin.clamp = (struct qaccel_clamp){ -128, 127 };
	run_big(_metadata, self->e.fd, &b, &c);
	t_bufs_free(&b);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

TEST_HARNESS_MAIN
