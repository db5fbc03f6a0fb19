// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: bad ioctl arguments. Unknown and foreign handles, bad flags,
 * non-zero padding, unaligned offsets, huge sizes, offset + size wrapping,
 * bad buffer-table entry sizes, NULL and unmapped user pointers, the
 * stream's buffer also listed as data, unknown syncobjs, BO_INFO of bad
 * handles, mmap outside any buffer. Each case asserts
 * the exact errno; each test then checks that nothing changed: no job
 * ran (buffers and GET_STATS as before), no job or object was left behind
 * (debugfs), and the good job built at setup still runs bit-exact.
 */
#include "qaccel_faults.h"

#include "kselftest_harness.h"

#define KERNEL_PTR 0xffffffff81000000ull

FIXTURE(bad) {
	int fd;
	struct qf_state state;
	struct t_bufs b;	/* the good job's inputs, as uploaded */
	struct t_bufs want;	/* and its outputs, from the reference */
	struct sb_stream s;
	struct qd_job j;
	uint8_t *none;		/* a PROT_NONE page */
};

FIXTURE_SETUP(bad)
{
	QF_NEED_ROOT();
	t_seed_init(0x5eed0101);
	self->fd = qd_open();
	ASSERT_GE(self->fd, 0) TH_LOG("no qaccel render node in /dev/dri");
	qf_one_cmd(QACCEL_OP_CONV_2D, &self->b, &self->s);
	t_bufs_clone(&self->want, &self->b);
	ASSERT_EQ(0, qd_ref_run(&self->want, self->s.mem, self->s.size));
	ASSERT_EQ(0, qd_job_upload(self->fd, &self->b, self->s.mem,
				   self->s.size, &self->j));
	self->none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	ASSERT_NE(MAP_FAILED, self->none);
	ASSERT_EQ(0, qf_state_baseline(&self->state))
		TH_LOG("no qaccel_state in debugfs");
}

FIXTURE_TEARDOWN(bad)
{
	qd_job_free(self->fd, &self->j);
	t_bufs_free(&self->b);
	t_bufs_free(&self->want);
	sb_free(&self->s);
	close(self->fd);
}

/*
 * Nothing ran and nothing was left behind; then the good job, submitted
 * as built, runs and matches the reference.
 */
static void unchanged(struct __test_metadata *_metadata,
		      FIXTURE_DATA(bad) *self)
{
	struct drm_qaccel_stats st;
	struct qf_state now = { 0 };
	uint64_t at = 0;

	ASSERT_EQ(0, qd_stats(self->fd, &st));
	EXPECT_EQ(0, st.jobs_completed + st.jobs_failed + st.jobs_timed_out);
	EXPECT_EQ(0, qf_state_settle(&self->state, &now, 2000))
		TH_LOG("debugfs: " QF_STATE_FMT ", was " QF_STATE_FMT,
		       QF_STATE_ARGS(now), QF_STATE_ARGS(self->state));
	EXPECT_EQ(-1, qd_job_compare(&self->j, &self->b, &at))
		TH_LOG("a rejected submit wrote byte %llu",
		       (unsigned long long)at);
	ASSERT_EQ(0, qd_job_submit(self->fd, &self->j));
	ASSERT_EQ(0, qd_job_wait(self->fd, &self->j, 20000));
	EXPECT_EQ(-1, qd_job_compare(&self->j, &self->want, &at))
		TH_LOG("the good job differs at byte %llu",
		       (unsigned long long)at);
	ASSERT_EQ(0, qd_stats(self->fd, &st));
	EXPECT_EQ(1, st.jobs_completed);
}

/* SUBMIT of the good job with one change made by the caller. */
static int submit_with(FIXTURE_DATA(bad) *self, struct drm_qaccel_submit *s)
{
	return qd_submit_raw(self->fd, s);
}

/* A writable page followed by an unmapped one (never freed). */
static uint8_t *guarded_page(void)
{
	uint8_t *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + 4096, 4096, PROT_NONE))
		abort();
	return p;
}

/*
 * A handle of a second file that the test's file does not have: the
 * n-th of the second file, n above the handles the fixture made.
 */
static uint32_t foreign_handle(struct __test_metadata *_metadata, int *fd2,
			       struct qd_bo *bos, int n)
{
	*fd2 = qd_open();
	if (*fd2 < 0)
		return 0;
	for (int i = 0; i < n; i++)
		if (qd_bo_create(*fd2, 4096, &bos[i]))
			return 0;
	return bos[n - 1].handle;
}

TEST_F(bad, unknown_ioctl_numbers)
{
	uint8_t arg[64] = { 0 };

	for (unsigned int nr = DRM_QACCEL_BO_INFO + 1; nr < 0x20; nr++) {
		unsigned long req = DRM_IOWR(DRM_COMMAND_BASE + nr, arg);

		EXPECT_EQ(-EINVAL, qd_ioctl(self->fd, req, arg))
			TH_LOG("driver ioctl 0x%x", nr);
	}
	unchanged(_metadata, self);
}

TEST_F(bad, query_bad_flags_and_pointers)
{
	struct drm_qaccel_query_info info;
	struct drm_qaccel_query q;
	uint8_t *ro;

	for (int bit = 0; bit < 32; bit++) {
		q = (struct drm_qaccel_query){ .info = (uintptr_t)&info,
					       .size = sizeof(info),
					       .flags = 1u << bit };
		EXPECT_EQ(-EINVAL, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_QUERY,
					     &q)) TH_LOG("flag bit %d", bit);
	}
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	q = (struct drm_qaccel_query){ .info = (uintptr_t)self->none,
				       .size = sizeof(info) };
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_QUERY, &q));
	q.info = KERNEL_PTR;
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_QUERY, &q));
	q.info = (uintptr_t)ro;
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_QUERY, &q));
	/* The info struct straddling into an unmapped page. */
	q.info = (uintptr_t)(guarded_page() + 4096 - 8);
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_QUERY, &q));
	/* The ioctl argument itself. */
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_QUERY, NULL));
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_QUERY,
				     self->none));
	munmap(ro, 4096);
	unchanged(_metadata, self);
}

TEST_F(bad, bo_create_bad_sizes_and_flags)
{
	struct drm_qaccel_query_info info;
	struct drm_qaccel_bo_create c;
	uint64_t huge[] = { 0, 1ull << 40, 1ull << 62, ~0ull, ~0ull - 4095 };

	ASSERT_EQ(0, qd_query(self->fd, &info));
	ASSERT_GT(info.max_bo_size, 0);
	huge[0] = info.max_bo_size + 1;
	c = (struct drm_qaccel_bo_create){ .size = 0 };
	EXPECT_EQ(-EINVAL, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_BO_CREATE, &c));
	for (int bit = 0; bit < 32; bit++) {
		c = (struct drm_qaccel_bo_create){ .size = 4096,
						   .flags = 1u << bit };
		EXPECT_EQ(-EINVAL, qd_ioctl(self->fd,
					     DRM_IOCTL_QACCEL_BO_CREATE, &c))
			TH_LOG("flag bit %d", bit);
	}
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		c = (struct drm_qaccel_bo_create){ .size = huge[i] };
		EXPECT_EQ(-EINVAL, qd_ioctl(self->fd,
					     DRM_IOCTL_QACCEL_BO_CREATE, &c))
			TH_LOG("size 0x%llx", (unsigned long long)huge[i]);
	}
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_BO_CREATE,
				     NULL));
	unchanged(_metadata, self);
}

/* The largest size is accepted (pages come on first use). */
TEST_F(bad, bo_create_largest_size)
{
	struct drm_qaccel_query_info info;
	struct qd_bo bo;

	ASSERT_EQ(0, qd_query(self->fd, &info));
	ASSERT_EQ(0, qd_bo_create(self->fd, info.max_bo_size, &bo));
	EXPECT_EQ(0, qd_gem_close(self->fd, bo.handle));
	unchanged(_metadata, self);
}

TEST_F(bad, bo_wait_bad_handles_and_flags)
{
	struct drm_qaccel_bo_wait w;
	struct qd_bo other[24];
	uint32_t foreign;
	int fd2;

	foreign = foreign_handle(_metadata, &fd2, other, 24);
	ASSERT_NE(0, foreign);
	w = (struct drm_qaccel_bo_wait){ .handle = 0 };
	EXPECT_EQ(-ENOENT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_BO_WAIT, &w));
	w.handle = 0xffffffff;
	EXPECT_EQ(-ENOENT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_BO_WAIT, &w));
	w.handle = foreign;
	EXPECT_EQ(-ENOENT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_BO_WAIT, &w));
	EXPECT_EQ(0, qd_ioctl(fd2, DRM_IOCTL_QACCEL_BO_WAIT, &w));
	for (int bit = 0; bit < 32; bit++) {
		w = (struct drm_qaccel_bo_wait){ .handle = self->j.bo[0].handle,
						 .flags = 1u << bit };
		EXPECT_EQ(-EINVAL, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_BO_WAIT,
					     &w)) TH_LOG("flag bit %d", bit);
	}
	for (int i = 0; i < 24; i++)
		qd_bo_free(fd2, &other[i]);
	close(fd2);
	unchanged(_metadata, self);
}

TEST_F(bad, bo_info_bad_handles_and_flags)
{
	struct drm_qaccel_bo_info in;
	struct qd_bo other[24];
	int fd2;
	uint32_t foreign = foreign_handle(_metadata, &fd2, other, 24);
	const uint32_t bad[] = { 0, 0xffffffff, foreign };

	ASSERT_NE(0, foreign);
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		in = (struct drm_qaccel_bo_info){ .handle = bad[k] };
		EXPECT_EQ(-ENOENT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_BO_INFO,
					     &in)) TH_LOG("handle %u", bad[k]);
	}
	for (int bit = 0; bit < 32; bit++) {
		in = (struct drm_qaccel_bo_info){ .handle = self->j.bo[0].handle,
						  .flags = 1u << bit };
		EXPECT_EQ(-EINVAL, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_BO_INFO,
					     &in)) TH_LOG("flag bit %d", bit);
	}
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_BO_INFO, NULL));
	/* What BO_CREATE said, for a buffer it made. */
	in = (struct drm_qaccel_bo_info){ .handle = self->j.bo[0].handle };
	ASSERT_EQ(0, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_BO_INFO, &in));
	EXPECT_EQ(self->j.bo[0].map_size, in.size);
	EXPECT_EQ(self->j.bo[0].mmap_offset, in.mmap_offset);
	for (int i = 0; i < 24; i++)
		qd_bo_free(fd2, &other[i]);
	close(fd2);
	unchanged(_metadata, self);
}

/* mmap past a buffer's end, at no buffer's offset, or of a closed one. */
TEST_F(bad, mmap_outside_a_buffer)
{
	const struct qd_bo *bo = &self->j.bo[0];
	struct qd_bo gone;
	void *p;

	p = mmap(NULL, bo->map_size + 4096, PROT_READ, MAP_SHARED, self->fd,
		 (off_t)bo->mmap_offset);
	EXPECT_EQ(MAP_FAILED, p) TH_LOG("a page past the end mapped");
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd,
		 (off_t)(bo->mmap_offset + bo->map_size + (1 << 30)));
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	ASSERT_EQ(0, qd_bo_create(self->fd, 4096, &gone));
	ASSERT_EQ(0, qd_gem_close(self->fd, gone.handle));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd,
		 (off_t)gone.mmap_offset);
	EXPECT_EQ(MAP_FAILED, p);
	unchanged(_metadata, self);
}

TEST_F(bad, submit_flags_and_pad)
{
	struct drm_qaccel_submit s;

	for (int bit = 0; bit < 32; bit++) {
		s = self->j.sub;
		s.flags = 1u << bit;
		EXPECT_EQ(-EINVAL, submit_with(self, &s)) TH_LOG("flag %d", bit);
		s = self->j.sub;
		s.pad = 1u << bit;
		EXPECT_EQ(-EINVAL, submit_with(self, &s)) TH_LOG("pad %d", bit);
	}
	unchanged(_metadata, self);
}

TEST_F(bad, submit_unknown_and_foreign_handles)
{
	struct drm_qaccel_buf_entry ent[T_MAX_BUFS];
	struct drm_qaccel_submit s;
	struct qd_bo other[24];
	uint32_t foreign, closed, bad[4] = { 0, 0xffffffff };
	struct qd_bo tmp;
	int fd2;

	foreign = foreign_handle(_metadata, &fd2, other, 24);
	ASSERT_NE(0, foreign);
	ASSERT_EQ(0, qd_bo_create(self->fd, 4096, &tmp));
	closed = tmp.handle;
	ASSERT_EQ(0, qd_gem_close(self->fd, closed));
	bad[2] = foreign;
	bad[3] = closed;
	for (size_t k = 0; k < 4; k++) {
		s = self->j.sub;
		s.stream_handle = bad[k];
		EXPECT_EQ(-ENOENT, submit_with(self, &s))
			TH_LOG("stream handle %u", bad[k]);
		for (uint32_t i = 0; i < self->j.n; i++) {
			memcpy(ent, self->j.ent, sizeof(ent));
			ent[i].handle = bad[k];
			s = self->j.sub;
			s.bufs = (uintptr_t)ent;
			EXPECT_EQ(-ENOENT, submit_with(self, &s))
				TH_LOG("entry %u handle %u", i, bad[k]);
		}
	}
	for (int i = 0; i < 24; i++)
		qd_bo_free(fd2, &other[i]);
	close(fd2);
	unchanged(_metadata, self);
}

TEST_F(bad, submit_bad_entry_flags)
{
	static const uint32_t bad[] = { 0, 4, 8, 0x80000000, 0xfffffffc,
					0xffffffff };
	struct drm_qaccel_buf_entry ent[T_MAX_BUFS];
	struct drm_qaccel_submit s;

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		for (uint32_t i = 0; i < self->j.n; i++) {
			memcpy(ent, self->j.ent, sizeof(ent));
			ent[i].flags = bad[k];
			s = self->j.sub;
			s.bufs = (uintptr_t)ent;
			EXPECT_EQ(-EINVAL, submit_with(self, &s))
				TH_LOG("entry %u flags 0x%x", i, bad[k]);
		}
	}
	unchanged(_metadata, self);
}

TEST_F(bad, submit_unaligned_stream_offset)
{
	struct drm_qaccel_submit s;
	struct qd_bo big;

	/* Room for the stream at any of these offsets. */
	ASSERT_EQ(0, qd_bo_upload(self->fd, NULL, 8192, &big));
	for (uint32_t off = 1; off < 8; off++) {
		memcpy(big.map + off, self->s.mem, self->s.size);
		s = self->j.sub;
		s.stream_handle = big.handle;
		s.stream_offset = off;
		EXPECT_EQ(-EINVAL, submit_with(self, &s)) TH_LOG("offset %u", off);
		s.stream_offset = 4096 + off;
		EXPECT_EQ(-EINVAL, submit_with(self, &s)) TH_LOG("offset %u",
								 4096 + off);
	}
	qd_bo_free(self->fd, &big);
	unchanged(_metadata, self);
}

/* The stream must lie inside its buffer, in wrap-free arithmetic. */
TEST_F(bad, submit_stream_past_its_buffer)
{
	const uint32_t bo = (uint32_t)self->j.stream.map_size;
	const struct { uint32_t off, size; } bad[] = {
		{ bo, 8 }, { bo - 8, 16 }, { 0, bo + 8 },
		{ 0xfffffff8, 16 }, { 0xfffffff8, self->s.size },
		{ 0xfffff000, 0x1008 }, { 0x80000000, 8 },
	};
	struct drm_qaccel_submit s;

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		s = self->j.sub;
		s.stream_offset = bad[k].off;
		s.stream_size = bad[k].size;
		EXPECT_EQ(-EINVAL, submit_with(self, &s))
			TH_LOG("offset 0x%x size 0x%x", bad[k].off, bad[k].size);
	}
	unchanged(_metadata, self);
}

/* The boundary itself: a stream ending at its buffer's last byte runs. */
TEST_F(bad, stream_ending_at_the_buffer_end_runs)
{
	struct drm_qaccel_submit s = self->j.sub;
	struct drm_qaccel_stats st;
	uint32_t off = (uint32_t)self->j.stream.map_size - self->s.size;
	uint64_t at = 0;

	ASSERT_EQ(0, off % 8);
	memcpy(self->j.stream.map + off, self->s.mem, self->s.size);
	s.stream_offset = off;
	ASSERT_EQ(0, submit_with(self, &s));
	ASSERT_EQ(0, qd_job_wait(self->fd, &self->j, 20000));
	EXPECT_EQ(-1, qd_job_compare(&self->j, &self->want, &at));
	ASSERT_EQ(0, qd_stats(self->fd, &st));
	EXPECT_EQ(1, st.jobs_completed);
}

TEST_F(bad, submit_bad_table_pointers)
{
	struct drm_qaccel_buf_entry *tail;
	struct drm_qaccel_submit s;
	uint8_t *two = guarded_page();
	size_t bytes = self->j.n * sizeof(self->j.ent[0]);

	s = self->j.sub;
	s.bufs = 0;
	EXPECT_EQ(-EFAULT, submit_with(self, &s));
	s.bufs = (uintptr_t)self->none;
	EXPECT_EQ(-EFAULT, submit_with(self, &s));
	s.bufs = KERNEL_PTR;
	EXPECT_EQ(-EFAULT, submit_with(self, &s));
	s.bufs = ~0ull - 7;
	EXPECT_EQ(-EFAULT, submit_with(self, &s));

	/* The table's last entry on the unmapped page. */
	tail = (void *)(two + 4096 - bytes + sizeof(*tail));
	memcpy(tail, self->j.ent, bytes - sizeof(*tail));
	s = self->j.sub;
	s.bufs = (uintptr_t)tail;
	EXPECT_EQ(-EFAULT, submit_with(self, &s));
	/* More entries than the memory holds. */
	tail = (void *)(two + 4096 - bytes);
	memcpy(tail, self->j.ent, bytes);
	s.bufs = (uintptr_t)tail;
	s.buf_count = self->j.n + 1;
	EXPECT_EQ(-EFAULT, submit_with(self, &s));

	/* The submit struct itself. */
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_SUBMIT, NULL));
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_SUBMIT,
				     self->none));
	unchanged(_metadata, self);
}

TEST_F(bad, submit_bad_entry_size)
{
	static const uint32_t bad[] = { 0, 1, 4, 7, 1u << 20, 0xffffffff };
	struct drm_qaccel_submit s;

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		s = self->j.sub;
		s.buf_entry_size = bad[k];
		EXPECT_EQ(-EINVAL, submit_with(self, &s))
			TH_LOG("entry size %u", bad[k]);
	}
	unchanged(_metadata, self);
}

/* Entries larger than the kernel's: their extra bytes must be zero. */
TEST_F(bad, submit_grown_entries_need_zero_tails)
{
	struct wide { struct drm_qaccel_buf_entry e; uint32_t more[2]; };
	struct wide ent[T_MAX_BUFS];
	struct drm_qaccel_submit s;

	memset(ent, 0, sizeof(ent));
	for (uint32_t i = 0; i < self->j.n; i++)
		ent[i].e = self->j.ent[i];
	for (uint32_t i = 0; i < self->j.n; i++) {
		for (int w = 0; w < 2; w++) {
			ent[i].more[w] = 1;
			s = self->j.sub;
			s.bufs = (uintptr_t)ent;
			s.buf_entry_size = sizeof(ent[0]);
			EXPECT_EQ(-EINVAL, submit_with(self, &s))
				TH_LOG("entry %u, extra word %d set", i, w);
			ent[i].more[w] = 0;
		}
	}
	unchanged(_metadata, self);
}

TEST_F(bad, grown_entries_with_zero_tails_run)
{
	struct wide { struct drm_qaccel_buf_entry e; uint32_t more[2]; };
	struct wide ent[T_MAX_BUFS];
	struct drm_qaccel_stats st;
	struct drm_qaccel_submit s;
	uint64_t at = 0;

	memset(ent, 0, sizeof(ent));
	for (uint32_t i = 0; i < self->j.n; i++)
		ent[i].e = self->j.ent[i];
	s = self->j.sub;
	s.bufs = (uintptr_t)ent;
	s.buf_entry_size = sizeof(ent[0]);
	ASSERT_EQ(0, submit_with(self, &s));
	ASSERT_EQ(0, qd_job_wait(self->fd, &self->j, 20000));
	EXPECT_EQ(-1, qd_job_compare(&self->j, &self->want, &at));
	ASSERT_EQ(0, qd_stats(self->fd, &st));
	EXPECT_EQ(1, st.jobs_completed);
}

TEST_F(bad, submit_stream_buffer_also_data)
{
	struct drm_qaccel_buf_entry ent[T_MAX_BUFS + 1];
	struct drm_qaccel_submit s;

	/* Replacing an operand's buffer and appended as an extra entry. */
	for (uint32_t i = 0; i <= self->j.n; i++) {
		memcpy(ent, self->j.ent, sizeof(self->j.ent));
		ent[i].handle = self->j.stream.handle;
		ent[i].flags = DRM_QACCEL_BUF_READ;
		s = self->j.sub;
		s.bufs = (uintptr_t)ent;
		s.buf_count = self->j.n + (i == self->j.n);
		EXPECT_EQ(-EINVAL, submit_with(self, &s)) TH_LOG("entry %u", i);
	}
	unchanged(_metadata, self);
}

TEST_F(bad, submit_same_buffer_twice)
{
	struct drm_qaccel_buf_entry ent[T_MAX_BUFS + 1];
	struct drm_qaccel_submit s;

	memcpy(ent, self->j.ent, sizeof(self->j.ent));
	ent[self->j.n] = ent[0];
	s = self->j.sub;
	s.bufs = (uintptr_t)ent;
	s.buf_count = self->j.n + 1;
	EXPECT_EQ(-EINVAL, submit_with(self, &s));
	unchanged(_metadata, self);
}

TEST_F(bad, submit_unknown_syncobjs)
{
	struct drm_qaccel_submit s;
	uint32_t empty;

	s = self->j.sub;
	s.in_syncobj = 12345;
	EXPECT_EQ(-ENOENT, submit_with(self, &s));
	s = self->j.sub;
	s.out_syncobj = 12345;
	EXPECT_EQ(-ENOENT, submit_with(self, &s));
	/* A syncobj with no fence yet: nothing to wait for, so refused. */
	ASSERT_EQ(0, qf_syncobj_create(self->fd, &empty));
	s = self->j.sub;
	s.in_syncobj = empty;
	EXPECT_EQ(-EINVAL, submit_with(self, &s));
	ASSERT_EQ(0, qf_syncobj_destroy(self->fd, empty));
	/* Destroyed: unknown again, both ways. */
	s.in_syncobj = empty;
	EXPECT_EQ(-ENOENT, submit_with(self, &s));
	s.in_syncobj = 0;
	s.out_syncobj = empty;
	EXPECT_EQ(-ENOENT, submit_with(self, &s));
	unchanged(_metadata, self);
}

TEST_F(bad, stats_bad_pointer)
{
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_GET_STATS, NULL));
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_GET_STATS,
				     self->none));
	EXPECT_EQ(-EFAULT, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_GET_STATS,
				     (void *)(uintptr_t)KERNEL_PTR));
	unchanged(_metadata, self);
}

TEST_HARNESS_MAIN
