// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: buffers shared between two open files through dma-buf (PRIME
 * fds). The importer sees the exporter's bytes and the other way round,
 * through mmap (the device's and the dma-buf's own) and through jobs; a
 * shared buffer stays alive, intact and usable while imported after the
 * exporter closed its handle and even its file, or held by its dma-buf
 * fd alone; a job reading a shared buffer waits for another file's job
 * writing it (implicit fencing); bad PRIME arguments get the DRM core's
 * errnos; nothing leaks.
 */
#include "qaccel_faults.h"

#include "kselftest_harness.h"

FIXTURE(prime) {
	struct qf_env e;
	int fd2;
	struct qf_state state;	/* with both files open */
};

FIXTURE_SETUP(prime)
{
	QF_NEED_ROOT();
	ASSERT_EQ(0, qf_env_open(&self->e, 0x5eed0701));
	self->fd2 = qd_open();
	ASSERT_GE(self->fd2, 0);
	ASSERT_EQ(0, qf_state_baseline(&self->state));
}

FIXTURE_TEARDOWN(prime)
{
	close(self->fd2);
	qf_env_close(&self->e);
}

static int export_fd(int fd, uint32_t handle, int *dfd)
{
	return drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, dfd) ?
	       -errno : 0;
}

static int import_fd(int fd, int dfd, uint32_t *handle)
{
	return drmPrimeFDToHandle(fd, dfd, handle) ? -errno : 0;
}

/* Maps a buffer through its dma-buf (an importer has no mmap offset). */
static uint8_t *map_dmabuf(int fd, uint32_t handle, size_t size)
{
	void *p;
	int dfd;

	if (export_fd(fd, handle, &dfd))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	close(dfd);
	return p == MAP_FAILED ? NULL : p;
}

/* The job's table and stream, as handles of file `to`. */
static int share_job(int from, const struct qd_job *j, int to,
		     struct drm_qaccel_buf_entry *ent, uint32_t *stream)
{
	for (uint32_t i = 0; i < j->n; i++) {
		ent[i].handle = qf_share(from, j->ent[i].handle, to);
		ent[i].flags = j->ent[i].flags;
		if (!ent[i].handle)
			return -1;
	}
	*stream = qf_share(from, j->stream.handle, to);
	return *stream ? 0 : -1;
}

TEST_F(prime, bytes_visible_both_ways)
{
	const size_t size = 3 * 4096;
	struct qd_bo a;
	uint32_t b, again;
	uint8_t *m;
	int dfd;

	ASSERT_EQ(0, qd_bo_upload(self->e.fd, NULL, size, &a));
	for (size_t i = 0; i < size; i++)
		a.map[i] = (uint8_t)(i * 13 + 1);
	ASSERT_EQ(0, export_fd(self->e.fd, a.handle, &dfd));
	ASSERT_EQ(0, import_fd(self->fd2, dfd, &b));
	EXPECT_NE(0, b);
	/* Importing into the exporting file gives back its own handle. */
	ASSERT_EQ(0, import_fd(self->e.fd, dfd, &again));
	EXPECT_EQ(a.handle, again);
	close(dfd);
	EXPECT_EQ(0, qd_bo_wait(self->fd2, b, 0));

	m = map_dmabuf(self->fd2, b, size);
	ASSERT_NE(NULL, m);
	for (size_t i = 0; i < size; i++) {
		ASSERT_EQ((uint8_t)(i * 13 + 1), m[i]) TH_LOG("byte %zu", i);
	}
	for (size_t i = 0; i < size; i++)
		m[i] = (uint8_t)(i * 7 + 3);
	for (size_t i = 0; i < size; i++) {
		ASSERT_EQ((uint8_t)(i * 7 + 3), a.map[i]) TH_LOG("byte %zu", i);
	}
	munmap(m, size);

	/* And through the importer's own device file, at BO_INFO's offset. */
	{
		struct drm_qaccel_bo_info in = { .handle = b };

		ASSERT_EQ(0, qd_ioctl(self->fd2, DRM_IOCTL_QACCEL_BO_INFO, &in));
		EXPECT_EQ(size, in.size);
		m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd2, (off_t)in.mmap_offset);
		ASSERT_NE(MAP_FAILED, m);
		EXPECT_EQ(0, memcmp(m, a.map, size));
		m[size - 1] ^= 0xff;
		EXPECT_EQ((uint8_t)(m[size - 1]), a.map[size - 1]);
		munmap(m, size);
	}
	EXPECT_EQ(0, qd_gem_close(self->fd2, b));
	qd_bo_free(self->e.fd, &a);
	EXPECT_EQ(0, qf_settled(&self->state, 5000));
}

/* A's buffers, B's job: inputs written by A, results read by A. */
TEST_F(prime, job_in_one_file_on_buffers_of_another)
{
	struct drm_qaccel_buf_entry ent[T_MAX_BUFS];
	struct drm_qaccel_stats st;
	struct drm_qaccel_submit s;
	uint32_t stream;
	uint64_t at = 0;

	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		struct qf_job q;

		ASSERT_EQ(0, qf_job_new(self->e.fd, op, &q));
		ASSERT_EQ(0, share_job(self->e.fd, &q.j, self->fd2, ent,
				       &stream));
		s = q.j.sub;
		s.bufs = (uintptr_t)ent;
		s.stream_handle = stream;
		ASSERT_EQ(0, qd_submit_raw(self->fd2, &s));
		/* Waiting in the exporter's file, on its handles. */
		ASSERT_EQ(0, qd_job_wait(self->e.fd, &q.j, 20000));
		EXPECT_EQ(-1, qd_job_compare(&q.j, &q.want, &at))
			TH_LOG("%s: byte %llu", qaccel_opcode_name(op),
			       (unsigned long long)at);
		for (uint32_t i = 0; i < q.j.n; i++)
			qd_gem_close(self->fd2, ent[i].handle);
		qd_gem_close(self->fd2, stream);
		qf_job_free(self->e.fd, &q);
	}
	ASSERT_EQ(0, qd_stats(self->fd2, &st));
	EXPECT_EQ(QACCEL_OP_COUNT - 1, st.jobs_completed);
	ASSERT_EQ(0, qd_stats(self->e.fd, &st));
	EXPECT_EQ(0, st.jobs_completed);
	EXPECT_EQ(0, qf_settled(&self->state, 5000));
}

/*
 * The exporter closes its handles and its file: the buffers live on in
 * the importer, bytes intact, and a job on them runs; once the importer
 * closes its handles they are gone.
 */
TEST_F(prime, alive_while_imported_after_the_exporter_closes)
{
	struct drm_qaccel_buf_entry ent[T_MAX_BUFS];
	struct drm_qaccel_submit s;
	struct qf_state now = { 0 };
	struct qf_job q;
	uint32_t stream;
	int fd1 = qd_open();

	ASSERT_GE(fd1, 0);
	ASSERT_EQ(0, qf_job_new(fd1, QACCEL_OP_CONV_2D, &q));
	ASSERT_EQ(0, share_job(fd1, &q.j, self->fd2, ent, &stream));
	qd_job_free(fd1, &q.j);
	close(fd1);
	/* Still counted: they are alive. */
	ASSERT_EQ(0, qf_state_read(&now));
	EXPECT_EQ(self->state.bos + q.b.n + 1, now.bos);
	EXPECT_EQ(self->state.files, now.files);

	for (uint32_t i = 0; i < q.b.n; i++) {
		size_t size = qd_page_round(q.b.sizes[i]);
		uint8_t *m = map_dmabuf(self->fd2, ent[i].handle, size);

		ASSERT_NE(NULL, m);
		EXPECT_EQ(0, memcmp(m, q.b.v[i].ptr, q.b.sizes[i]))
			TH_LOG("buffer %u changed", i);
		munmap(m, size);
	}
	s = q.j.sub;
	s.bufs = (uintptr_t)ent;
	s.stream_handle = stream;
	ASSERT_EQ(0, qd_submit_raw(self->fd2, &s));
	for (uint32_t i = 0; i < q.b.n; i++) {
		size_t size = qd_page_round(q.b.sizes[i]);
		uint8_t *m;

		ASSERT_EQ(0, qd_bo_wait(self->fd2, ent[i].handle,
					20000 * QD_NS_PER_MS));
		m = map_dmabuf(self->fd2, ent[i].handle, size);
		ASSERT_NE(NULL, m);
		EXPECT_EQ(0, memcmp(m, q.want.v[i].ptr, q.b.sizes[i]))
			TH_LOG("buffer %u differs from the reference", i);
		munmap(m, size);
	}
	for (uint32_t i = 0; i < q.b.n; i++)
		EXPECT_EQ(0, qd_gem_close(self->fd2, ent[i].handle));
	EXPECT_EQ(0, qd_gem_close(self->fd2, stream));
	qf_job_free(self->fd2, &q);
	EXPECT_EQ(0, qf_settled(&self->state, 5000));
}

/*
 * Only a dma-buf fd holds the buffer (its handle and its file closed): it
 * stays alive, another file imports it, finds its bytes, and runs a job
 * writing into it.
 */
TEST_F(prime, alive_through_the_dma_buf_fd_alone)
{
	struct qf_state now = { 0 };
	struct qf_job q;
	struct drm_qaccel_buf_entry ent[T_MAX_BUFS];
	struct drm_qaccel_submit s;
	uint32_t out_buf;
	uint8_t *m;
	int fd1 = qd_open(), dfd;
	size_t size;
	uint64_t at = 0;

	ASSERT_GE(fd1, 0);
	ASSERT_EQ(0, qf_job_new(self->fd2, QACCEL_OP_REQUANTIZE, &q));
	/* The output buffer is made by fd1 and only passed on as an fd. */
	size = qd_page_round(q.b.sizes[1]);
	{
		struct qd_bo o;

		ASSERT_EQ(0, qd_bo_upload(fd1, q.b.v[1].ptr, q.b.sizes[1], &o));
		ASSERT_EQ(0, export_fd(fd1, o.handle, &dfd));
		qd_bo_free(fd1, &o);
	}
	close(fd1);
	ASSERT_EQ(0, qf_state_read(&now));
	EXPECT_EQ(self->state.bos + q.b.n + 2, now.bos) TH_LOG("not alive");

	ASSERT_EQ(0, import_fd(self->fd2, dfd, &out_buf));
	close(dfd);
	m = map_dmabuf(self->fd2, out_buf, size);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(0, memcmp(m, q.b.v[1].ptr, q.b.sizes[1]));
	memcpy(ent, q.j.ent, sizeof(ent));
	ent[1].handle = out_buf;
	s = q.j.sub;
	s.bufs = (uintptr_t)ent;
	ASSERT_EQ(0, qd_submit_raw(self->fd2, &s));
	ASSERT_EQ(0, qd_bo_wait(self->fd2, out_buf, 20000 * QD_NS_PER_MS));
	at = t_first_diff((int8_t *)m, (int8_t *)q.want.v[1].ptr,
			  q.want.sizes[1]);
	EXPECT_EQ(q.want.sizes[1], at) TH_LOG("byte %llu differs",
					      (unsigned long long)at);
	munmap(m, size);
	EXPECT_EQ(0, qd_gem_close(self->fd2, out_buf));
	qf_job_free(self->fd2, &q);
	EXPECT_EQ(0, qf_settled(&self->state, 5000));
}

/*
 * A writes x, B (another file) reads it: B must wait for A through x's
 * reservation alone. Both are queued behind a hung job, so that when it
 * is stopped the scheduler's round robin would run B first if B did not
 * wait; B must compute from what A wrote.
 */
TEST_F_TIMEOUT(prime, implicit_fence_across_files, 60)
{
	struct qf_job h, a, b;
	struct t_bufs want;
	uint32_t x;
	uint64_t at = 0;

	ASSERT_EQ(0, qf_param_set("timeout_ms", 5000));
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_MEAN, &h));
	ASSERT_EQ(0, qf_job_new(self->e.fd, QACCEL_OP_REQUANTIZE, &a));
	ASSERT_EQ(0, qf_job_new(self->fd2, QACCEL_OP_REQUANTIZE, &b));
	/* a: input 0 -> output 1 (x, written); b reads x as its input. */
	x = qf_share(self->e.fd, a.j.bo[1].handle, self->fd2);
	ASSERT_NE(0, x);
	a.j.ent[1].flags = DRM_QACCEL_BUF_WRITE;
	b.j.ent[0].handle = x;
	b.j.ent[0].flags = DRM_QACCEL_BUF_READ;
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &h.j));
	ASSERT_EQ(0, qd_job_submit(self->e.fd, &a.j));
	ASSERT_EQ(0, qd_job_submit(self->fd2, &b.j));
	EXPECT_EQ(-ETIMEDOUT, qd_bo_wait(self->fd2, b.j.bo[1].handle,
					 300 * QD_NS_PER_MS));
	EXPECT_EQ(-1, qd_job_compare(&b.j, &b.b, &at))
		TH_LOG("b ran while the engine was held");

	ASSERT_EQ(0, qd_bo_wait(self->fd2, b.j.bo[1].handle,
				20000 * QD_NS_PER_MS));
	EXPECT_EQ(0, qf_job_check(self->e.fd, &a));
	t_bufs_clone(&want, &b.b);
	memcpy(want.v[0].ptr, a.want.v[1].ptr, want.sizes[0]);
	ASSERT_EQ(0, qd_ref_run(&want, b.s.mem, b.s.size));
	EXPECT_EQ(0, memcmp(b.j.bo[1].map, want.v[1].ptr, want.sizes[1]))
		TH_LOG("b did not read what a wrote");
	t_bufs_free(&want);
	qd_gem_close(self->fd2, x);
	qd_bo_wait(self->e.fd, h.j.bo[0].handle, 20000 * QD_NS_PER_MS);
	qf_job_free(self->e.fd, &h);
	qf_job_free(self->e.fd, &a);
	qf_job_free(self->fd2, &b);
	EXPECT_EQ(0, qf_settled(&self->state, 10000));
}

TEST_F(prime, bad_prime_arguments)
{
	struct drm_prime_handle p;
	struct qd_bo a;
	int devnull = open("/dev/null", O_RDWR), dfd;

	ASSERT_GE(devnull, 0);
	ASSERT_EQ(0, qd_bo_create(self->e.fd, 4096, &a));
	p = (struct drm_prime_handle){ .handle = 999, .flags = DRM_CLOEXEC };
	EXPECT_EQ(-ENOENT, qd_ioctl(self->e.fd, DRM_IOCTL_PRIME_HANDLE_TO_FD,
				     &p));
	p = (struct drm_prime_handle){ .handle = a.handle, .flags = 0x1234 };
	EXPECT_EQ(-EINVAL, qd_ioctl(self->e.fd, DRM_IOCTL_PRIME_HANDLE_TO_FD,
				     &p));
	p = (struct drm_prime_handle){ .fd = -1 };
	EXPECT_EQ(-EBADF, qd_ioctl(self->fd2, DRM_IOCTL_PRIME_FD_TO_HANDLE,
				    &p));
	p = (struct drm_prime_handle){ .fd = devnull };
	EXPECT_EQ(-EINVAL, qd_ioctl(self->fd2, DRM_IOCTL_PRIME_FD_TO_HANDLE,
				     &p));
	p = (struct drm_prime_handle){ .fd = self->e.fd };
	EXPECT_EQ(-EINVAL, qd_ioctl(self->fd2, DRM_IOCTL_PRIME_FD_TO_HANDLE,
				     &p));
	ASSERT_EQ(0, export_fd(self->e.fd, a.handle, &dfd));
	close(dfd);
	p = (struct drm_prime_handle){ .fd = dfd };
	EXPECT_EQ(-EBADF, qd_ioctl(self->fd2, DRM_IOCTL_PRIME_FD_TO_HANDLE,
				    &p));
	close(devnull);
	qd_bo_free(self->e.fd, &a);
	EXPECT_EQ(0, qf_settled(&self->state, 5000));
}

/* Export, import, close, many times over: nothing accumulates. */
TEST_F(prime, repeated_sharing_leaks_nothing)
{
	for (int i = 0; i < 200; i++) {
		struct qd_bo a;
		uint32_t b;

		ASSERT_EQ(0, qd_bo_create(self->e.fd, 4096 * (1 + i % 4), &a));
		b = qf_share(self->e.fd, a.handle, self->fd2);
		ASSERT_NE(0, b);
		if (i & 1) {
			EXPECT_EQ(0, qd_gem_close(self->fd2, b));
			EXPECT_EQ(0, qd_gem_close(self->e.fd, a.handle));
		} else {
			EXPECT_EQ(0, qd_gem_close(self->e.fd, a.handle));
			EXPECT_EQ(0, qd_gem_close(self->fd2, b));
		}
	}
	EXPECT_EQ(0, qf_settled(&self->state, 5000));
}

TEST_HARNESS_MAIN
