// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: a process killed mid-job. A child opens the device, submits
 * (a hung job, a queue behind it, a job that takes a while, buffers
 * mapped, shared and waited on) and is SIGKILLed; once the scheduler has
 * dealt with its jobs, debugfs must show every buffer, job and file of it
 * gone, and the device must still run jobs bit-exact. A child that simply
 * exits with jobs in flight, or closes its file with a queue, likewise;
 * also one blocked in a SUBMIT waiting for room, one using its parent's
 * file, four at once beside a survivor whose jobs must come out right,
 * and handles closed while their jobs are queued.
 */
#include <signal.h>
#include <sys/wait.h>

#include "qaccel_faults.h"

#include "kselftest_harness.h"

FIXTURE(kill) {
	struct qf_env e;
};

FIXTURE_SETUP(kill)
{
	QF_NEED_ROOT();
	ASSERT_EQ(0, qf_env_open(&self->e, 0x5eed0501));
}

FIXTURE_TEARDOWN(kill)
{
	qf_env_close(&self->e);
}

/* What the child does before it tells the parent it is ready. */
enum child_plan {
	HUNG,		/* one hung job */
	HUNG_QUEUE,	/* a hung job, 30 queued behind it, syncobjs, maps */
	BUSY,		/* jobs that keep the engine busy a while */
	EXIT,		/* 30 jobs, then exit without closing anything */
	CLOSE,		/* 30 jobs, then close the file and exit */
};

/*
 * A convolution of about five million multiply-adds: long enough to be
 * on the engine when the kill comes. Nobody checks its result.
 */
static int big_conv_job(int fd, struct qf_job *q)
{
	union sb_cmd u;
	struct qaccel_cmd_conv2d *c = &u.conv;

	memset(q, 0, sizeof(*q));
	q->op = QACCEL_OP_CONV_2D;
	memset(&u, 0, sizeof(u));
	u.hdr.opcode = QACCEL_OP_CONV_2D;
	u.hdr.size = sizeof(*c);
	t_tensor(&q->b, &c->input, 1, 24, 24, 32, 1);
	t_tensor(&q->b, &c->filter, 32, 3, 3, 32, 0);
	t_tensor(&q->b, &c->output, 1, 24, 24, 32, -3);
	c->bias.buf = t_buf_new(&q->b, 32 * 4);
	sb_requant(&q->b, &c->requant, 32);
	c->win = (struct qaccel_window){ 1, 1, 1, 1, 1, 1 };
	c->clamp = sb_clamp;
	sb_init(&q->s);
	sb_add(&q->s, &u.hdr);
	return qd_job_upload(fd, &q->b, q->s.mem, q->s.size, &q->j);
}

static int child_work(enum child_plan plan, int ready)
{
	int fd = qd_open(), dfd = -1;
	struct qf_job q[31];
	uint32_t sync;
	int n = plan == HUNG ? 1 : plan == BUSY ? 8 : 31;

	if (fd < 0)
		return 10;
	for (int i = 0; i < n; i++) {
		int ret = plan == BUSY ? big_conv_job(fd, &q[i]) :
			  qf_job_new(fd, QACCEL_OP_CONV_2D + i % 13, &q[i]);

		if (ret)
			return 11;
	}
	if (qf_syncobj_create(fd, &sync))
		return 12;
	if (drmPrimeHandleToFD(fd, q[0].j.bo[0].handle, DRM_CLOEXEC, &dfd))
		return 13;
	for (int i = 0; i < n; i++) {
		/* Every job in a chain of the one syncobj. */
		q[i].j.sub.in_syncobj = i ? sync : 0;
		q[i].j.sub.out_syncobj = sync;
		if (qd_job_submit(fd, &q[i].j))
			return 14;
	}
	if (plan == CLOSE)
		close(fd);
	if (write(ready, "r", 1) != 1)
		return 15;
	if (plan == EXIT || plan == CLOSE)
		_exit(0);
	for (;;)
		pause();
}

/*
 * Runs the plan in a child (SIGKILLed once ready, unless it exits by
 * itself), then checks that the device is back to the state before and
 * still computes correctly.
 */
static void run_child(struct __test_metadata *_metadata,
		      FIXTURE_DATA(kill) *self, enum child_plan plan,
		      int hang, int delay_ms)
{
	int pipefd[2], status = 0;
	char c = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, qf_param_set("fault_hang", hang));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		close(pipefd[0]);
		_exit(child_work(plan, pipefd[1]));
	}
	close(pipefd[1]);
	ASSERT_EQ(1, read(pipefd[0], &c, 1)) TH_LOG("the child failed early");
	close(pipefd[0]);
	if (delay_ms)
		usleep(delay_ms * 1000);
	if (plan != EXIT && plan != CLOSE)
		ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (plan == EXIT || plan == CLOSE) {
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	} else {
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			TH_LOG("child status 0x%x", status);
	}
	/* At the latest, the hung job ends with its timeout. */
	EXPECT_EQ(0, qf_settled(&self->e.state,
				10000 + 4 * (int)self->e.timeout_ms));
	EXPECT_EQ(0, qf_canary(self->e.fd));
}

TEST_F_TIMEOUT(kill, killed_while_its_job_hangs, 60)
{
	run_child(_metadata, self, HUNG, 1, 0);
}

TEST_F_TIMEOUT(kill, killed_with_a_queue_behind_a_hang, 60)
{
	run_child(_metadata, self, HUNG_QUEUE, 1, 0);
}

TEST_F_TIMEOUT(kill, killed_while_the_engine_computes, 60)
{
	run_child(_metadata, self, BUSY, 0, 20);
}

TEST_F_TIMEOUT(kill, exits_with_jobs_in_flight, 60)
{
	run_child(_metadata, self, EXIT, 0, 0);
}

TEST_F_TIMEOUT(kill, closes_with_jobs_in_flight, 60)
{
	run_child(_metadata, self, CLOSE, 0, 0);
}

/* Several killed at once, one of them hung, beside a survivor. */
TEST_F_TIMEOUT(kill, four_killed_at_once, 90)
{
	struct qf_job mine[16];
	pid_t pid[4];
	int pipefd[2];

	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	for (int i = 0; i < 4; i++) {
		pid[i] = fork();
		ASSERT_GE(pid[i], 0);
		if (!pid[i]) {
			close(pipefd[0]);
			t_seed_init(0x5eed0510 + i);
			_exit(child_work(i ? BUSY : HUNG_QUEUE, pipefd[1]));
		}
	}
	close(pipefd[1]);
	for (int i = 0; i < 4; i++) {
		char c;

		ASSERT_EQ(1, read(pipefd[0], &c, 1));
	}
	close(pipefd[0]);
	/* A survivor's jobs, queued among theirs, must come out right. */
	for (int i = 0; i < 16; i++) {
		ASSERT_EQ(0, qf_job_new(self->e.fd, 1 + i, &mine[i]));
		ASSERT_EQ(0, qd_job_submit(self->e.fd, &mine[i].j));
	}
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, kill(pid[i], SIGKILL));
	for (int i = 0; i < 4; i++) {
		int status = 0;

		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status));
	}
	for (int i = 0; i < 16; i++) {
		EXPECT_EQ(0, qf_job_check(self->e.fd, &mine[i])) TH_LOG("job %d", i);
		qf_job_free(self->e.fd, &mine[i]);
	}
	EXPECT_EQ(0, qf_settled(&self->e.state,
				20000 + 4 * (int)self->e.timeout_ms));
	EXPECT_EQ(0, qf_canary(self->e.fd));
}

/*
 * Every handle closed and unmapped right after SUBMIT, the jobs still
 * queued: they run on the buffers they hold, which go away after them.
 */
TEST_F_TIMEOUT(kill, handles_closed_while_jobs_are_queued, 60)
{
	struct qf_job q[20];
	uint32_t last;
	int status = 0;

	ASSERT_EQ(0, qf_syncobj_create(self->e.fd, &last));
	for (int i = 0; i < 20; i++) {
		ASSERT_EQ(0, qf_job_new(self->e.fd, 1 + i % 16, &q[i]));
		q[i].j.sub.out_syncobj = last;
		ASSERT_EQ(0, qd_job_submit(self->e.fd, &q[i].j));
		qf_job_free(self->e.fd, &q[i]);
	}
	ASSERT_EQ(0, qf_syncobj_wait(self->e.fd, last, 20000));
	ASSERT_EQ(0, qf_syncobj_status(self->e.fd, last, &status));
	EXPECT_EQ(1, status);
	qf_syncobj_destroy(self->e.fd, last);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
	EXPECT_EQ(0, qf_canary(self->e.fd));
}

/*
 * A child using its parent's open file (inherited by fork) is killed
 * mid-job: the file lives on in the parent, the child's jobs are counted
 * in it, and the parent keeps using it.
 */
TEST_F_TIMEOUT(kill, killed_child_sharing_the_parents_file, 60)
{
	struct drm_qaccel_stats st;
	struct qf_job q[8];
	int go[2], status = 0;
	pid_t pid;
	char c;

	for (int i = 0; i < 8; i++)
		ASSERT_EQ(0, qf_job_new(self->e.fd, 1 + i, &q[i]));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		for (int i = 0; i < 8; i++)
			if (qd_job_submit(self->e.fd, &q[i].j))
				_exit(1);
		if (write(go[1], "s", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	ASSERT_EQ(1, read(go[0], &c, 1));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(go[0]);
	close(go[1]);
	/* The hung one times out; the seven behind it run, bit-exact. */
	for (int i = 1; i < 8; i++) {
		EXPECT_EQ(0, qf_job_check(self->e.fd, &q[i])) TH_LOG("job %d", i);
	}
	ASSERT_EQ(0, qd_job_wait(self->e.fd, &q[0].j, 20000));
	ASSERT_EQ(0, qd_stats(self->e.fd, &st));
	EXPECT_EQ(7, st.jobs_completed);
	EXPECT_EQ(1, st.jobs_timed_out);
	EXPECT_EQ(0, qf_canary(self->e.fd));
	for (int i = 0; i < 8; i++)
		qf_job_free(self->e.fd, &q[i]);
	EXPECT_EQ(0, qf_settled(&self->e.state, 10000));
}

/*
 * A child blocked in SUBMIT (its file full behind its own hung job: SUBMIT
 * waits for room) is killed: it dies long before the hang would time out
 * (Linux 6.1's scheduler makes a killed file wait for the dependencies of
 * its dropped jobs, so the driver must stop the hung one itself), and it
 * leaves nothing behind.
 */
TEST_F_TIMEOUT(kill, killed_while_blocked_in_submit, 60)
{
	int go[2], status = 0;
	int64_t t0, ms;
	pid_t pid;
	char c;

	ASSERT_EQ(0, qf_param_set("timeout_ms", 10000));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		int64_t ns;

		qf_submit_until_error(go[1], &ns);
		_exit(4);
	}
	ASSERT_EQ(1, read(go[0], &c, 1));
	usleep(100000);
	t0 = qd_now_ns();
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ms = (qd_now_ns() - t0) / QD_NS_PER_MS;
	EXPECT_TRUE(WIFSIGNALED(status)) TH_LOG("child status 0x%x", status);
	EXPECT_LT(ms, 6000) TH_LOG("%lld ms to die", (long long)ms);
	close(go[0]);
	close(go[1]);
	EXPECT_EQ(0, qf_settled(&self->e.state, 30000));
	EXPECT_EQ(0, qf_canary(self->e.fd));
}

TEST_HARNESS_MAIN
