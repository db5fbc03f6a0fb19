// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: injected faults. A job held by fault_hang is stopped by the
 * scheduler's timeout, the engine is reset, its fence carries an error,
 * it is counted as timed out, and the jobs behind it (in its own file and
 * in others) then run bit-exact. A job made to fail by fault_fail signals
 * -EIO, is counted as failed, and later jobs are fine. timeout_ms changes
 * at run time.
 */
#include "qaccel_faults.h"

#include "kselftest_harness.h"

FIXTURE(fault) {
	struct qf_env e;
};

FIXTURE_SETUP(fault)
{
	QF_NEED_ROOT();
	ASSERT_EQ(0, qf_env_open(&self->e, 0x5eed0301));
}

FIXTURE_TEARDOWN(fault)
{
	qf_env_close(&self->e);
}

static void expect_stats(struct __test_metadata *_metadata, int fd,
			 uint64_t completed, uint64_t failed, uint64_t timed_out)
{
	struct drm_qaccel_stats st;

	ASSERT_EQ(0, qd_stats(fd, &st));
	EXPECT_EQ(completed, st.jobs_completed);
	EXPECT_EQ(failed, st.jobs_failed);
	EXPECT_EQ(timed_out, st.jobs_timed_out);
}

TEST_F_TIMEOUT(fault, hang_times_out_resets_and_next_job_runs, 60)
{
	struct qf_state after = { 0 };
	struct qf_job hung;
	uint32_t out;
	int64_t t0, waited_ms;
	long left = -1;
	int status = 0;

	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_CONV_2D, &hung));
	ASSERT_EQ(0, qf_syncobj_create(self->e.fd, &out));
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	hung.j.sub.out_syncobj = out;
	t0 = qd_now_ns();
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &hung.j));
	ASSERT_EQ(0, qf_param_get("fault_hang", &left));
	EXPECT_EQ(0, left) TH_LOG("the submit did not take the fault");
	/* Held by the engine until the timeout stops it. */
	EXPECT_EQ(-ETIMEDOUT, qd_bo_wait(self->e.fd, hung.j.bo[0].handle,
					 self->e.timeout_ms / 4 * QD_NS_PER_MS));
	ASSERT_EQ(0, qd_job_wait(self->e.fd, &hung.j, 20000));
	waited_ms = (qd_now_ns() - t0) / QD_NS_PER_MS;
	EXPECT_GE(waited_ms, self->e.timeout_ms / 2);
	ASSERT_EQ(0, qf_syncobj_status(self->e.fd, out, &status));
	EXPECT_EQ(-ETIMEDOUT, status) TH_LOG("the hung job's fence");
	expect_stats(_metadata, self->e.fd, 0, 0, 1);
	ASSERT_EQ(0, qf_state_read(&after));
	EXPECT_EQ(self->e.state.resets + 1, after.resets);

	EXPECT_EQ(0, qf_canary(self->e.fd));
	expect_stats(_metadata, self->e.fd, 2, 0, 1);
	qf_syncobj_destroy(self->e.fd, out);
	qf_job_free(self->e.fd, &hung);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/*
 * Behind a hung job: two jobs of the same file and one of another, all
 * queued while it hangs; all run bit-exact after the reset.
 */
TEST_F_TIMEOUT(fault, queued_jobs_run_after_the_reset, 60)
{
	struct qf_job hung, b, c, d;
	int fd2 = qd_open();

	ASSERT_GE(fd2, 0);
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_REQUANTIZE, &hung));
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_DEPTHWISE_CONV_2D, &b));
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_SOFTMAX, &c));
	ASSERT_EQ(0, qf_job_new(fd2, QACCEL_OP_AVERAGE_POOL_2D, &d));
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &hung.j));
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &b.j));
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &c.j));
	ASSERT_EQ(0, qd_job_submit(fd2, &d.j));
	EXPECT_EQ(0, qf_job_check(self->e.fd, &b));
	EXPECT_EQ(0, qf_job_check(self->e.fd, &c));
	EXPECT_EQ(0, qf_job_check(fd2, &d));
	ASSERT_EQ(0, qd_job_wait(self->e.fd, &hung.j, 20000));
	expect_stats(_metadata, self->e.fd, 2, 0, 1);
	expect_stats(_metadata, fd2, 1, 0, 0);
	qf_job_free(self->e.fd, &hung);
	qf_job_free(self->e.fd, &b);
	qf_job_free(self->e.fd, &c);
	qf_job_free(fd2, &d);
	close(fd2);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/* Two hangs in a row, from two files: two timeouts, two resets. */
TEST_F_TIMEOUT(fault, two_hangs_two_resets, 60)
{
	struct qf_state after = { 0 };
	struct qf_job h1, h2;
	int fd2 = qd_open();

	ASSERT_GE(fd2, 0);
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_LUT, &h1));
	ASSERT_EQ(0, qf_job_new(fd2, QACCEL_OP_LUT, &h2));
	ASSERT_EQ(0, qf_param_set("fault_hang", 2));
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &h1.j));
	ASSERT_EQ(0, qd_job_submit(fd2, &h2.j));
	ASSERT_EQ(0, qd_job_wait(self->e.fd, &h1.j, 20000));
	ASSERT_EQ(0, qd_job_wait(fd2, &h2.j, 20000));
	expect_stats(_metadata, self->e.fd, 0, 0, 1);
	expect_stats(_metadata, fd2, 0, 0, 1);
	ASSERT_EQ(0, qf_state_read(&after));
	EXPECT_EQ(self->e.state.resets + 2, after.resets);
	EXPECT_EQ(0, qf_canary(fd2));
	expect_stats(_metadata, fd2, 2, 0, 1);
	qf_job_free(self->e.fd, &h1);
	qf_job_free(fd2, &h2);
	close(fd2);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

TEST_F(fault, fail_signals_eio_and_later_jobs_run)
{
	struct qf_state after = { 0 };
	struct qf_job failing;
	uint32_t out;
	long left = -1;
	int status = 0;

	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_FULLY_CONNECTED, &failing));
	ASSERT_EQ(0, qf_syncobj_create(self->e.fd, &out));
	ASSERT_EQ(0, qf_param_set("fault_fail", 1));
	failing.j.sub.out_syncobj = out;
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &failing.j));
	ASSERT_EQ(0, qf_param_get("fault_fail", &left));
	EXPECT_EQ(0, left);
	ASSERT_EQ(0, qf_syncobj_wait(self->e.fd, out, 20000));
	ASSERT_EQ(0, qf_syncobj_status(self->e.fd, out, &status));
	EXPECT_EQ(-EIO, status);
	/* Waiting is about idleness: a failed job's buffers are idle. */
	EXPECT_EQ(0, qd_job_wait(self->e.fd, &failing.j, 0));
	expect_stats(_metadata, self->e.fd, 0, 1, 0);
	ASSERT_EQ(0, qf_state_read(&after));
	EXPECT_EQ(self->e.state.resets, after.resets) TH_LOG("a failure reset");

	/* The same job again, now without a fault, and others. */
	failing.j.sub.out_syncobj = 0;
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &failing.j));
	EXPECT_EQ(0, qf_job_check(self->e.fd, &failing));
	EXPECT_EQ(0, qf_canary(self->e.fd));
	expect_stats(_metadata, self->e.fd, 3, 1, 0);
	ASSERT_EQ(0, qf_syncobj_status(self->e.fd, out, &status));
	EXPECT_EQ(-EIO, status) TH_LOG("a later job changed the syncobj");
	qf_syncobj_destroy(self->e.fd, out);
	qf_job_free(self->e.fd, &failing);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/* Several failures among good jobs: only those count as failed. */
TEST_F(fault, failures_among_good_jobs)
{
	struct qf_job q[6];

	for (int i = 0; i < 6; i++)
		ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_ADD + i % 3, &q[i]));
	for (int i = 0; i < 6; i++) {
		/* Jobs 1 and 4 fail. */
		ASSERT_EQ(0, qf_param_set("fault_fail", i % 3 == 1));
		ASSERT_EQ(0, qd_job_submit(self->e.fd, &q[i].j));
	}
	for (int i = 0; i < 6; i++) {
		int ret = i % 3 == 1 ? qd_job_wait(self->e.fd, &q[i].j, 20000) :
			  qf_job_check(self->e.fd, &q[i]);

		EXPECT_EQ(0, ret) TH_LOG("job %d", i);
	}
	expect_stats(_metadata, self->e.fd, 4, 2, 0);
	for (int i = 0; i < 6; i++)
		qf_job_free(self->e.fd, &q[i]);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/* timeout_ms is read at run time: QUERY and the timeout both follow it. */
TEST_F_TIMEOUT(fault, timeout_param_changes_at_run_time, 60)
{
	struct drm_qaccel_query_info info;
	struct qf_job hung;
	int64_t t0, waited_ms;

	ASSERT_EQ(0, qf_param_set("timeout_ms", 6000));
	ASSERT_EQ(0, qd_query(self->e.fd, &info));
	EXPECT_EQ(6000, info.timeout_ms);
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_MEAN, &hung));
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	t0 = qd_now_ns();
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &hung.j));
	/* Still held well after the default timeout would have fired. */
	EXPECT_EQ(-ETIMEDOUT, qd_bo_wait(self->e.fd, hung.j.bo[0].handle,
					 1500 * QD_NS_PER_MS));
	ASSERT_EQ(0, qd_job_wait(self->e.fd, &hung.j, 30000));
	waited_ms = (qd_now_ns() - t0) / QD_NS_PER_MS;
	EXPECT_GE(waited_ms, 1500);
	expect_stats(_metadata, self->e.fd, 0, 0, 1);
	ASSERT_EQ(0, qf_param_set("timeout_ms", self->e.timeout_ms));
	ASSERT_EQ(0, qd_query(self->e.fd, &info));
	EXPECT_EQ(self->e.timeout_ms, info.timeout_ms);
	EXPECT_EQ(0, qf_canary(self->e.fd));
	qf_job_free(self->e.fd, &hung);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/*
 * No fault injected: a long stream (a hundred convolutions of half a
 * million multiply-adds each) under a 20 ms timeout is stopped between
 * two commands, counted as timed out with -ETIMEDOUT, the engine reset;
 * the next job runs.
 */
TEST_F_TIMEOUT(fault, a_job_running_too_long_is_stopped, 60)
{
	struct qf_state after = { 0 };
	struct qaccel_cmd_conv2d c;
	struct t_bufs b = { 0 };
	struct sb_stream s;
	struct qd_job j;
	uint32_t out;
	int status = 0;

	memset(&c, 0, sizeof(c));
	c.hdr.opcode = QACCEL_OP_CONV_2D;
	c.hdr.size = sizeof(c);
	t_tensor(&b, &c.input, 1, 16, 16, 16, 1);
	t_tensor(&b, &c.filter, 16, 3, 3, 16, 0);
	t_tensor(&b, &c.output, 1, 16, 16, 16, -3);
	c.bias.buf = t_buf_new(&b, 16 * 4);
	sb_requant(&b, &c.requant, 16);
	c.win = (struct qaccel_window){ 1, 1, 1, 1, 1, 1 };
	c.clamp = sb_clamp;
	sb_repeat(&s, (union sb_cmd *)&c, 100);
	ASSERT_EQ(0, qd_job_upload(self->e.fd, &b, s.mem, s.size, &j));
	ASSERT_EQ(0, qf_syncobj_create(self->e.fd, &out));
	ASSERT_EQ(0, qf_param_set("timeout_ms", 20));
	j.sub.out_syncobj = out;
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &j));
	ASSERT_EQ(0, qf_syncobj_wait(self->e.fd, out, 30000));
	ASSERT_EQ(0, qf_param_set("timeout_ms", self->e.timeout_ms));
	ASSERT_EQ(0, qf_syncobj_status(self->e.fd, out, &status));
	EXPECT_EQ(-ETIMEDOUT, status);
	expect_stats(_metadata, self->e.fd, 0, 0, 1);
	ASSERT_EQ(0, qf_state_read(&after));
	EXPECT_EQ(self->e.state.resets + 1, after.resets);
	EXPECT_EQ(0, qf_canary(self->e.fd));
	qf_syncobj_destroy(self->e.fd, out);
	qd_job_free(self->e.fd, &j);
	t_bufs_free(&b);
	sb_free(&s);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/* Out of 1..3600000 ms (or not a number), timeout_ms keeps its value. */
TEST_F(fault, timeout_param_rejects_bad_values)
{
	static const char *const bad[] = { "0", "3600001", "-1", "abc", "\n" };
	long now = -1;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = fopen(QF_PARAMS "timeout_ms", "w");

		ASSERT_NE(NULL, f);
		fputs(bad[i], f);
		EXPECT_NE(0, fclose(f)) TH_LOG("\"%s\" accepted", bad[i]);
		ASSERT_EQ(0, qf_param_get("timeout_ms", &now));
		EXPECT_EQ(self->e.timeout_ms, now);
	}
	ASSERT_EQ(0, qf_param_set("timeout_ms", 3600000));
	ASSERT_EQ(0, qf_param_get("timeout_ms", &now));
	EXPECT_EQ(3600000, now);
	EXPECT_EQ(0, qf_canary(self->e.fd));
}

TEST_HARNESS_MAIN
