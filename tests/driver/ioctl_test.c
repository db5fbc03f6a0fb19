// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: the normal path of every ioctl that is not a submit. QUERY
 * with its size negotiation, BO_CREATE + mmap, GEM close, BO_WAIT on an
 * idle buffer, GET_STATS of a fresh file, BO_INFO of a made and of an
 * imported buffer.
 */
#include "qaccel_dev.h"

#include "kselftest_harness.h"

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = qd_open();
	ASSERT_GE(self->fd, 0) TH_LOG("no qaccel render node in /dev/dri");
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, version_names_the_driver)
{
	drmVersionPtr v = drmGetVersion(self->fd);

	ASSERT_NE(NULL, v);
	EXPECT_STREQ("qaccel", v->name);
	drmFreeVersion(v);
}

TEST_F(dev, query_reports_abi_isa_and_limits)
{
	struct drm_qaccel_query_info info;
	uint64_t all = 0;

	ASSERT_EQ(0, qd_query(self->fd, &info));
	EXPECT_EQ(1, info.abi_version);
	EXPECT_EQ(QACCEL_ISA_VERSION, info.isa_version);
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++)
		all |= 1ull << op;
	EXPECT_EQ(all, info.opcodes_mask);
	EXPECT_EQ(QACCEL_MAX_STREAM_SIZE, info.max_stream_size);
	EXPECT_EQ(QACCEL_MAX_CMDS, info.max_cmds);
	EXPECT_EQ(QACCEL_MAX_BUFFERS, info.max_buffers);
	EXPECT_GT(info.timeout_ms, 0);
}

TEST_F(dev, query_without_pointer_returns_size)
{
	struct drm_qaccel_query q = { 0 };

	ASSERT_EQ(0, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_QUERY, &q));
	EXPECT_GE(q.size, sizeof(struct drm_qaccel_query_info));
	EXPECT_EQ(0, q.size % 8);
}

/* A short buffer gets only its bytes; a long one keeps its tail. */
TEST_F(dev, query_copies_min_of_sizes)
{
	struct drm_qaccel_query_info full;
	uint8_t buf[sizeof(full) + 64];
	struct drm_qaccel_query q = { .info = (uintptr_t)buf, .size = 8 };
	uint32_t kernel_size;

	ASSERT_EQ(0, qd_query(self->fd, &full));
	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_QUERY, &q));
	EXPECT_EQ(0, memcmp(buf, &full, 8));
	for (size_t i = 8; i < sizeof(buf); i++) {
		ASSERT_EQ(0xa5, buf[i]) TH_LOG("byte %zu written", i);
	}

	q = (struct drm_qaccel_query){ .info = 0 };
	ASSERT_EQ(0, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_QUERY, &q));
	kernel_size = q.size;
	ASSERT_LE(kernel_size, sizeof(buf));
	memset(buf, 0xa5, sizeof(buf));
	q = (struct drm_qaccel_query){ .info = (uintptr_t)buf,
				       .size = sizeof(buf) };
	ASSERT_EQ(0, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_QUERY, &q));
	EXPECT_EQ(kernel_size, q.size);
	EXPECT_EQ(0, memcmp(buf, &full, sizeof(full)));
	for (size_t i = kernel_size; i < sizeof(buf); i++) {
		ASSERT_EQ(0xa5, buf[i]) TH_LOG("byte %zu past the struct", i);
	}
}

/* Sizes around page boundaries: zeroed, writable, contents persist. */
TEST_F(dev, bo_create_mmap_roundtrip)
{
	static const uint64_t sizes[] = { 1, 8, 4095, 4096, 4097, 65536,
					  (1 << 20) + 3 };

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct qd_bo bo;
		uint8_t *p;

		ASSERT_EQ(0, qd_bo_create(self->fd, sizes[s], &bo));
		EXPECT_NE(0, bo.handle);
		EXPECT_EQ(0, bo.mmap_offset % 4096);
		ASSERT_EQ(0, qd_bo_map(self->fd, &bo));
		for (uint64_t i = 0; i < bo.map_size; i++) {
			ASSERT_EQ(0, bo.map[i]) TH_LOG("new bo byte %llu",
								(unsigned long long)i);
		}
		for (uint64_t i = 0; i < bo.map_size; i++)
			bo.map[i] = (uint8_t)(i * 7 + s);
		munmap(bo.map, bo.map_size);
		bo.map = NULL;
		ASSERT_EQ(0, qd_bo_map(self->fd, &bo));
		p = bo.map;
		for (uint64_t i = 0; i < bo.map_size; i++)
			ASSERT_EQ((uint8_t)(i * 7 + s), p[i]);
		qd_bo_free(self->fd, &bo);
	}
}

TEST_F(dev, bos_are_distinct)
{
	struct qd_bo a, b;

	ASSERT_EQ(0, qd_bo_upload(self->fd, NULL, 4096, &a));
	ASSERT_EQ(0, qd_bo_upload(self->fd, NULL, 4096, &b));
	EXPECT_NE(a.handle, b.handle);
	EXPECT_NE(a.mmap_offset, b.mmap_offset);
	memset(a.map, 1, 4096);
	EXPECT_EQ(0, b.map[0]);
	qd_bo_free(self->fd, &a);
	qd_bo_free(self->fd, &b);
}

TEST_F(dev, gem_close_twice_fails)
{
	struct qd_bo bo;

	ASSERT_EQ(0, qd_bo_create(self->fd, 4096, &bo));
	EXPECT_EQ(0, qd_gem_close(self->fd, bo.handle));
	EXPECT_EQ(-EINVAL, qd_gem_close(self->fd, bo.handle));
}

/* A mapping outlives the handle; a new mmap of the old offset fails. */
TEST_F(dev, mapping_outlives_close)
{
	struct qd_bo bo;
	void *p;

	ASSERT_EQ(0, qd_bo_upload(self->fd, NULL, 4096, &bo));
	memset(bo.map, 0x5a, 4096);
	ASSERT_EQ(0, qd_gem_close(self->fd, bo.handle));
	EXPECT_EQ(0x5a, bo.map[4095]);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd,
		 (off_t)bo.mmap_offset);
	EXPECT_EQ(MAP_FAILED, p);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	munmap(bo.map, 4096);
}

TEST_F(dev, bo_wait_on_idle_buffer)
{
	struct qd_bo bo;

	ASSERT_EQ(0, qd_bo_create(self->fd, 4096, &bo));
	EXPECT_EQ(0, qd_bo_wait(self->fd, bo.handle, 0));
	EXPECT_EQ(0, qd_bo_wait(self->fd, bo.handle, -1000000000LL));
	EXPECT_EQ(0, qd_bo_wait(self->fd, bo.handle, 100 * QD_NS_PER_MS));
	qd_bo_free(self->fd, &bo);
}

TEST_F(dev, stats_of_a_new_file_are_zero)
{
	struct drm_qaccel_stats s;

	memset(&s, 0xff, sizeof(s));
	ASSERT_EQ(0, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_GET_STATS, &s));
	EXPECT_EQ(0, s.jobs_completed);
	EXPECT_EQ(0, s.jobs_failed);
	EXPECT_EQ(0, s.jobs_timed_out);
	EXPECT_EQ(0, s.engine_time_ns);
}

/* Each open is its own file: handles are per file. */
TEST_F(dev, two_files_number_handles_independently)
{
	int fd2 = qd_open();
	struct qd_bo a, b;

	ASSERT_GE(fd2, 0);
	ASSERT_EQ(0, qd_bo_create(self->fd, 4096, &a));
	ASSERT_EQ(0, qd_bo_create(fd2, 4096, &b));
	/* The first handle of each file: the same number, different bos. */
	EXPECT_EQ(a.handle, b.handle);
	qd_bo_free(self->fd, &a);
	qd_bo_free(fd2, &b);
	close(fd2);
}

static int bo_info(int fd, uint32_t handle, struct drm_qaccel_bo_info *info)
{
	*info = (struct drm_qaccel_bo_info){ .handle = handle };
	return qd_ioctl(fd, DRM_IOCTL_QACCEL_BO_INFO, info);
}

/* BO_INFO repeats what BO_CREATE said, and only for this file's handles. */
TEST_F(dev, bo_info_of_a_made_buffer)
{
	struct drm_qaccel_bo_info info;
	struct qd_bo bo;

	ASSERT_EQ(0, qd_bo_create(self->fd, 5000, &bo));
	ASSERT_EQ(0, bo_info(self->fd, bo.handle, &info));
	EXPECT_EQ(qd_page_round(5000), info.size);
	EXPECT_EQ(bo.mmap_offset, info.mmap_offset);
	info.flags = 1;
	EXPECT_EQ(-EINVAL, qd_ioctl(self->fd, DRM_IOCTL_QACCEL_BO_INFO, &info));
	EXPECT_EQ(-ENOENT, bo_info(self->fd, bo.handle + 1000, &info));
	qd_bo_free(self->fd, &bo);
	EXPECT_EQ(-ENOENT, bo_info(self->fd, bo.handle, &info));
}

/*
 * A buffer exported by one file and imported by another: the importer
 * learns its size and maps it through its own device file at the offset
 * BO_INFO gives, seeing the exporter's bytes and its own writes shared.
 */
TEST_F(dev, bo_info_maps_an_imported_buffer)
{
	struct drm_qaccel_bo_info info;
	int fd2 = qd_open(), dmabuf;
	uint32_t imported;
	struct qd_bo bo;
	uint8_t *p;

	ASSERT_GE(fd2, 0);
	ASSERT_EQ(0, qd_bo_upload(self->fd, NULL, 3 * 4096, &bo));
	for (int i = 0; i < 3 * 4096; i++)
		bo.map[i] = (uint8_t)(i * 31 + 7);
	ASSERT_EQ(0, drmPrimeHandleToFD(self->fd, bo.handle, DRM_CLOEXEC,
					&dmabuf));
	ASSERT_EQ(0, drmPrimeFDToHandle(fd2, dmabuf, &imported));
	close(dmabuf);
	ASSERT_EQ(0, bo_info(fd2, imported, &info));
	EXPECT_EQ(3 * 4096, info.size);
	EXPECT_EQ(0, info.mmap_offset % 4096);
	p = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd2,
		 (off_t)info.mmap_offset);
	ASSERT_NE(MAP_FAILED, p);
	for (int i = 0; i < 3 * 4096; i++) {
		ASSERT_EQ((uint8_t)(i * 31 + 7), p[i]) TH_LOG("byte %d", i);
	}
	p[100] = 0x42;
	EXPECT_EQ(0x42, bo.map[100]);
	munmap(p, info.size);
	qd_gem_close(fd2, imported);
	close(fd2);
	qd_bo_free(self->fd, &bo);
}

TEST_HARNESS_MAIN
