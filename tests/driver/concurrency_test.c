// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: several submitters at once. Processes, each on its own file,
 * and threads sharing one file, all keep a few jobs of random opcodes in
 * flight; every job's every buffer byte is compared with the reference,
 * every file's statistics must count exactly its jobs, and afterwards
 * nothing is left behind. Also faults armed at random moments while they
 * submit (every fence outcome checked, the statistics matching them), and
 * a GEM close racing a SUBMIT of the same buffer.
 */
#include <pthread.h>
#include <sys/wait.h>

#include "qaccel_faults.h"

#include "kselftest_harness.h"

#define NPROC 4
#define PROC_JOBS 200
#define NTHREAD 4
#define THREAD_JOBS 60
#define WINDOW 4	/* jobs each submitter keeps in flight */

static uint32_t random_op(void)
{
	return 1 + t_rand() % (QACCEL_OP_COUNT - 1);
}

/*
 * Runs jobs[0..n) on fd, WINDOW in flight at a time, each built (random
 * opcode) just before its submit if build, else built already. Returns
 * the number of jobs that failed to submit or differ from the reference.
 */
static int run_jobs(int fd, struct qf_job *jobs, int n, bool build)
{
	int bad = 0;

	for (int i = 0; i < n + WINDOW; i++) {
		if (i >= WINDOW) {
			struct qf_job *q = &jobs[i - WINDOW];

			if (q->j.stream.handle && qf_job_check(fd, q)) {
				fprintf(stderr, "# job %d (%s) wrong\n",
					i - WINDOW, qaccel_opcode_name(q->op));
				bad++;
			}
			if (build)
				qf_job_free(fd, q);
		}
		if (i >= n)
			continue;
		if (build && qf_job_new(fd, random_op(), &jobs[i])) {
			bad++;
			continue;
		}
		if (qd_job_submit(fd, &jobs[i].j)) {
			fprintf(stderr, "# job %d: submit failed\n", i);
			qf_job_free(fd, &jobs[i]);
			bad++;
		}
	}
	return bad;
}

/* This file ran exactly n jobs, all completed. */
static int stats_count(int fd, uint64_t n)
{
	struct drm_qaccel_stats st;

	if (qd_stats(fd, &st))
		return 1;
	if (st.jobs_completed == n && !st.jobs_failed && !st.jobs_timed_out &&
	    st.engine_time_ns)
		return 0;
	fprintf(stderr, "# stats: %llu completed, %llu failed, %llu timed out, %llu ns; want %llu\n",
		(unsigned long long)st.jobs_completed,
		(unsigned long long)st.jobs_failed,
		(unsigned long long)st.jobs_timed_out,
		(unsigned long long)st.engine_time_ns, (unsigned long long)n);
	return 1;
}

static int child(int k, int go, uint64_t *unused)
{
	struct qf_job *jobs = calloc(PROC_JOBS, sizeof(*jobs));
	int fd = qd_open(), bad;
	char c;

	/* One seed for all (QACCEL_TEST_SEED replays the run), each its part. */
	t_seed_init(0x5eed0600);
	for (int i = 0; i < k * 100000; i++)
		t_rand();
	if (!k)
		fprintf(stderr, "# seed %llu\n", (unsigned long long)t_seed);
	if (fd < 0 || !jobs)
		return 100;
	/* All start together. */
	if (read(go, &c, 1) != 1)
		return 101;
	bad = run_jobs(fd, jobs, PROC_JOBS, true);
	if (!bad)
		bad = stats_count(fd, PROC_JOBS);
	close(fd);
	free(jobs);
	return bad > 99 ? 99 : bad;
}

/*
 * Forks NPROC children running fn(k, fd to wait on for the start, out + k
 * or NULL) and lets them all start at once. 0, or -1 if a fork failed.
 */
static int start_children(pid_t *pid, int (*fn)(int, int, uint64_t *),
			  uint64_t *out)
{
	int go[2];

	if (pipe(go))
		return -1;
	for (int k = 0; k < NPROC; k++) {
		pid[k] = fork();
		if (pid[k] < 0)
			return -1;
		if (!pid[k]) {
			close(go[1]);
			_exit(fn(k, go[0], out ? out + k : NULL));
		}
	}
	close(go[0]);
	if (write(go[1], "gggggggggggggggg", NPROC) != NPROC)
		return -1;
	close(go[1]);
	return 0;
}

TEST(processes_submit_at_once)
{
	struct qf_state state = { 0 };
	pid_t pid[NPROC];
	int status;

	QF_NEED_ROOT();
	ASSERT_EQ(0, qf_state_baseline(&state)) TH_LOG("no qaccel_state");
	ASSERT_EQ(0, start_children(pid, child, NULL));
	for (int k = 0; k < NPROC; k++) {
		ASSERT_EQ(pid[k], waitpid(pid[k], &status, 0));
		EXPECT_TRUE(WIFEXITED(status)) TH_LOG("process %d: 0x%x", k,
						       status);
		EXPECT_EQ(0, WEXITSTATUS(status))
			TH_LOG("process %d: %d jobs wrong", k,
			       WEXITSTATUS(status));
	}
	EXPECT_EQ(0, qf_settled(&state, 10000));
}

struct thread_arg {
	int fd;
	struct qf_job *jobs;
	int bad;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;

	a->bad = run_jobs(a->fd, a->jobs, THREAD_JOBS, false);
	return NULL;
}

/* Threads on one file: one scheduler entity fed from several CPUs. */
TEST(threads_share_one_file)
{
	struct qf_job *jobs = calloc(NTHREAD * THREAD_JOBS, sizeof(*jobs));
	struct thread_arg arg[NTHREAD];
	pthread_t th[NTHREAD];
	struct qf_state state = { 0 };
	int fd;

	QF_NEED_ROOT();
	ASSERT_EQ(0, qf_state_baseline(&state)) TH_LOG("no qaccel_state");
	fd = qd_open();
	ASSERT_GE(fd, 0);
	ASSERT_NE(NULL, jobs);
	t_seed_init(0x5eed0610);
	TH_LOG("seed %llu", (unsigned long long)t_seed);
	/* Built here: the generator is not for threads. */
	for (int i = 0; i < NTHREAD * THREAD_JOBS; i++)
		ASSERT_EQ(0, qf_job_new(fd, random_op(), &jobs[i]));
	for (int t = 0; t < NTHREAD; t++) {
		arg[t] = (struct thread_arg){ fd, jobs + t * THREAD_JOBS, 0 };
		ASSERT_EQ(0, pthread_create(&th[t], NULL, thread_main, &arg[t]));
	}
	for (int t = 0; t < NTHREAD; t++) {
		ASSERT_EQ(0, pthread_join(th[t], NULL));
		EXPECT_EQ(0, arg[t].bad) TH_LOG("thread %d", t);
	}
	EXPECT_EQ(0, stats_count(fd, NTHREAD * THREAD_JOBS));
	for (int i = 0; i < NTHREAD * THREAD_JOBS; i++)
		qf_job_free(fd, &jobs[i]);
	free(jobs);
	close(fd);
	EXPECT_EQ(0, qf_settled(&state, 10000));
}

#define CHAOS_JOBS 100

/*
 * A submitter that does not know which of its jobs will take a fault:
 * every job has its own out-syncobj; a job whose fence is clean must
 * match the reference, one with -EIO or -ETIMEDOUT is counted as such,
 * and GET_STATS must agree with those counts exactly.
 */
static int chaos_child(int k, int go, uint64_t *faults_seen)
{
	struct qf_job q[WINDOW];
	uint32_t sync[WINDOW];
	uint64_t ok = 0, failed = 0, timed_out = 0;
	struct drm_qaccel_stats st;
	int fd = qd_open(), bad = 0;
	char c;

	t_seed_init(0x5eed0630);
	for (int i = 0; i < k * 100000; i++)
		t_rand();
	if (fd < 0 || read(go, &c, 1) != 1)
		return 100;
	for (int s = 0; s < WINDOW; s++)
		if (qf_syncobj_create(fd, &sync[s]))
			return 101;
	for (int i = 0; i < CHAOS_JOBS + WINDOW; i++) {
		int s = i % WINDOW, status = 0;

		if (i >= WINDOW) {
			if (qd_job_wait(fd, &q[s].j, 30000) ||
			    qf_syncobj_status(fd, sync[s], &status))
				bad++;
			else if (status == 1 && qf_job_check(fd, &q[s]))
				bad++;
			else if (status == 1)
				ok++;
			else if (status == -EIO)
				failed++;
			else if (status == -ETIMEDOUT)
				timed_out++;
			else
				bad++;
			qf_job_free(fd, &q[s]);
		}
		if (i >= CHAOS_JOBS)
			continue;
		if (qf_job_new(fd, random_op(), &q[s]))
			return 102;
		q[s].j.sub.out_syncobj = sync[s];
		if (qd_job_submit(fd, &q[s].j))
			return 103;
	}
	if (qd_stats(fd, &st) || st.jobs_completed != ok ||
	    st.jobs_failed != failed || st.jobs_timed_out != timed_out) {
		fprintf(stderr, "# process %d: saw %llu/%llu/%llu, stats %llu/%llu/%llu\n",
			k, (unsigned long long)ok, (unsigned long long)failed,
			(unsigned long long)timed_out,
			(unsigned long long)st.jobs_completed,
			(unsigned long long)st.jobs_failed,
			(unsigned long long)st.jobs_timed_out);
		bad++;
	}
	*faults_seen = failed + timed_out;
	close(fd);
	return bad > 99 ? 99 : bad;
}

/* Faults injected at random moments while four processes submit. */
TEST(faults_while_processes_submit)
{
	struct qf_state state = { 0 };
	long timeout_ms = 500;
	pid_t pid[NPROC];
	int status;
	uint64_t *seen, total = 0;
	int fd;

	QF_NEED_ROOT();
	seen = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, seen);
	qf_faults_off();
	ASSERT_EQ(0, qf_state_baseline(&state)) TH_LOG("no qaccel_state");
	ASSERT_EQ(0, qf_param_get("timeout_ms", &timeout_ms));
	ASSERT_EQ(0, qf_param_set("timeout_ms", 100));
	ASSERT_EQ(0, start_children(pid, chaos_child, seen));
	t_seed_init(0x5eed0631);
	for (int i = 0; i < 12; i++) {
		usleep(20000 + t_rand() % 60000);
		qf_param_set(i % 4 ? "fault_fail" : "fault_hang", 1);
	}
	for (int k = 0; k < NPROC; k++) {
		ASSERT_EQ(pid[k], waitpid(pid[k], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("process %d: status 0x%x", k, status);
		total += seen[k];
	}
	/* Each fault armed is taken by one job at most; most are taken. */
	TH_LOG("%llu jobs took a fault", (unsigned long long)total);
	EXPECT_GT(total, 0);
	EXPECT_LE(total, 12);
	munmap(seen, 4096);
	qf_faults_off();
	qf_param_set("timeout_ms", timeout_ms);
	fd = qd_open();
	ASSERT_GE(fd, 0);
	EXPECT_EQ(0, qf_canary(fd));
	close(fd);
	EXPECT_EQ(0, qf_settled(&state, 10000));
}

struct closer {
	int fd;
	uint32_t handle;
	useconds_t delay;
};

static void *close_later(void *p)
{
	struct closer *c = p;

	usleep(c->delay);
	qd_gem_close(c->fd, c->handle);
	return NULL;
}

/*
 * One thread submits a job over and over while another closes one of its
 * buffers: each SUBMIT either takes the buffer (and the job runs) or
 * finds no such handle; nothing else, and nothing leaks.
 */
TEST(close_races_submit)
{
	struct qf_state state = { 0 };
	struct drm_qaccel_stats st;
	uint64_t accepted = 0;
	int fd, other = 0;

	QF_NEED_ROOT();
	ASSERT_EQ(0, qf_state_baseline(&state)) TH_LOG("no qaccel_state");
	fd = qd_open();
	ASSERT_GE(fd, 0);
	t_seed_init(0x5eed0620);
	for (int round = 0; round < 20; round++) {
		struct qf_job q;
		struct closer c;
		pthread_t th;

		ASSERT_EQ(0, qf_job_new(fd, random_op(), &q));
		c = (struct closer){ fd, q.j.ent[t_rand() % q.j.n].handle,
				     t_rand() % 3000 };
		ASSERT_EQ(0, pthread_create(&th, NULL, close_later, &c));
		for (int i = 0; i < 50; i++) {
			int ret = qd_job_submit(fd, &q.j);

			if (!ret)
				accepted++;
			else if (ret != -ENOENT)
				other++;
		}
		ASSERT_EQ(0, pthread_join(th, NULL));
		/* The closed handle is gone: free the rest by hand. */
		for (uint32_t i = 0; i < q.j.n; i++)
			if (q.j.bo[i].handle == c.handle)
				q.j.bo[i].handle = 0;
		qf_job_free(fd, &q);
	}
	EXPECT_EQ(0, other);
	EXPECT_EQ(0, qf_jobs_settle(0, 20000));
	ASSERT_EQ(0, qd_stats(fd, &st));
	EXPECT_EQ(accepted, st.jobs_completed);
	EXPECT_GT(accepted, 0);
	close(fd);
	EXPECT_EQ(0, qf_settled(&state, 10000));
}

TEST_HARNESS_MAIN
