/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Helpers for the driver's robustness tests (bad input, faults, killed
 * processes, concurrency, fuzzing): the module's fault-injection
 * parameters, the device-wide counters in debugfs (qaccel_state), a
 * "canary" job that proves the device still computes correctly, and thin
 * syncobj wrappers, including the error a fence was signalled with.
 */
#ifndef QACCEL_TEST_FAULTS_H
#define QACCEL_TEST_FAULTS_H

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <linux/sync_file.h>

#include "qaccel_dev.h"

#define QF_PARAMS "/sys/module/qaccel/parameters/"
#define QF_DEBUGFS_DRI "/sys/kernel/debug/dri"

/*
 * In a test or fixture setup: these tests write module parameters and
 * read debugfs, which only root may; anyone else gets a SKIP that says so
 * (the VM runs them as root, where a missing file is a failure). The
 * harness of Linux 6.1 runs a test's body even after its setup skipped,
 * so the test's process ends here, with the status it reads as SKIP.
 */
#define QF_NEED_ROOT() do {						\
	if (geteuid())							\
		SKIP(_exit(255), "needs root (module parameters, debugfs)"); \
} while (0)

/* Writes a module parameter; 0 or -errno. */
static inline int qf_param_set(const char *name, long value)
{
	char path[128];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), QF_PARAMS "%s", name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	if (fprintf(f, "%ld\n", value) < 0)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/* Reads a module parameter into *value; 0 or -errno. */
static inline int qf_param_get(const char *name, long *value)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), QF_PARAMS "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	ret = fscanf(f, "%ld", value) == 1 ? 0 : -EIO;
	fclose(f);
	return ret;
}

/* Puts the fault knobs back to "no faults" (tests call it on teardown). */
static inline void qf_faults_off(void)
{
	qf_param_set("fault_hang", 0);
	qf_param_set("fault_fail", 0);
}

/* Path of the qaccel device's qaccel_state in debugfs, or "" if none. */
static inline const char *qf_state_path(void)
{
	static char path[300];
	struct dirent *d;
	DIR *dir;

	if (path[0])
		return path;
	dir = opendir(QF_DEBUGFS_DRI);
	if (!dir)
		return path;
	while ((d = readdir(dir))) {
		char p[300];

		if (d->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), QF_DEBUGFS_DRI "/%s/qaccel_state",
			 d->d_name);
		if (!access(p, R_OK)) {
			memcpy(path, p, sizeof(path));
			break;
		}
	}
	closedir(dir);
	return path;
}

/* The value of one `key value` line of qaccel_state; 0 or -errno. */
static inline int qf_state_get(const char *key, long long *value)
{
	const char *path = qf_state_path();
	char line[256], k[64];
	long long v;
	int ret = -ENOENT;
	FILE *f;

	if (!path[0])
		return -ENODEV;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	/* Line by line: other lines may hold other kinds of values. */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lld", k, &v) == 2 && !strcmp(k, key)) {
			*value = v;
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* The device-wide counters the contract names. */
struct qf_state {
	long long bos, jobs, files, resets;
};

static inline int qf_state_read(struct qf_state *s)
{
	int ret = qf_state_get("bos", &s->bos);

	if (!ret)
		ret = qf_state_get("jobs", &s->jobs);
	if (!ret)
		ret = qf_state_get("files", &s->files);
	if (!ret)
		ret = qf_state_get("resets", &s->resets);
	return ret;
}

/*
 * Polls until bos, jobs and files are back to those of want (jobs and
 * objects are freed by the scheduler's workers, a little after their
 * fences signal), for up to timeout_ms. 0 when they are; otherwise
 * -ETIMEDOUT with *got holding the last reading.
 */
static inline int qf_state_settle(const struct qf_state *want,
				  struct qf_state *got, int timeout_ms)
{
	int64_t end = qd_now_ns() + (int64_t)timeout_ms * QD_NS_PER_MS;

	for (;;) {
		int ret = qf_state_read(got);

		if (ret)
			return ret;
		if (got->bos == want->bos && got->jobs == want->jobs &&
		    got->files == want->files)
			return 0;
		if (qd_now_ns() > end)
			return -ETIMEDOUT;
		usleep(10000);
	}
}

/* Polls until debugfs counts want jobs (they are freed asynchronously). */
static inline int qf_jobs_settle(long long want, int timeout_ms)
{
	int64_t end = qd_now_ns() + (int64_t)timeout_ms * QD_NS_PER_MS;
	long long jobs = -1;

	while (!qf_state_get("jobs", &jobs) && jobs != want) {
		if (qd_now_ns() > end)
			return -ETIMEDOUT;
		usleep(10000);
	}
	return jobs == want ? 0 : -EIO;
}

/*
 * The counters a test starts from: once the jobs of earlier tests (of
 * this or an earlier program, all finished) have been freed, which the
 * scheduler does a little after their fences signal.
 */
static inline int qf_state_baseline(struct qf_state *s)
{
	qf_jobs_settle(0, 5000);
	return qf_state_read(s);
}

#define QF_STATE_FMT "bos %lld jobs %lld files %lld resets %lld"
#define QF_STATE_ARGS(s) (s).bos, (s).jobs, (s).files, (s).resets

/* qf_state_settle(), saying what is left over when it fails. */
static inline int qf_settled(const struct qf_state *want, int timeout_ms)
{
	struct qf_state got = { 0 };
	int ret = qf_state_settle(want, &got, timeout_ms);

	if (ret)
		fprintf(stderr, "# debugfs: " QF_STATE_FMT ", was " QF_STATE_FMT
			" (%d)\n", QF_STATE_ARGS(got), QF_STATE_ARGS(*want), ret);
	return ret;
}

/*
 * What a test of faults starts from: no fault armed, an open file, the
 * device's counters and the timeout as they were. 0 or -errno.
 */
struct qf_env {
	int fd;
	struct qf_state state;
	long timeout_ms;
};

static inline int qf_env_open(struct qf_env *e, uint64_t seed)
{
	int ret;

	t_seed_init(seed);
	qf_faults_off();
	e->fd = qd_open();
	if (e->fd < 0) {
		fprintf(stderr, "# no qaccel render node in /dev/dri\n");
		return -ENODEV;
	}
	ret = qf_state_baseline(&e->state);
	if (ret)
		fprintf(stderr, "# no qaccel_state in debugfs\n");
	if (!ret)
		ret = qf_param_get("timeout_ms", &e->timeout_ms);
	return ret;
}

static inline void qf_env_close(struct qf_env *e)
{
	qf_faults_off();
	if (e->timeout_ms)
		qf_param_set("timeout_ms", e->timeout_ms);
	close(e->fd);
}

/* A fresh t_bufs and one-command stream of opcode op, random data. */
static inline void qf_one_cmd(uint32_t op, struct t_bufs *b,
			      struct sb_stream *s)
{
	union sb_cmd c;

	memset(b, 0, sizeof(*b));
	sb_valid_cmd(op, b, &c);
	sb_init(s);
	sb_add(s, &c.hdr);
}

/* A small job with random inputs and the outputs the reference gives. */
struct qf_job {
	struct t_bufs b;	/* inputs, as uploaded */
	struct t_bufs want;	/* every buffer after the reference ran */
	struct sb_stream s;
	struct qd_job j;
	uint32_t op;
};

/* Builds and uploads a one-command job of opcode op; 0 or -errno. */
static inline int qf_job_new(int fd, uint32_t op, struct qf_job *q)
{
	int ret;

	memset(q, 0, sizeof(*q));
	q->op = op;
	qf_one_cmd(op, &q->b, &q->s);
	t_bufs_clone(&q->want, &q->b);
	ret = qd_ref_run(&q->want, q->s.mem, q->s.size);
	if (!ret)
		ret = qd_job_upload(fd, &q->b, q->s.mem, q->s.size, &q->j);
	return ret;
}

static inline void qf_job_free(int fd, struct qf_job *q)
{
	qd_job_free(fd, &q->j);
	t_bufs_free(&q->want);
	t_bufs_free(&q->b);
	sb_free(&q->s);
}

/*
 * Waits for the job's buffers and compares them with the reference: 0
 * when every byte matches, 1 on a mismatch (logged), or BO_WAIT's -errno.
 */
static inline int qf_job_check(int fd, struct qf_job *q)
{
	uint64_t at = 0;
	int ret = qd_job_wait(fd, &q->j, 20000), bad;

	if (ret)
		return ret;
	bad = qd_job_compare(&q->j, &q->want, &at);
	if (bad < 0)
		return 0;
	fprintf(stderr, "# %s job: buffer %d differs at byte %llu\n",
		qaccel_opcode_name(q->op), bad, (unsigned long long)at);
	return 1;
}

/*
 * Runs one small job of opcode op on fd and compares every output byte
 * with the reference: 0 when it matches; 1 on a mismatch; otherwise the
 * -errno of the first ioctl that failed.
 */
static inline int qf_canary_op(int fd, uint32_t op)
{
	struct qf_job q;
	int ret = qf_job_new(fd, op, &q);

	if (!ret)
		ret = qd_job_submit(fd, &q.j);
	if (!ret)
		ret = qf_job_check(fd, &q);
	if (ret)
		fprintf(stderr, "# canary %s: %d\n", qaccel_opcode_name(op), ret);
	qf_job_free(fd, &q);
	return ret;
}

/* The device still works: a conv and a requantize, both bit-exact. */
static inline int qf_canary(int fd)
{
	int ret = qf_canary_op(fd, QACCEL_OP_CONV_2D);

	return ret ? ret : qf_canary_op(fd, QACCEL_OP_REQUANTIZE);
}

/*
 * The handle in file `to` of buffer `handle` of file `from` (through a
 * dma-buf); 0 on error.
 */
static inline uint32_t qf_share(int from, uint32_t handle, int to)
{
	uint32_t out = 0;
	int dfd;

	if (drmPrimeHandleToFD(from, handle, DRM_CLOEXEC | DRM_RDWR, &dfd))
		return 0;
	if (drmPrimeFDToHandle(to, dfd, &out))
		out = 0;
	close(dfd);
	return out;
}

/* The handle in file `to` of syncobj `handle` of file `from`; 0 on error. */
static inline uint32_t qf_share_syncobj(int from, uint32_t handle, int to)
{
	uint32_t out = 0;
	int sfd;

	if (drmSyncobjHandleToFD(from, handle, &sfd))
		return 0;
	if (drmSyncobjFDToHandle(to, sfd, &out))
		out = 0;
	close(sfd);
	return out;
}

/*
 * For a child process: opens the device and submits one small job 1000
 * times (more than a file may have queued, so behind a hang armed by the
 * caller the last ones wait for room), with raw ioctls (drmIoctl() would
 * restart an interrupted one). After 200 it writes a byte to ready. Returns
 * the errno of the first SUBMIT that failed, 0 if none did, -1 if the
 * setup failed; *since_ready_ns gets the time from ready to then.
 */
static inline int qf_submit_until_error(int ready, int64_t *since_ready_ns)
{
	int fd = qd_open();
	int64_t t0 = 0;
	struct qf_job q;

	if (fd < 0 || qf_job_new(fd, QACCEL_OP_LUT, &q))
		return -1;
	for (int i = 0; i < 1000; i++) {
		if (i == 200) {
			t0 = qd_now_ns();
			if (write(ready, "r", 1) != 1)
				return -1;
		}
		if (ioctl(fd, DRM_IOCTL_QACCEL_SUBMIT, &q.j.sub)) {
			*since_ready_ns = qd_now_ns() - t0;
			return errno;
		}
	}
	return 0;
}

/* Syncobjs: 0 or -errno, like the rest of the wrappers. */
static inline int qf_syncobj_create(int fd, uint32_t *handle)
{
	return drmSyncobjCreate(fd, 0, handle) ? -errno : 0;
}

static inline int qf_syncobj_destroy(int fd, uint32_t handle)
{
	return drmSyncobjDestroy(fd, handle) ? -errno : 0;
}

/* Waits for the syncobj's fence to signal, rel_ms from now. */
static inline int qf_syncobj_wait(int fd, uint32_t handle, int64_t rel_ms)
{
	uint32_t h = handle;

	return drmSyncobjWait(fd, &h, 1, qd_now_ns() + rel_ms * QD_NS_PER_MS,
			      0, NULL) ? -errno : 0;
}

/*
 * The state of the syncobj's fence as its sync_file tells it: 0 pending,
 * 1 signalled, a negative errno when signalled with that error. *status
 * gets it; the return value is 0 or the -errno of the export.
 */
static inline int qf_syncobj_status(int fd, uint32_t handle, int *status)
{
	struct sync_file_info info;
	int sfd, ret = 0;

	if (drmSyncobjExportSyncFile(fd, handle, &sfd))
		return -errno;
	memset(&info, 0, sizeof(info));
	if (ioctl(sfd, SYNC_IOC_FILE_INFO, &info))
		ret = -errno;
	else
		*status = info.status;
	close(sfd);
	return ret;
}

#endif /* QACCEL_TEST_FAULTS_H */
