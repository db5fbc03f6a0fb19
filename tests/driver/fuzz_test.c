// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: an ioctl fuzzer. Thousands of argument structs, random or
 * mutated from valid ones (handles of this file, of another file, closed
 * and made up; good, unmapped, kernel and guard-page pointers; sizes and
 * offsets at and past every limit; flipped bits; command streams with
 * words overwritten), thrown at every qaccel ioctl, GEM close and PRIME,
 * and at ioctl numbers the driver does not have. Seeded: the seed is
 * printed and QACCEL_TEST_SEED replays a run.
 *
 * Every call must return 0 or one of the errnos the uAPI documents; a
 * valid template must be accepted; afterwards every accepted job is
 * counted exactly once in GET_STATS, the device still computes bit-exact,
 * and once everything is closed debugfs shows nothing left behind.
 */
#include <sys/wait.h>

#include "qaccel_faults.h"

#include "kselftest_harness.h"

#define ITERATIONS 10000
#define NTEMPL 8
#define NEXTRA 24
#define FUZZ_STREAM (64 * 1024)
#define KERNEL_PTR 0xffffffff81000000ull

struct fuzz {
	int fd, fd2;
	struct qf_job t[NTEMPL];	/* valid jobs: the templates */
	uint32_t closed[4];		/* handles closed again */
	uint32_t extra[NEXTRA];		/* buffers the fuzzer made */
	struct qd_bo stream;		/* where mutated streams go */
	uint32_t sync, sync_empty;
	uint8_t *scratch;		/* 2 rw pages, then PROT_NONE */
	uint8_t *none;
	uint64_t max_bo;
	uint64_t accepted;		/* SUBMITs that returned 0 */
	unsigned int calls, unexpected;
};

static int allowed(int ret)
{
	switch (ret) {
	case 0: case -EINVAL: case -EFAULT: case -ENOMEM: case -ENOENT:
	case -E2BIG: case -EOVERFLOW: case -ETIMEDOUT: case -EBADF:
		return 1;
	default:
		return 0;
	}
}

static void note(struct fuzz *f, const char *what, int ret)
{
	f->calls++;
	if (allowed(ret))
		return;
	if (f->unexpected++ < 10)
		printf("# call %u (%s): unexpected %d\n", f->calls, what, ret);
}

static uint64_t pick_u64(void)
{
	static const uint64_t edge[] = {
		0, 1, 7, 8, 4095, 4096, 4097, 0x7fffffff, 0x80000000,
		0xffffffff, 0x100000000ull, 1ull << 40, ~0ull, ~0ull - 4095,
		0x8000000000000000ull,
	};

	switch (t_rand() % 4) {
	case 0:
		return edge[t_rand() % (sizeof(edge) / sizeof(edge[0]))];
	case 1:
		return t_rand() % 64;
	case 2:
		return (uint64_t)t_rand() >> t_range(0, 31);
	default:
		return t_rand64();
	}
}

static uint32_t pick_u32(void)
{
	return (uint32_t)pick_u64();
}

/* Mostly valid fields stay valid; sometimes one gets a bad value. */
static uint32_t maybe(uint32_t good)
{
	if (!t_one_in(6))
		return good;
	return t_one_in(3) ? good ^ (1u << (t_rand() % 32)) : pick_u32();
}

static uint32_t pick_handle(struct fuzz *f)
{
	const struct qf_job *q = &f->t[t_rand() % NTEMPL];

	switch (t_rand() % 9) {
	case 0: case 1:
		return q->j.ent[t_rand() % q->j.n].handle;
	case 2:
		return q->j.stream.handle;
	case 3:
		return f->stream.handle;
	case 4:
		return f->extra[t_rand() % NEXTRA];
	case 5: case 6:
		return f->closed[t_rand() % 4];
	case 7:
		return 0;
	default:
		return t_rand();
	}
}

/* Pointers no user access may go through: NULL, unmapped, kernel. */
static uint64_t bad_ptr(struct fuzz *f, uint32_t k)
{
	const uint64_t p[3] = { 0, (uintptr_t)f->none, KERNEL_PTR };

	return p[k % 3];
}

/* A user pointer for the kernel to write n bytes at, or a bad one. */
static uint64_t pick_out_ptr(struct fuzz *f, size_t n)
{
	uint32_t k = t_rand() % 6;

	switch (k) {
	case 0: case 1: case 2:
		return bad_ptr(f, k);
	case 3:	/* straddling the guard page */
		return (uintptr_t)(f->scratch + 8192 - t_range(1, 64));
	default:
		return (uintptr_t)(f->scratch + t_rand() % (8192 - n));
	}
}

/* The ioctl argument itself, sometimes a bad pointer. */
static void *arg_ptr(struct fuzz *f, void *good)
{
	if (!t_one_in(40))
		return good;
	return t_one_in(2) ? NULL : (void *)f->none;
}

static void fuzz_query(struct fuzz *f)
{
	struct drm_qaccel_query q = {
		.info = pick_out_ptr(f, 256),
		.size = t_one_in(2) ? sizeof(struct drm_qaccel_query_info) :
			(uint32_t)t_range(0, 256),
		.flags = maybe(0),
	};

	note(f, "QUERY", qd_ioctl(f->fd, DRM_IOCTL_QACCEL_QUERY,
				  arg_ptr(f, &q)));
}

static void fuzz_bo_create(struct fuzz *f)
{
	struct drm_qaccel_bo_create c = {
		.size = t_one_in(3) ? (uint64_t)t_range(1, 65536) :
			t_one_in(8) ? f->max_bo + (t_rand() % 3) - 1 : pick_u64(),
		.flags = maybe(0),
		.handle = t_rand(), .mmap_offset = t_rand64(),
	};
	int ret = qd_ioctl(f->fd, DRM_IOCTL_QACCEL_BO_CREATE, arg_ptr(f, &c));
	uint32_t *slot = &f->extra[t_rand() % NEXTRA];

	note(f, "BO_CREATE", ret);
	if (ret)
		return;
	/* Big ones never reach a job: their pages would all be needed. */
	if (c.size > 65536) {
		qd_gem_close(f->fd, c.handle);
		return;
	}
	if (*slot)
		qd_gem_close(f->fd, *slot);
	*slot = c.handle;
}

static void fuzz_bo_wait(struct fuzz *f)
{
	static const int64_t rel[] = { -1000000000LL, 0, 1000000, 20000000 };
	struct drm_qaccel_bo_wait w = {
		.handle = pick_handle(f), .flags = maybe(0),
		.timeout_ns = t_one_in(8) ? (int64_t)t_rand64() :
			      qd_now_ns() + rel[t_rand() % 4],
	};

	note(f, "BO_WAIT", qd_ioctl(f->fd, DRM_IOCTL_QACCEL_BO_WAIT,
				    arg_ptr(f, &w)));
}

static void fuzz_bo_info(struct fuzz *f)
{
	struct drm_qaccel_bo_info in = {
		.handle = pick_handle(f), .flags = maybe(0),
		.size = t_rand64(), .mmap_offset = t_rand64(),
	};

	note(f, "BO_INFO", qd_ioctl(f->fd, DRM_IOCTL_QACCEL_BO_INFO,
				    arg_ptr(f, &in)));
}

static void fuzz_stats(struct fuzz *f)
{
	struct drm_qaccel_stats st;

	note(f, "GET_STATS", qd_ioctl(f->fd, DRM_IOCTL_QACCEL_GET_STATS,
				      arg_ptr(f, &st)));
}

/* The table of q, placed in scratch: maybe mutated, maybe grown. */
static uint64_t fuzz_table(struct fuzz *f, const struct qf_job *q,
			   uint32_t *entry_size)
{
	uint32_t es = t_one_in(5) ? (t_one_in(2) ? 16 : pick_u32() % 64) : 8;
	uint32_t n = q->j.n;
	uint8_t *at;

	*entry_size = es;
	switch (t_rand() % 10) {
	case 0: case 1: case 2:
		return bad_ptr(f, t_rand());
	case 3:
		return t_rand64();
	default:
		break;
	}
	if (es < 8 || (uint64_t)es * (n + 1) > 4096)
		return (uintptr_t)f->scratch;
	/* The table's end at the guard page, or well inside. */
	at = t_one_in(4) ? f->scratch + 8192 - es * n : f->scratch + 2048;
	memset(at, 0, (size_t)es * n);
	for (uint32_t i = 0; i < n; i++) {
		struct drm_qaccel_buf_entry e = q->j.ent[i];

		if (t_one_in(8))
			e.handle = pick_handle(f);
		if (t_one_in(10))
			e.flags = t_one_in(2) ? pick_u32() : DRM_QACCEL_BUF_READ;
		memcpy(at + (size_t)es * i, &e, sizeof(e));
		if (es > 8 && t_one_in(6))
			at[(size_t)es * i + 8 + t_rand() % (es - 8)] = 1;
	}
	return (uintptr_t)at;
}

/* A copy of q's stream in f->stream with a few words overwritten. */
static uint32_t fuzz_stream(struct fuzz *f, const struct qf_job *q)
{
	uint32_t size = q->s.size, words = size / 4;
	uint32_t *w = (uint32_t *)f->stream.map;

	/* Idle first: a job may hold it as a data buffer (replays exactly). */
	if (qd_bo_wait(f->fd, f->stream.handle, 20000 * QD_NS_PER_MS))
		f->unexpected++;
	memcpy(f->stream.map, q->s.mem, size);
	for (int k = t_range(1, 4); k > 0; k--)
		w[t_rand() % words] = t_one_in(2) ? pick_u32() :
				      w[t_rand() % words] + t_range(-2, 2);
	if (t_one_in(5))
		size = t_one_in(2) ? size + 8 * t_range(-3, 3) : pick_u32();
	return size;
}

static void fuzz_submit(struct fuzz *f)
{
	struct qf_job *q = &f->t[t_rand() % NTEMPL];
	struct drm_qaccel_submit s = q->j.sub;
	bool pristine = t_one_in(8);
	int ret;

	if (!pristine) {
		if (t_one_in(3)) {
			s.stream_handle = f->stream.handle;
			s.stream_size = fuzz_stream(f, q);
		}
		if (t_one_in(3))
			s.bufs = fuzz_table(f, q, &s.buf_entry_size);
		s.stream_handle = t_one_in(12) ? pick_handle(f) : s.stream_handle;
		s.stream_offset = t_one_in(10) ? pick_u32() : 0;
		s.stream_size = maybe(s.stream_size);
		s.buf_count = t_one_in(10) ? pick_u32() % 300 : maybe(s.buf_count);
		s.buf_entry_size = maybe(s.buf_entry_size);
		s.flags = maybe(0);
		s.pad = maybe(0);
		s.in_syncobj = t_one_in(6) ? (t_one_in(2) ? f->sync_empty :
					      pick_u32()) : 0;
		s.out_syncobj = t_one_in(6) ? (t_one_in(2) ? f->sync :
					       pick_u32()) : 0;
		s.error_offset = t_rand();
		s.seqno = t_rand64();
	} else {
		/* Jobs may have written it, as a buffer of theirs. */
		if (qd_bo_wait(f->fd, q->j.stream.handle, 20000 * QD_NS_PER_MS))
			f->unexpected++;
		memcpy(q->j.stream.map, q->s.mem, q->s.size);
		if (t_one_in(2))
			s.out_syncobj = f->sync;
	}
	ret = qd_ioctl(f->fd, DRM_IOCTL_QACCEL_SUBMIT,
		       pristine ? (void *)&s : arg_ptr(f, &s));
	note(f, "SUBMIT", ret);
	if (!ret)
		f->accepted++;
	if (pristine && ret && f->unexpected++ < 10)
		printf("# call %u: a valid SUBMIT failed: %d\n", f->calls, ret);
}

/* GEM close of buffers the fuzzer made or of made-up handles. */
static void fuzz_close(struct fuzz *f)
{
	uint32_t *slot = &f->extra[t_rand() % NEXTRA];
	struct drm_gem_close c = { .handle = *slot, .pad = maybe(0) };
	int ret;

	if (t_one_in(3))
		c.handle = t_one_in(2) ? f->closed[t_rand() % 4] :
			   (1u << 20) + t_rand() % 1000;
	ret = qd_ioctl(f->fd, DRM_IOCTL_GEM_CLOSE, &c);
	note(f, "GEM_CLOSE", ret);
	if (!ret && c.handle == *slot)
		*slot = 0;
}

/* Export any handle, import into the other file, close it there. */
static void fuzz_prime(struct fuzz *f)
{
	struct drm_prime_handle p = {
		.handle = pick_handle(f),
		.flags = t_one_in(6) ? pick_u32() : DRM_CLOEXEC | DRM_RDWR,
	};
	int ret = qd_ioctl(f->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);

	note(f, "PRIME_HANDLE_TO_FD", ret);
	if (ret)
		return;
	p.handle = 0;
	ret = qd_ioctl(f->fd2, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);
	note(f, "PRIME_FD_TO_HANDLE", ret);
	close(p.fd);
	if (!ret)
		qd_gem_close(f->fd2, p.handle);
}

/* Ioctl numbers past the driver's last, random bytes as argument. */
static void fuzz_unknown(struct fuzz *f)
{
	uint32_t nr = DRM_QACCEL_BO_INFO + 1 + t_rand() % 40;
	uint32_t size = t_rand() % 256;
	unsigned long req = _IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE,
				 DRM_COMMAND_BASE + nr, size);
	uint8_t *arg = f->scratch;

	for (uint32_t i = 0; i < size; i++)
		arg[i] = (uint8_t)t_rand();
	note(f, "unknown", qd_ioctl(f->fd, req, arg));
}

/* A known ioctl with its struct as random bytes and a random size. */
static void fuzz_random_struct(struct fuzz *f)
{
	static const uint32_t nr[] = { DRM_QACCEL_BO_CREATE,
				       DRM_QACCEL_BO_WAIT, DRM_QACCEL_SUBMIT,
				       DRM_QACCEL_GET_STATS, DRM_QACCEL_BO_INFO };
	uint32_t size = t_one_in(2) ? 48 : t_rand() % 128;
	unsigned long req = _IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE,
				 DRM_COMMAND_BASE + nr[t_rand() % 5], size);
	uint8_t *arg = f->scratch;
	int ret;

	for (uint32_t i = 0; i < size; i++)
		arg[i] = (uint8_t)t_rand();
	/* Timeouts within a second, so a wait cannot block for long. */
	if (_IOC_NR(req) == DRM_COMMAND_BASE + DRM_QACCEL_BO_WAIT && size >= 16)
		*(int64_t *)(arg + 8) = qd_now_ns() + (t_rand() % 1000000000);
	ret = qd_ioctl(f->fd, req, arg);
	note(f, "random struct", ret);
	/* A BO_CREATE that worked made a buffer: never used, closed. */
	if (!ret && _IOC_NR(req) == DRM_COMMAND_BASE + DRM_QACCEL_BO_CREATE &&
	    size >= 16)
		qd_gem_close(f->fd, *(uint32_t *)(arg + 12));
	if (!ret && _IOC_NR(req) == DRM_COMMAND_BASE + DRM_QACCEL_SUBMIT)
		f->accepted++;
}

static int fuzz_setup(struct fuzz *f)
{
	struct drm_qaccel_query_info info;
	struct qd_bo bo;

	memset(f, 0, sizeof(*f));
	f->fd = qd_open();
	f->fd2 = qd_open();
	if (f->fd < 0 || f->fd2 < 0 || qd_query(f->fd, &info))
		return -1;
	f->max_bo = info.max_bo_size;
	f->scratch = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->scratch == MAP_FAILED ||
	    mprotect(f->scratch + 8192, 4096, PROT_NONE))
		return -1;
	f->none = f->scratch + 8192;
	for (int i = 0; i < NTEMPL; i++)
		if (qf_job_new(f->fd, 1 + t_rand() % (QACCEL_OP_COUNT - 1),
			       &f->t[i]))
			return -1;
	if (qd_bo_upload(f->fd, NULL, FUZZ_STREAM, &f->stream))
		return -1;
	/* Handles that existed once; later buffers may get them again. */
	for (int i = 0; i < 4; i++) {
		if (qd_bo_create(f->fd, 4096, &bo))
			return -1;
		f->closed[i] = bo.handle;
	}
	for (int i = 0; i < 4; i++)
		if (qd_gem_close(f->fd, f->closed[i]))
			return -1;
	if (qf_syncobj_create(f->fd, &f->sync) ||
	    drmSyncobjCreate(f->fd, 0, &f->sync_empty))
		return -1;
	return 0;
}

/*
 * Fuzzes for n calls on two new files, then checks what must hold
 * afterwards. Returns the number of problems, each said on stdout.
 */
static int fuzz_run(int n, const char *who)
{
	static void (*const ops[])(struct fuzz *) = {
		fuzz_query, fuzz_bo_create, fuzz_bo_wait, fuzz_stats,
		fuzz_bo_info,
		fuzz_submit, fuzz_submit, fuzz_submit, fuzz_submit,
		fuzz_close, fuzz_prime, fuzz_unknown, fuzz_random_struct,
	};
	struct drm_qaccel_stats st;
	struct fuzz f;
	uint64_t done;
	int bad = 0;

	if (fuzz_setup(&f)) {
		printf("# %s: setup failed\n", who);
		return 1;
	}
	for (int i = 0; i < n; i++)
		ops[t_rand() % (sizeof(ops) / sizeof(ops[0]))](&f);
	/* A last valid job: one entity runs its jobs in order. */
	f.t[0].j.sub.out_syncobj = f.sync;
	if (qd_job_submit(f.fd, &f.t[0].j))
		f.unexpected++;
	else
		f.accepted++;
	printf("# %s: %u calls, %llu jobs accepted, %u unexpected results\n",
	       who, f.calls, (unsigned long long)f.accepted, f.unexpected);
	bad += f.unexpected > 0;
	if (f.accepted <= (uint64_t)n / 40) {
		printf("# %s: too few jobs accepted to be a test\n", who);
		bad++;
	}

	/* Every accepted job ends, and is counted once. */
	if (qf_syncobj_wait(f.fd, f.sync, 60000) || qd_stats(f.fd, &st)) {
		printf("# %s: the last job did not end\n", who);
		return bad + 1;
	}
	done = st.jobs_completed + st.jobs_failed + st.jobs_timed_out;
	if (done != f.accepted) {
		printf("# %s: %llu completed, %llu failed, %llu timed out\n", who,
		       (unsigned long long)st.jobs_completed,
		       (unsigned long long)st.jobs_failed,
		       (unsigned long long)st.jobs_timed_out);
		bad++;
	}
	bad += qf_canary(f.fd) != 0;
	bad += qf_canary(f.fd2) != 0;
	for (int i = 0; i < NTEMPL; i++)
		qf_job_free(f.fd, &f.t[i]);
	qd_bo_free(f.fd, &f.stream);
	close(f.fd);
	close(f.fd2);
	return bad;
}

static void seed(uint64_t def)
{
	t_seed_init(def);
	printf("# seed %llu (QACCEL_TEST_SEED=%llu replays it)\n",
	       (unsigned long long)t_seed, (unsigned long long)t_seed);
	fflush(stdout);
}

TEST(ioctl_fuzzer)
{
	struct qf_state state = { 0 };

	QF_NEED_ROOT();
	ASSERT_EQ(0, qf_state_baseline(&state)) TH_LOG("no qaccel_state");
	seed(0x5eed0801);
	EXPECT_EQ(0, fuzz_run(ITERATIONS, "fuzzer"));
	EXPECT_EQ(0, qf_settled(&state, 20000));
}

/* Two processes fuzzing at once: races between their calls. */
TEST(two_fuzzers_at_once)
{
	struct qf_state state = { 0 };
	pid_t pid[2];

	QF_NEED_ROOT();
	ASSERT_EQ(0, qf_state_baseline(&state)) TH_LOG("no qaccel_state");
	seed(0x5eed0802);
	for (int k = 0; k < 2; k++) {
		pid[k] = fork();
		ASSERT_GE(pid[k], 0);
		if (!pid[k]) {
			char who[16];
			int bad;

			/* One seed, a different stretch of it each. */
			for (int i = 0; i < k * 1000003; i++)
				t_rand();
			snprintf(who, sizeof(who), "fuzzer %d", k);
			bad = fuzz_run(ITERATIONS / 3, who);
			fflush(stdout);
			_exit(bad ? 1 : 0);
		}
	}
	for (int k = 0; k < 2; k++) {
		int status = 0;

		ASSERT_EQ(pid[k], waitpid(pid[k], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("fuzzer %d: status 0x%x", k, status);
	}
	EXPECT_EQ(0, qf_settled(&state, 20000));
}

TEST_HARNESS_MAIN
