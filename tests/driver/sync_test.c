// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: explicit and implicit synchronisation.
 *
 * - Syncobj chains: each job's out-syncobj is the next one's in-syncobj,
 *   each job reading what the one before wrote; only the last syncobj is
 *   waited for, then every buffer is compared with the reference run of
 *   the whole chain.
 * - An in-syncobj holds a job back: a job of another file waiting on a
 *   hung job's syncobj (shared as a syncobj fd) does not run until that
 *   one is stopped, then runs bit-exact; and orders two jobs that nothing
 *   else orders (their common buffer declared read-only by both).
 * - BO_WAIT timeouts: a short wait on a busy buffer returns -ETIMEDOUT
 *   after waiting, an absolute timeout in the past or 0 returns it at
 *   once, and the same waits succeed once the job is over.
 * - Signals: EINTR from a long BO_WAIT and from a SUBMIT waiting for room;
 *   SIGKILL ends a process blocked in BO_WAIT.
 */
#include <signal.h>
#include <sys/wait.h>

#include "qaccel_faults.h"

#include "kselftest_harness.h"

FIXTURE(sync) {
	struct qf_env e;
};

FIXTURE_SETUP(sync)
{
	QF_NEED_ROOT();
	ASSERT_EQ(0, qf_env_open(&self->e, 0x5eed0401));
}

FIXTURE_TEARDOWN(sync)
{
	qf_env_close(&self->e);
}

#define CHAIN 4

/*
 * REQUANTIZE x -> y, LUT y -> z, ADD z + x -> w, REQUANTIZE w -> x: four
 * one-command streams over one buffer table, each job reading what the
 * previous one wrote (the last overwrites the first one's input).
 */
static void chain_streams(struct t_bufs *b, struct sb_stream s[CHAIN])
{
	struct qaccel_cmd_requantize r1 = {
		.hdr = { QACCEL_OP_REQUANTIZE, sizeof(r1) } };
	struct qaccel_cmd_lut lut = { .hdr = { QACCEL_OP_LUT, sizeof(lut) } };
	struct qaccel_cmd_binary add = {
		.hdr = { QACCEL_OP_ADD, sizeof(add) } };
	struct qaccel_cmd_requantize r2;
	const uint32_t dims[4] = { 1, 3, 5, 7 };

	t_tensor_at(b, &r1.input, dims, t_zp(), 3);
	t_tensor_at(b, &r1.output, dims, t_zp(), 0);
	r1.qmul = t_qmul(-3, 0);
	lut.input = r1.output;
	t_tensor_at(b, &lut.output, dims, t_zp(), 5);
	lut.table.buf = t_buf_new(b, 256);
	add.input1 = lut.output;
	add.input2 = r1.input;
	t_tensor_at(b, &add.output, dims, t_zp(), 1);
	add.input1_qmul = t_qmul(-1, 0);
	add.input2_qmul = t_qmul(-1, 0);
	add.output_qmul = t_qmul(-20, -18);
	add.left_shift = 20;
	add.clamp = (struct qaccel_clamp){ -128, 127 };
	r2 = r1;
	r2.input = add.output;
	r2.output = r1.input;
	r2.qmul = t_qmul(-2, 0);
	r2.rounding = QACCEL_ROUND_SINGLE;
	for (int i = 0; i < CHAIN; i++)
		sb_init(&s[i]);
	sb_add(&s[0], &r1.hdr);
	sb_add(&s[1], &lut.hdr);
	sb_add(&s[2], &add.hdr);
	sb_add(&s[3], &r2.hdr);
}

/* The reference of the streams run in order. */
static int chain_ref(struct t_bufs *want, const struct t_bufs *b,
		     struct sb_stream s[CHAIN], int reps)
{
	t_bufs_clone(want, b);
	for (int r = 0; r < reps; r++)
		for (int i = 0; i < CHAIN; i++)
			if (qd_ref_run(want, s[i].mem, s[i].size))
				return -1;
	return 0;
}

TEST_F(sync, chained_jobs_match_the_reference)
{
	struct qd_bo streams[CHAIN];
	struct sb_stream s[CHAIN];
	struct t_bufs b = { 0 }, want;
	uint32_t sync[CHAIN + 1] = { 0 };
	struct qd_job j;
	uint64_t at = 0;
	const int reps = 5;

	chain_streams(&b, s);
	ASSERT_EQ(0, chain_ref(&want, &b, s, reps));
	ASSERT_EQ(0, qd_job_upload(self->e.fd, &b, s[0].mem, s[0].size, &j));
	for (int i = 0; i < CHAIN; i++) {
		ASSERT_EQ(0, qd_bo_upload(self->e.fd, s[i].mem, s[i].size,
					  &streams[i]));
		ASSERT_EQ(0, qf_syncobj_create(self->e.fd, &sync[i + 1]));
	}
	/* Each job reads only what it must and writes its output. */
	for (int r = 0; r < reps; r++) {
		for (int i = 0; i < CHAIN; i++) {
			struct drm_qaccel_submit sub = j.sub;

			sub.stream_handle = streams[i].handle;
			sub.stream_size = s[i].size;
			sub.in_syncobj = r || i ? sync[i ? i : CHAIN] : 0;
			sub.out_syncobj = sync[i + 1];
			ASSERT_EQ(0, qd_submit_raw(self->e.fd, &sub))
				TH_LOG("round %d job %d", r, i);
		}
	}
	/* The last syncobj only: it signals after everything before it. */
	ASSERT_EQ(0, qf_syncobj_wait(self->e.fd, sync[CHAIN], 20000));
	EXPECT_EQ(-1, qd_job_compare(&j, &want, &at))
		TH_LOG("byte %llu differs", (unsigned long long)at);
	for (int i = 0; i < CHAIN; i++) {
		int status = 0;

		EXPECT_EQ(0, qf_syncobj_status(self->e.fd, sync[i + 1], &status));
		EXPECT_EQ(1, status) TH_LOG("syncobj %d", i + 1);
		qf_syncobj_destroy(self->e.fd, sync[i + 1]);
		qd_bo_free(self->e.fd, &streams[i]);
		sb_free(&s[i]);
	}
	qd_job_free(self->e.fd, &j);
	t_bufs_free(&want);
	t_bufs_free(&b);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/*
 * The chain across two files: odd jobs in a second file, on its own
 * handles of the same buffers (PRIME) and the syncobjs passed as fds.
 */
TEST_F(sync, chain_across_two_files)
{
	struct qd_bo streams[CHAIN];
	struct sb_stream s[CHAIN];
	struct t_bufs b = { 0 }, want;
	struct drm_qaccel_buf_entry ent2[T_MAX_BUFS];
	uint32_t sync1[CHAIN], sync2[CHAIN], stream2[CHAIN];
	int fd2 = qd_open(), fds[2];
	struct qd_job j;
	uint64_t at = 0;

	ASSERT_GE(fd2, 0);
	fds[0] = self->e.fd;
	fds[1] = fd2;
	chain_streams(&b, s);
	ASSERT_EQ(0, chain_ref(&want, &b, s, 1));
	ASSERT_EQ(0, qd_job_upload(self->e.fd, &b, s[0].mem, s[0].size, &j));
	for (uint32_t i = 0; i < j.n; i++) {
		ent2[i].handle = qf_share(self->e.fd, j.bo[i].handle, fd2);
		ent2[i].flags = j.ent[i].flags;
		ASSERT_NE(0, ent2[i].handle);
	}
	for (int i = 0; i < CHAIN; i++) {
		ASSERT_EQ(0, qd_bo_upload(self->e.fd, s[i].mem, s[i].size,
					  &streams[i]));
		stream2[i] = qf_share(self->e.fd, streams[i].handle, fd2);
		ASSERT_NE(0, stream2[i]);
		ASSERT_EQ(0, qf_syncobj_create(self->e.fd, &sync1[i]));
		sync2[i] = qf_share_syncobj(self->e.fd, sync1[i], fd2);
		ASSERT_NE(0, sync2[i]);
	}
	for (int i = 0; i < CHAIN; i++) {
		struct drm_qaccel_submit sub = j.sub;
		const uint32_t *sync = i & 1 ? sync2 : sync1;

		if (i & 1) {
			sub.bufs = (uintptr_t)ent2;
			sub.stream_handle = stream2[i];
		} else {
			sub.stream_handle = streams[i].handle;
		}
		sub.stream_size = s[i].size;
		sub.in_syncobj = i ? sync[i - 1] : 0;
		sub.out_syncobj = sync[i];
		ASSERT_EQ(0, qd_submit_raw(fds[i & 1], &sub)) TH_LOG("job %d", i);
	}
	ASSERT_EQ(0, qf_syncobj_wait(fd2, sync2[CHAIN - 1], 20000));
	EXPECT_EQ(-1, qd_job_compare(&j, &want, &at))
		TH_LOG("byte %llu differs", (unsigned long long)at);
	for (int i = 0; i < CHAIN; i++) {
		qf_syncobj_destroy(self->e.fd, sync1[i]);
		qf_syncobj_destroy(fd2, sync2[i]);
		qd_bo_free(self->e.fd, &streams[i]);
		sb_free(&s[i]);
	}
	close(fd2);
	qd_job_free(self->e.fd, &j);
	t_bufs_free(&want);
	t_bufs_free(&b);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/*
 * B (another file, no buffer in common) waits on hung A's syncobj: it
 * must not run while A hangs, and must run once A is stopped.
 */
TEST_F_TIMEOUT(sync, in_syncobj_holds_a_job_back, 60)
{
	struct qf_job a, b;
	uint32_t sa, sb;
	int fd2 = qd_open(), status = 0;
	uint64_t at = 0;

	ASSERT_GE(fd2, 0);
	/* Long enough that the checks below happen inside the hang. */
	ASSERT_EQ(0, qf_param_set("timeout_ms", 5000));
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_CONV_2D, &a));
	ASSERT_EQ(0, qf_job_new(fd2, QACCEL_OP_CONV_2D, &b));
	ASSERT_EQ(0, qf_syncobj_create(self->e.fd, &sa));
	sb = qf_share_syncobj(self->e.fd, sa, fd2);
	ASSERT_NE(0, sb);
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	a.j.sub.out_syncobj = sa;
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &a.j));
	b.j.sub.in_syncobj = sb;
	ASSERT_EQ(0, qd_job_submit(fd2, &b.j));
	EXPECT_EQ(-ETIMEDOUT, qd_job_wait(fd2, &b.j, 300));
	EXPECT_EQ(-1, qd_job_compare(&b.j, &b.b, &at))
		TH_LOG("B ran before A ended: byte %llu written",
		       (unsigned long long)at);
	ASSERT_EQ(0, qf_syncobj_status(fd2, sb, &status));
	EXPECT_EQ(0, status) TH_LOG("A's fence is already signalled");

	/* A is stopped by the timeout; B then runs. */
	EXPECT_EQ(0, qf_job_check(fd2, &b));
	ASSERT_EQ(0, qf_syncobj_status(self->e.fd, sa, &status));
	EXPECT_EQ(-ETIMEDOUT, status);
	qf_syncobj_destroy(self->e.fd, sa);
	qf_syncobj_destroy(fd2, sb);
	qf_job_free(self->e.fd, &a);
	qf_job_free(fd2, &b);
	close(fd2);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/*
 * Only the syncobj orders A and B: A writes x but declares it read, B
 * reads it; neither waits for the other through x. A and B are queued
 * in two files behind a hung job; when it is stopped, B is ready first
 * in the scheduler's round robin unless it waits for A's out-syncobj.
 * B's result must be that of reading x after A wrote it.
 */
TEST_F_TIMEOUT(sync, in_syncobj_orders_what_buffers_do_not, 60)
{
	struct qf_job h, a, b;
	struct t_bufs want;
	uint32_t sa, sb, x;
	int fd2 = qd_open();

	ASSERT_GE(fd2, 0);
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_MEAN, &h));
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_REQUANTIZE, &a));
	ASSERT_EQ(0, qf_job_new(fd2, QACCEL_OP_LUT, &b));
	/* a: input 0 -> output 1 (x); b: LUT of x's first 8 bytes. */
	a.j.ent[1].flags = DRM_QACCEL_BUF_READ;
	x = qf_share(self->e.fd, a.j.bo[1].handle, fd2);
	ASSERT_NE(0, x);
	b.j.ent[0].handle = x;
	b.j.ent[0].flags = DRM_QACCEL_BUF_READ;
	ASSERT_EQ(0, qf_syncobj_create(self->e.fd, &sa));
	sb = qf_share_syncobj(self->e.fd, sa, fd2);
	ASSERT_NE(0, sb);

	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &h.j));
	a.j.sub.out_syncobj = sa;
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &a.j));
	b.j.sub.in_syncobj = sb;
	ASSERT_EQ(0, qd_job_submit(fd2, &b.j));
	ASSERT_EQ(0, qd_bo_wait(fd2, b.j.bo[1].handle, 20000 * QD_NS_PER_MS));
	ASSERT_EQ(0, qd_bo_wait(self->e.fd, a.j.bo[1].handle,
				20000 * QD_NS_PER_MS));
	EXPECT_EQ(0, memcmp(a.j.bo[1].map, a.want.v[1].ptr, a.want.sizes[1]));
	t_bufs_clone(&want, &b.b);
	memcpy(want.v[0].ptr, a.want.v[1].ptr, want.sizes[0]);
	ASSERT_EQ(0, qd_ref_run(&want, b.s.mem, b.s.size));
	EXPECT_EQ(0, memcmp(b.j.bo[1].map, want.v[1].ptr, want.sizes[1]))
		TH_LOG("b did not read what a wrote: it ran first");
	t_bufs_free(&want);
	qf_syncobj_destroy(self->e.fd, sa);
	qf_syncobj_destroy(fd2, sb);
	qd_gem_close(fd2, x);
	qf_job_free(self->e.fd, &h);
	qf_job_free(self->e.fd, &a);
	qf_job_free(fd2, &b);
	close(fd2);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/* A job waiting on a failed job's syncobj still runs (no propagation). */
TEST_F(sync, in_syncobj_of_a_failed_job)
{
	struct qf_job a, b;
	uint32_t s;

	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_PAD, &a));
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_COPY, &b));
	ASSERT_EQ(0, qf_syncobj_create(self->e.fd, &s));
	ASSERT_EQ(0, qf_param_set("fault_fail", 1));
	a.j.sub.out_syncobj = s;
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &a.j));
	b.j.sub.in_syncobj = s;
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &b.j));
	EXPECT_EQ(0, qf_job_check(self->e.fd, &b));
	qf_syncobj_destroy(self->e.fd, s);
	qf_job_free(self->e.fd, &a);
	qf_job_free(self->e.fd, &b);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

TEST_F_TIMEOUT(sync, bo_wait_timeouts, 60)
{
	struct drm_qaccel_bo_wait w;
	struct qd_bo idle;
	struct qf_job hung;
	int64_t t0, ms;

	ASSERT_EQ(0, qf_param_set("timeout_ms", 5000));
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_MAX_POOL_2D, &hung));
	ASSERT_EQ(0, qd_bo_create(self->e.fd, 4096, &idle));
	/* The input is only read: busy all the same until the job ends. */
	hung.j.ent[0].flags = DRM_QACCEL_BUF_READ;
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &hung.j));

	t0 = qd_now_ns();
	EXPECT_EQ(-ETIMEDOUT, qd_bo_wait(self->e.fd, hung.j.bo[1].handle,
					 200 * QD_NS_PER_MS));
	ms = (qd_now_ns() - t0) / QD_NS_PER_MS;
	EXPECT_GE(ms, 150) TH_LOG("gave up after %lld ms", (long long)ms);
	EXPECT_EQ(-ETIMEDOUT, qd_bo_wait(self->e.fd, hung.j.bo[0].handle,
					 50 * QD_NS_PER_MS));
	/* Absolute times already past: no waiting. */
	w = (struct drm_qaccel_bo_wait){ .handle = hung.j.bo[1].handle,
					 .timeout_ns = qd_now_ns() - 1000000000LL };
	EXPECT_EQ(-ETIMEDOUT, qd_ioctl(self->e.fd, DRM_IOCTL_QACCEL_BO_WAIT, &w));
	w.timeout_ns = 0;
	EXPECT_EQ(-ETIMEDOUT, qd_ioctl(self->e.fd, DRM_IOCTL_QACCEL_BO_WAIT, &w));
	w.timeout_ns = INT64_MIN;
	EXPECT_EQ(-ETIMEDOUT, qd_ioctl(self->e.fd, DRM_IOCTL_QACCEL_BO_WAIT, &w));
	/* Another buffer is idle whatever the timeout. */
	w.handle = idle.handle;
	EXPECT_EQ(0, qd_ioctl(self->e.fd, DRM_IOCTL_QACCEL_BO_WAIT, &w));

	/* Far in the future: returns when the job is stopped. */
	w = (struct drm_qaccel_bo_wait){ .handle = hung.j.bo[1].handle,
					 .timeout_ns = INT64_MAX };
	EXPECT_EQ(0, qd_ioctl(self->e.fd, DRM_IOCTL_QACCEL_BO_WAIT, &w));
	w.timeout_ns = 0;
	EXPECT_EQ(0, qd_ioctl(self->e.fd, DRM_IOCTL_QACCEL_BO_WAIT, &w));
	EXPECT_EQ(0, qd_job_wait(self->e.fd, &hung.j, -1000));
	qd_bo_free(self->e.fd, &idle);
	qf_job_free(self->e.fd, &hung);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

static void on_usr1(int sig)
{
	(void)sig;
}

/*
 * A signal ends a long BO_WAIT with EINTR (no SA_RESTART), and SIGKILL
 * ends a process blocked in one, both long before the job ends.
 */
TEST_F_TIMEOUT(sync, signals_interrupt_bo_wait, 60)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct drm_qaccel_bo_wait w;
	struct qf_job hung;
	int64_t t0, ms;
	pid_t pid, waiter;
	int status = 0, ret;

	ASSERT_EQ(0, qf_param_set("timeout_ms", 8000));
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_SOFTMAX_F32, &hung));
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &hung.j));
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));

	/* A child signals us while we wait (raw ioctl: drmIoctl restarts). */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		usleep(200000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	w = (struct drm_qaccel_bo_wait){ .handle = hung.j.bo[0].handle,
					 .timeout_ns = qd_now_ns() +
						       20000 * QD_NS_PER_MS };
	t0 = qd_now_ns();
	ret = ioctl(self->e.fd, DRM_IOCTL_QACCEL_BO_WAIT, &w);
	ms = (qd_now_ns() - t0) / QD_NS_PER_MS;
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINTR, errno);
	EXPECT_LT(ms, 6000) TH_LOG("returned after %lld ms", (long long)ms);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));

	/* A child blocked in BO_WAIT on our buffer (its own file) dies. */
	waiter = fork();
	ASSERT_GE(waiter, 0);
	if (!waiter) {
		int fd = qd_open();
		uint32_t h = fd < 0 ? 0 : qf_share(self->e.fd,
						      hung.j.bo[1].handle, fd);

		qd_bo_wait(fd, h, 20000 * QD_NS_PER_MS);
		_exit(3);
	}
	usleep(200000);
	t0 = qd_now_ns();
	ASSERT_EQ(0, kill(waiter, SIGKILL));
	ASSERT_EQ(waiter, waitpid(waiter, &status, 0));
	ms = (qd_now_ns() - t0) / QD_NS_PER_MS;
	EXPECT_TRUE(WIFSIGNALED(status)) TH_LOG("status 0x%x", status);
	EXPECT_LT(ms, 6000);

	ASSERT_EQ(0, qd_job_wait(self->e.fd, &hung.j, 20000));
	qf_job_free(self->e.fd, &hung);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/*
 * A SUBMIT waiting for room (the file full behind a hung job) ends with
 * EINTR when a signal arrives, long before the hang does; the child says
 * how it went in its exit status.
 */
TEST_F_TIMEOUT(sync, signals_interrupt_a_submit_waiting_for_room, 60)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int go[2], status = 0;
	pid_t pid;
	char c;

	ASSERT_EQ(0, qf_param_set("timeout_ms", 8000));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		int64_t ns = 0;
		int err;

		if (sigaction(SIGUSR1, &sa, NULL))
			_exit(1);
		err = qf_submit_until_error(go[1], &ns);
		_exit(!err ? 5 : err != EINTR ? 3 :
		      ns < 6000 * QD_NS_PER_MS ? 0 : 4);
	}
	ASSERT_EQ(1, read(go[0], &c, 1));
	usleep(300000);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status)) TH_LOG("status 0x%x", status);
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("3: not EINTR, 4: only when the hang ended, 5: never waited");
	close(go[0]);
	close(go[1]);
	EXPECT_EQ(0, qf_settled(&self->e.state, 30000));
}

TEST_HARNESS_MAIN
