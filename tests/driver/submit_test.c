// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: SUBMIT's normal path. Every opcode of ISA v1 through the
 * driver on random data, a multi-command stream whose commands feed each
 * other, a stream at an offset inside its buffer, a stream changed right
 * after the submit (the kernel must run its own copy), the job
 * statistics, and the bound on one file's jobs in the kernel. Every output byte is compared with the reference engine run
 * here on a copy of the same inputs.
 */
#include <pthread.h>

#include "qaccel_faults.h"

#include "kselftest_harness.h"

FIXTURE(sub) {
	int fd;
};

FIXTURE_SETUP(sub)
{
	t_seed_init(0x5eed0001);
	self->fd = qd_open();
	ASSERT_GE(self->fd, 0) TH_LOG("no qaccel render node in /dev/dri");
}

FIXTURE_TEARDOWN(sub)
{
	close(self->fd);
}

/*
 * Submits stream s over buffers b, waits, and compares with the reference
 * run on a copy of b. Returns the first mismatching buffer or -1;
 * *submit_ret gets SUBMIT's result.
 */
static int run_and_compare(struct __test_metadata *_metadata, int fd,
			   struct t_bufs *b, struct sb_stream *s,
			   uint32_t stream_offset)
{
	struct t_bufs want;
	struct qd_job j;
	uint64_t at = 0;
	uint8_t *mem;
	int bad;

	mem = calloc(1, stream_offset + s->size);
	ASSERT_NE(NULL, mem);
	memset(mem, 0xee, stream_offset);
	memcpy(mem + stream_offset, s->mem, s->size);
	t_bufs_clone(&want, b);
	ASSERT_EQ(0, qd_ref_run(&want, s->mem, s->size));
	ASSERT_EQ(0, qd_job_upload(fd, b, mem, stream_offset + s->size, &j));
	j.sub.stream_offset = stream_offset;
	j.sub.stream_size = s->size;
	ASSERT_EQ(0, qd_job_submit(fd, &j));
	ASSERT_EQ(0, qd_job_wait(fd, &j, 20000));
	bad = qd_job_compare(&j, &want, &at);
	if (bad >= 0)
		TH_LOG("buffer %d differs at byte %llu", bad,
		       (unsigned long long)at);
	qd_job_free(fd, &j);
	t_bufs_free(&want);
	free(mem);
	return bad;
}

TEST_F(sub, every_opcode_matches_reference)
{
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		for (int rep = 0; rep < 3; rep++) {
			struct t_bufs b = { 0 };
			struct sb_stream s;
			union sb_cmd c;

			ASSERT_NE(0, sb_valid_cmd(op, &b, &c));
			sb_init(&s);
			sb_add(&s, &c.hdr);
			EXPECT_EQ(-1, run_and_compare(_metadata, self->fd, &b,
						      &s, 0)) {
				TH_LOG("opcode %s, repetition %d",
				       qaccel_opcode_name(op), rep);
			}
			sb_free(&s);
			t_bufs_free(&b);
		}
	}
}

/*
 * REQUANTIZE a -> b, LUT b -> c, COPY c -> d (a strided slice), ADD d + a
 * -> e: each command reads what the one before wrote, in one job.
 */
static void chained_stream(struct t_bufs *b, struct sb_stream *s)
{
	struct qaccel_cmd_requantize rq = {
		.hdr = { QACCEL_OP_REQUANTIZE, sizeof(rq) } };
	struct qaccel_cmd_lut lut = { .hdr = { QACCEL_OP_LUT, sizeof(lut) } };
	struct qaccel_cmd_copy cp = { .hdr = { QACCEL_OP_COPY, sizeof(cp) } };
	struct qaccel_cmd_binary add = {
		.hdr = { QACCEL_OP_ADD, sizeof(add) } };
	const uint32_t dims[4] = { 1, 4, 6, 8 };

	t_tensor_at(b, &rq.input, dims, 3, 5);
	t_tensor_at(b, &rq.output, dims, -2, 0);
	rq.qmul = t_qmul(-3, 0);
	rq.rounding = QACCEL_ROUND_DOUBLE;

	lut.input = rq.output;
	t_tensor_at(b, &lut.output, dims, 0, 7);
	lut.table.buf = t_buf_new(b, 256);

	/* The same shape, written transposed over H and W into d. */
	cp.src = lut.output.ref;
	cp.dst.buf = t_buf_new(b, 4 * 6 * 8 + 16);
	cp.dst.offset = 16;
	cp.dims[0] = 1;
	cp.dims[1] = 4;
	cp.dims[2] = 6;
	cp.dims[3] = 8;
	cp.src_strides[0] = 192;
	cp.src_strides[1] = 48;
	cp.src_strides[2] = 8;
	cp.src_strides[3] = 1;
	cp.dst_strides[0] = 192;
	cp.dst_strides[1] = 8;
	cp.dst_strides[2] = 32;
	cp.dst_strides[3] = 1;

	add.input1 = rq.input;
	add.input2.ref = cp.dst;
	memcpy(add.input2.dims, dims, sizeof(dims));
	add.input2.zero_point = 1;
	t_tensor_at(b, &add.output, dims, 4, 3);
	add.input1_qmul = t_qmul(-1, 0);
	add.input2_qmul = t_qmul(-1, 0);
	add.output_qmul = t_qmul(-20, -18);
	add.left_shift = 20;
	add.clamp = (struct qaccel_clamp){ -128, 127 };

	sb_init(s);
	sb_add(s, &rq.hdr);
	sb_add(s, &lut.hdr);
	sb_add(s, &cp.hdr);
	sb_add(s, &add.hdr);
}

TEST_F(sub, chained_commands_in_one_stream)
{
	for (int rep = 0; rep < 5; rep++) {
		struct t_bufs b = { 0 };
		struct sb_stream s;

		chained_stream(&b, &s);
		EXPECT_EQ(-1, run_and_compare(_metadata, self->fd, &b, &s,
					      0));
		sb_free(&s);
		t_bufs_free(&b);
	}
}

TEST_F(sub, stream_at_an_offset)
{
	struct t_bufs b = { 0 };
	struct sb_stream s;

	chained_stream(&b, &s);
	EXPECT_EQ(-1, run_and_compare(_metadata, self->fd, &b, &s, 4096 + 8));
	sb_free(&s);
	t_bufs_free(&b);
}

/* 500 REQUANTIZEs of one small tensor, each into its own place. */
TEST_F(sub, long_stream)
{
	struct qaccel_cmd_requantize rq = {
		.hdr = { QACCEL_OP_REQUANTIZE, sizeof(rq) } };
	struct t_bufs b = { 0 };
	struct sb_stream s;

	t_tensor(&b, &rq.input, 1, 1, 3, 5, 1);
	rq.output.ref.buf = t_buf_new(&b, 500 * 15);
	memcpy(rq.output.dims, rq.input.dims, sizeof(rq.input.dims));
	sb_init(&s);
	for (int i = 0; i < 500; i++) {
		rq.output.ref.offset = 15 * i;
		rq.output.zero_point = t_range(-128, 127);
		rq.qmul = t_qmul(-4, 1);
		rq.rounding = i & 1;
		sb_add(&s, &rq.hdr);
	}
	EXPECT_EQ(-1, run_and_compare(_metadata, self->fd, &b, &s, 0));
	sb_free(&s);
	t_bufs_free(&b);
}

/* Overwriting the stream right after SUBMIT changes nothing. */
TEST_F(sub, stream_is_copied_at_submit)
{
	struct t_bufs b = { 0 }, want;
	struct sb_stream s;
	struct qd_job j;
	uint64_t at = 0;

	chained_stream(&b, &s);
	t_bufs_clone(&want, &b);
	ASSERT_EQ(0, qd_ref_run(&want, s.mem, s.size));
	ASSERT_EQ(0, qd_job_upload(self->fd, &b, s.mem, s.size, &j));
	ASSERT_EQ(0, qd_job_submit(self->fd, &j));
	/* Every command now names buffer 0 at a huge offset. */
	for (uint32_t k = sizeof(struct qaccel_stream_header); k < s.size;
	     k += 4)
		j.stream.map[k] = 0xff;
	ASSERT_EQ(0, qd_job_wait(self->fd, &j, 20000));
	EXPECT_EQ(-1, qd_job_compare(&j, &want, &at));
	qd_job_free(self->fd, &j);
	t_bufs_free(&want);
	t_bufs_free(&b);
	sb_free(&s);
}

TEST_F(sub, seqno_and_stats_count_jobs)
{
	struct drm_qaccel_stats st;
	struct t_bufs b = { 0 };
	struct sb_stream s;
	union sb_cmd c;
	struct qd_job j;
	uint64_t last = 0;

	ASSERT_NE(0, sb_valid_cmd(QACCEL_OP_CONV_2D, &b, &c));
	sb_init(&s);
	sb_add(&s, &c.hdr);
	ASSERT_EQ(0, qd_job_upload(self->fd, &b, s.mem, s.size, &j));
	for (int i = 0; i < 10; i++) {
		ASSERT_EQ(0, qd_job_submit(self->fd, &j));
		if (i)
			EXPECT_GT(j.sub.seqno, last);
		last = j.sub.seqno;
	}
	ASSERT_EQ(0, qd_job_wait(self->fd, &j, 20000));
	ASSERT_EQ(0, qd_stats(self->fd, &st));
	EXPECT_EQ(10, st.jobs_completed);
	EXPECT_EQ(0, st.jobs_failed);
	EXPECT_EQ(0, st.jobs_timed_out);
	EXPECT_GT(st.engine_time_ns, 0);
	qd_job_free(self->fd, &j);
	t_bufs_free(&b);
	sb_free(&s);
}

/* A job's buffers may be read only: the engine must not need write. */
TEST_F(sub, read_only_inputs)
{
	struct t_bufs b = { 0 }, want;
	struct sb_stream s;
	union sb_cmd c;
	struct qd_job j;
	uint64_t at = 0;

	ASSERT_NE(0, sb_valid_cmd(QACCEL_OP_REQUANTIZE, &b, &c));
	sb_init(&s);
	sb_add(&s, &c.hdr);
	t_bufs_clone(&want, &b);
	ASSERT_EQ(0, qd_ref_run(&want, s.mem, s.size));
	ASSERT_EQ(0, qd_job_upload(self->fd, &b, s.mem, s.size, &j));
	j.ent[c.rq.input.ref.buf].flags = DRM_QACCEL_BUF_READ;
	j.ent[c.rq.output.ref.buf].flags = DRM_QACCEL_BUF_WRITE;
	ASSERT_EQ(0, qd_job_submit(self->fd, &j));
	ASSERT_EQ(0, qd_job_wait(self->fd, &j, 20000));
	EXPECT_EQ(-1, qd_job_compare(&j, &want, &at));
	qd_job_free(self->fd, &j);
	t_bufs_free(&want);
	t_bufs_free(&b);
	sb_free(&s);
}

/* Per-file bound on jobs in the kernel (driver/qaccel_drv.h). */
#define MAX_FILE_JOBS 256

struct blocked_submit {
	int fd;
	struct drm_qaccel_submit sub;
	int ret;
	volatile int done;
};

static void *submit_thread(void *arg)
{
	struct blocked_submit *b = arg;

	b->ret = qd_submit_raw(b->fd, &b->sub);
	b->done = 1;
	return NULL;
}

/*
 * Behind a hung job a file fills its MAX_FILE_JOBS; one more SUBMIT waits
 * for room instead of piling up memory, and goes through once the hang is
 * timed out and jobs are freed. Every job then ran, and ran right.
 */
TEST_F(sub, submit_waits_for_room_behind_a_hang)
{
	struct drm_qaccel_stats st;
	struct blocked_submit b;
	long old_timeout = 500;
	struct qf_job q;
	pthread_t th;

	ASSERT_EQ(0, qf_param_get("timeout_ms", &old_timeout));
	ASSERT_EQ(0, qf_param_set("timeout_ms", 3000));
	ASSERT_EQ(0, qf_job_new(self->fd, QACCEL_OP_REQUANTIZE, &q));
	ASSERT_EQ(0, qf_param_set("fault_hang", 1));
	for (int i = 0; i < MAX_FILE_JOBS; i++) {
		ASSERT_EQ(0, qd_job_submit(self->fd, &q.j)) TH_LOG("job %d", i);
	}
	b = (struct blocked_submit){ .fd = self->fd, .sub = q.j.sub };
	ASSERT_EQ(0, pthread_create(&th, NULL, submit_thread, &b));
	usleep(300 * 1000);
	EXPECT_EQ(0, b.done) TH_LOG("SUBMIT past the bound did not wait");
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, b.ret);
	EXPECT_EQ(0, qf_job_check(self->fd, &q));
	ASSERT_EQ(0, qd_stats(self->fd, &st));
	EXPECT_EQ(MAX_FILE_JOBS, st.jobs_completed);
	EXPECT_EQ(1, st.jobs_timed_out);
	EXPECT_EQ(0, st.jobs_failed);
	qf_faults_off();
	qf_param_set("timeout_ms", old_timeout);
	qf_job_free(self->fd, &q);
}

TEST_HARNESS_MAIN
