// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: every validator rule broken through a real SUBMIT.
 *
 * - Every 32-bit word of a valid command of every opcode, in turn, set to
 *   values around every limit (0, 1, the int8 and dimension bounds, huge
 *   offsets, sign bits, off-by-one of the valid value): the kernel must
 *   reject exactly the streams the reference validator rejects for buffers
 *   of the GEM objects' sizes, with the same errno and error_offset.
 * - Hand-written cases whose errno is fixed here (so a kernel that did not
 *   validate at all, or a wrong oracle, fails): bad headers, zero-length
 *   and truncated streams, trailing bytes, a short buffer table, an operand
 *   one byte past its buffer, overlapping COPY, misaligned int32 arrays,
 *   the accumulation and pool limits, too many buffers or commands, a bad
 *   command after many good ones, error_offset of a stream at an offset.
 * After each, nothing ran (buffers, GET_STATS), nothing leaked (debugfs),
 * and the valid stream then runs bit-exact.
 */
#include "qaccel_faults.h"

#include "kselftest_harness.h"

#define HDR SB_HDR_SIZE
#define STREAM_BO (64 * 1024)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

FIXTURE(vs) {
	int fd;
	struct qf_state state;
	uint64_t completed;	/* good jobs run so far */
};

FIXTURE_SETUP(vs)
{
	QF_NEED_ROOT();
	t_seed_init(0x5eed0201);
	self->fd = qd_open();
	ASSERT_GE(self->fd, 0) TH_LOG("no qaccel render node in /dev/dri");
	ASSERT_EQ(0, qf_state_baseline(&self->state))
		TH_LOG("no qaccel_state in debugfs");
}

FIXTURE_TEARDOWN(vs)
{
	close(self->fd);
}

/* A job over b's buffers whose stream buffer has room to spare. */
struct vjob {
	struct t_bufs b;	/* inputs as uploaded */
	struct qd_job j;
	uint64_t sizes[T_MAX_BUFS];	/* what the kernel sees: whole pages */
};

static int vjob_upload(int fd, struct vjob *v, const struct sb_stream *s)
{
	uint8_t *mem = calloc(1, STREAM_BO);
	int ret;

	memcpy(mem, s->mem, s->size);
	ret = qd_job_upload(fd, &v->b, mem, STREAM_BO, &v->j);
	free(mem);
	v->j.sub.stream_size = s->size;
	for (uint32_t i = 0; i < v->b.n; i++)
		v->sizes[i] = qd_page_round(v->b.sizes[i]);
	return ret;
}

/* Writes a stream into the job's stream buffer (the rest stays). */
static void vjob_stream(struct vjob *v, const void *mem, uint32_t size)
{
	memcpy(v->j.stream.map, mem, size);
	v->j.sub.stream_size = size;
}

/*
 * Submits the stream buffer's first size bytes. When the reference
 * validator rejects them for buffers of these sizes, the kernel must fail
 * with its errno and error offset; returns that errno (0: the reference
 * accepts, nothing submitted). *mismatch counts disagreements.
 */
static int reject_like_ref(struct __test_metadata *_metadata, int fd,
			   struct vjob *v, uint32_t size, int *mismatch,
			   const char *what)
{
	struct qaccel_validate_error e = { 0 };
	struct drm_qaccel_submit s = v->j.sub;
	int want, got;

	want = qaccel_validate(v->j.stream.map, size, v->sizes, s.buf_count,
			       &e);
	if (!want)
		return 0;
	s.stream_size = size;
	s.error_offset = 0xdeadbeef;
	got = qd_submit_raw(fd, &s);
	if (got != want || s.error_offset != e.offset) {
		if (*mismatch < 20)
			TH_LOG("%s: got %d at %u, reference %d at %u (%s)", what,
			       got, s.error_offset, want, e.offset, e.reason);
		(*mismatch)++;
	}
	return want;
}

/*
 * Nothing ran, nothing leaked; then the stream the job was built with
 * runs and matches the reference (want: its outputs).
 */
static void good_after(struct __test_metadata *_metadata,
		       FIXTURE_DATA(vs) *self, struct vjob *v,
		       const struct sb_stream *good, const struct t_bufs *want)
{
	struct drm_qaccel_stats st;
	uint64_t at = 0;

	ASSERT_EQ(0, qd_stats(self->fd, &st));
	EXPECT_EQ(self->completed, st.jobs_completed);
	EXPECT_EQ(0, st.jobs_failed + st.jobs_timed_out);
	EXPECT_EQ(-1, qd_job_compare(&v->j, &v->b, &at))
		TH_LOG("a rejected stream wrote byte %llu",
		       (unsigned long long)at);
	EXPECT_EQ(0, qf_jobs_settle(self->state.jobs, 5000))
		TH_LOG("jobs left behind");
	vjob_stream(v, good->mem, good->size);
	ASSERT_EQ(0, qd_job_submit(self->fd, &v->j));
	ASSERT_EQ(0, qd_job_wait(self->fd, &v->j, 20000));
	EXPECT_EQ(-1, qd_job_compare(&v->j, want, &at))
		TH_LOG("the valid stream's result differs at byte %llu",
		       (unsigned long long)at);
	self->completed++;
	ASSERT_EQ(0, qd_stats(self->fd, &st));
	EXPECT_EQ(self->completed, st.jobs_completed);
}

/* Values around every limit of the ISA, and around the valid value. */
static uint32_t word_value(uint32_t k, uint32_t valid)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 31, 32, 64, 65, 127, 128, 200, 255, 256,
		0xfff, 0x1000, 0x10000, 0x10001, 0x7fffffff, 0x80000000,
		(uint32_t)-129, (uint32_t)-128, (uint32_t)-32, (uint32_t)-31,
		0xffffffff,
	};

	if (k < ARRAY_LEN(v))
		return v[k];
	switch (k - ARRAY_LEN(v)) {
	case 0:
		return valid + 1;
	case 1:
		return valid - 1;
	default:
		return valid ^ 0x80000000;
	}
}

#define WORD_VALUES (27 + 3)

TEST_F_TIMEOUT(vs, every_word_of_every_command, 240)
{
	int total = 0, mismatch = 0;

	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		struct vjob v = { 0 };
		struct t_bufs want;
		struct sb_stream s;
		union sb_cmd c;
		uint32_t size = sb_valid_cmd(op, &v.b, &c), *word;
		int seen[3] = { 0 }, rejected = 0;

		sb_repeat(&s, &c, 2);
		t_bufs_clone(&want, &v.b);
		ASSERT_EQ(0, qd_ref_run(&want, s.mem, s.size));
		ASSERT_EQ(0, vjob_upload(self->fd, &v, &s));
		for (uint32_t w = 0; w < size / 4; w++) {
			word = (uint32_t *)(v.j.stream.map + HDR + size) + w;
			for (uint32_t k = 0; k < WORD_VALUES; k++) {
				uint32_t keep = *word;
				char what[64];
				int r;

				*word = word_value(k, keep);
				if (*word == keep)
					continue;
				snprintf(what, sizeof(what), "%s byte %u = 0x%x",
					 qaccel_opcode_name(op), w * 4, *word);
				r = reject_like_ref(_metadata, self->fd, &v,
						    s.size, &mismatch, what);
				*word = keep;
				rejected += !!r;
				seen[0] += r == -EINVAL;
				seen[1] += r == -E2BIG;
				seen[2] += r == -EOVERFLOW;
			}
		}
		/* Every class of error was reached for every opcode. */
		EXPECT_GE(rejected, (int)(size / 4) * 5)
			TH_LOG("%s: %d rejections", qaccel_opcode_name(op),
			       rejected);
		EXPECT_GT(seen[0], 0);
		EXPECT_GT(seen[1], 0);
		EXPECT_GT(seen[2], 0);
		total += rejected;
		good_after(_metadata, self, &v, &s, &want);
		qd_job_free(self->fd, &v.j);
		t_bufs_free(&want);
		t_bufs_free(&v.b);
		sb_free(&s);
	}
	TH_LOG("%d rejected streams submitted", total);
	EXPECT_EQ(0, mismatch);
}

/*
 * Hand-written cases: the stream buffer's first size bytes must be
 * rejected with this errno at this offset, by the reference validator and
 * by the kernel alike.
 */
struct fixed_case {
	struct __test_metadata *md;
	int fd;
	struct vjob *v;
};

static void expect_fixed(struct fixed_case *fc, uint32_t size, int err,
			 uint32_t offset, const char *what)
{
	struct __test_metadata *_metadata = fc->md;
	struct qaccel_validate_error e = { 0 };
	struct drm_qaccel_submit s = fc->v->j.sub;
	int ref;

	ref = qaccel_validate(fc->v->j.stream.map, size, fc->v->sizes,
			      s.buf_count, &e);
	EXPECT_EQ(err, ref) TH_LOG("%s: the reference validator says %d (%s)",
				   what, ref, e.reason ? e.reason : "-");
	EXPECT_EQ(offset, e.offset) TH_LOG("%s: reference offset", what);
	s.stream_size = size;
	s.error_offset = 0xdeadbeef;
	EXPECT_EQ(err, qd_submit_raw(fc->fd, &s)) TH_LOG("%s", what);
	EXPECT_EQ(offset, s.error_offset) TH_LOG("%s: error_offset", what);
}

/* A job of one opcode's valid command, repeated reps times. */
struct one {
	struct vjob v;
	union sb_cmd c;
	uint32_t size;
	struct sb_stream s;
	struct t_bufs want;
};

static void one_init(struct __test_metadata *_metadata, int fd,
		     struct one *o, uint32_t op, int reps)
{
	memset(o, 0, sizeof(*o));
	o->size = sb_valid_cmd(op, &o->v.b, &o->c);
	sb_repeat(&o->s, &o->c, reps);
	t_bufs_clone(&o->want, &o->v.b);
	ASSERT_EQ(0, qd_ref_run(&o->want, o->s.mem, o->s.size));
	ASSERT_EQ(0, vjob_upload(fd, &o->v, &o->s));
}

static void one_free(int fd, struct one *o)
{
	qd_job_free(fd, &o->v.j);
	t_bufs_free(&o->v.b);
	t_bufs_free(&o->want);
	sb_free(&o->s);
}

/* The stream of o with one 32-bit word replaced. */
static void one_poke(struct one *o, uint32_t byte, uint32_t value)
{
	vjob_stream(&o->v, o->s.mem, o->s.size);
	memcpy(o->v.j.stream.map + byte, &value, 4);
}

TEST_F(vs, bad_stream_headers)
{
	static const struct { uint32_t word, value; int err; } bad[] = {
		{ 0, QACCEL_STREAM_MAGIC + 1, -EINVAL }, { 0, 0, -EINVAL },
		{ 1, 0, -EINVAL }, { 1, QACCEL_ISA_VERSION + 1, -EINVAL },
		{ 2, 0, -EINVAL },	/* size below the submitted size */
		{ 3, 0, -EINVAL }, { 3, QACCEL_MAX_CMDS + 1, -E2BIG },
		{ 4, 1, -EINVAL }, { 4, 0x80000000, -EINVAL },
		{ 5, 1, -EINVAL }, { 6, 1, -EINVAL }, { 7, 0x80000000, -EINVAL },
	};
	struct one o;
	struct fixed_case fc = { _metadata, self->fd, &o.v };

	one_init(_metadata, self->fd, &o, QACCEL_OP_LUT, 2);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char what[48];

		snprintf(what, sizeof(what), "header word %u = 0x%x",
			 bad[i].word, bad[i].value);
		one_poke(&o, 4 * bad[i].word, bad[i].value);
		expect_fixed(&fc, o.s.size, bad[i].err, 0, what);
	}
	/* size above the submitted size: the stream is cut short. */
	one_poke(&o, 8, o.s.size + 8);
	expect_fixed(&fc, o.s.size, -EOVERFLOW, 0, "header size + 8");
	/* num_cmds one more than there are: the third command is missing. */
	one_poke(&o, 12, 3);
	expect_fixed(&fc, o.s.size, -EOVERFLOW, HDR + 2 * o.size,
		     "num_cmds + 1");
	good_after(_metadata, self, &o.v, &o.s, &o.want);
	one_free(self->fd, &o);
}

TEST_F(vs, zero_length_truncated_and_trailing)
{
	struct one o;
	struct fixed_case fc = { _metadata, self->fd, &o.v };
	uint32_t full;

	one_init(_metadata, self->fd, &o, QACCEL_OP_SOFTMAX, 2);
	full = o.s.size;
	vjob_stream(&o.v, o.s.mem, full);
	/* Zero bytes: refused before any validation (Documentation/driver.rst). */
	{
		struct drm_qaccel_submit s = o.v.j.sub;

		s.stream_size = 0;
		EXPECT_EQ(-EINVAL, qd_submit_raw(self->fd, &s));
	}
	/* Cut anywhere, the header still claiming the full size. */
	for (uint32_t len = 1; len < full; len++) {
		char what[32];

		snprintf(what, sizeof(what), "cut to %u", len);
		expect_fixed(&fc, len, -EOVERFLOW, 0, what);
	}
	/* Cut with the header agreeing: the cut command is past the end. */
	for (uint32_t len = HDR; len < full; len++) {
		char what[48];

		snprintf(what, sizeof(what), "cut to %u, header agreeing", len);
		one_poke(&o, 8, len);
		expect_fixed(&fc, len, -EOVERFLOW,
			     len < HDR + o.size ? HDR : HDR + o.size, what);
	}
	/* Submitted longer than the header says. */
	vjob_stream(&o.v, o.s.mem, full);
	memset(o.v.j.stream.map + full, 0, 64);
	expect_fixed(&fc, full + 8, -EINVAL, 0, "8 bytes past the header size");
	/* Header and submission agree on bytes no command covers. */
	for (uint32_t extra = 4; extra <= 16; extra += 4) {
		one_poke(&o, 8, full + extra);
		expect_fixed(&fc, full + extra, -EINVAL, full, "trailing bytes");
	}
	one_poke(&o, 12, 1);
	expect_fixed(&fc, full, -EINVAL, HDR + o.size, "num_cmds - 1");
	good_after(_metadata, self, &o.v, &o.s, &o.want);
	one_free(self->fd, &o);
}

/* Fewer entries than the stream names. */
TEST_F(vs, buffer_table_too_short)
{
	struct one o;
	struct fixed_case fc = { _metadata, self->fd, &o.v };

	one_init(_metadata, self->fd, &o, QACCEL_OP_CONV_2D, 1);
	vjob_stream(&o.v, o.s.mem, o.s.size);
	for (uint32_t n = 0; n < o.v.b.n; n++) {
		o.v.j.sub.buf_count = n;
		expect_fixed(&fc, o.s.size, -EINVAL, HDR, "short table");
	}
	o.v.j.sub.buf_count = o.v.b.n;
	good_after(_metadata, self, &o.v, &o.s, &o.want);
	one_free(self->fd, &o);
}

/*
 * LUT operands placed to end exactly at the end of their one-page
 * buffer run; one byte further they are past it (-EOVERFLOW).
 */
TEST_F(vs, operand_one_byte_past_its_buffer)
{
	struct qaccel_cmd_lut lut = { .hdr = { QACCEL_OP_LUT, sizeof(lut) } };
	struct qaccel_ref *refs[3] = { &lut.input.ref, &lut.output.ref,
				       &lut.table };
	const uint32_t extent[3] = { 30, 30, 256 };
	struct vjob v = { 0 };
	struct fixed_case fc = { _metadata, self->fd, &v };
	struct t_bufs want;
	struct sb_stream s;

	for (int i = 0; i < 3; i++)
		refs[i]->buf = t_buf_new(&v.b, 4096);
	lut.input.dims[0] = lut.input.dims[1] = 1;
	lut.input.dims[2] = 5;
	lut.input.dims[3] = 6;
	lut.output.dims[0] = lut.output.dims[1] = 1;
	lut.output.dims[2] = 5;
	lut.output.dims[3] = 6;
	for (int i = 0; i < 3; i++)
		refs[i]->offset = 4096 - extent[i];
	sb_init(&s);
	sb_add(&s, &lut.hdr);
	t_bufs_clone(&want, &v.b);
	ASSERT_EQ(0, qd_ref_run(&want, s.mem, s.size));
	ASSERT_EQ(0, vjob_upload(self->fd, &v, &s));
	for (int i = 0; i < 3; i++) {
		refs[i]->offset++;
		memcpy(v.j.stream.map + HDR, &lut, sizeof(lut));
		expect_fixed(&fc, s.size, -EOVERFLOW, HDR, "one byte past");
		refs[i]->offset--;
	}
	good_after(_metadata, self, &v, &s, &want);
	qd_job_free(self->fd, &v.j);
	t_bufs_free(&v.b);
	t_bufs_free(&want);
	sb_free(&s);
}

TEST_F(vs, copy_overlap_alignment_and_limits)
{
	const uint32_t hc = HDR;	/* the first command's offset */
	struct fixed_case fc = { _metadata, self->fd, NULL };
	struct one o;

	/* COPY with source and destination overlapping in one buffer. */
	one_init(_metadata, self->fd, &o, QACCEL_OP_COPY, 1);
	fc.v = &o.v;
	one_poke(&o, hc + offsetof(struct qaccel_cmd_copy, src.buf),
		 o.c.copy.dst.buf);
	expect_fixed(&fc, o.s.size, -EINVAL, HDR, "overlapping copy");
	/* A destination written twice (all strides 0). */
	vjob_stream(&o.v, o.s.mem, o.s.size);
	memset(o.v.j.stream.map + hc + offsetof(struct qaccel_cmd_copy,
						dst_strides), 0, 16);
	expect_fixed(&fc, o.s.size, -EINVAL, HDR, "dst strides 0");
	good_after(_metadata, self, &o.v, &o.s, &o.want);
	one_free(self->fd, &o);

	/* CONV_2D: misaligned bias and params, absent bias with an offset. */
	one_init(_metadata, self->fd, &o, QACCEL_OP_CONV_2D, 1);
	fc.v = &o.v;
	for (uint32_t off = 1; off < 4; off++) {
		one_poke(&o, hc + offsetof(struct qaccel_cmd_conv2d,
					   bias.offset), off);
		expect_fixed(&fc, o.s.size, -EINVAL, HDR, "misaligned bias");
		one_poke(&o, hc + offsetof(struct qaccel_cmd_conv2d,
					   requant.params.offset), off);
		expect_fixed(&fc, o.s.size, -EINVAL, HDR, "misaligned params");
	}
	one_poke(&o, hc + offsetof(struct qaccel_cmd_conv2d, bias.buf),
		 QACCEL_NO_BUFFER);
	memcpy(o.v.j.stream.map + hc + offsetof(struct qaccel_cmd_conv2d,
						bias.offset),
	       &(uint32_t){ 4 }, 4);
	expect_fixed(&fc, o.s.size, -EINVAL, HDR, "absent bias, offset 4");
	/* KH * KW * IC = 64 * 64 * 17 products per output: over the limit. */
	{
		struct qaccel_cmd_conv2d cv = o.c.conv;

		cv.filter.dims[1] = cv.filter.dims[2] = 64;
		cv.filter.dims[3] = cv.input.dims[3] = 17;
		vjob_stream(&o.v, o.s.mem, o.s.size);
		memcpy(o.v.j.stream.map + hc, &cv, sizeof(cv));
		expect_fixed(&fc, o.s.size, -E2BIG, HDR, "conv depth");
	}
	good_after(_metadata, self, &o.v, &o.s, &o.want);
	one_free(self->fd, &o);

	/* MEAN over 256 x 257 elements: over the pool limit. */
	one_init(_metadata, self->fd, &o, QACCEL_OP_MEAN, 1);
	fc.v = &o.v;
	one_poke(&o, hc + offsetof(struct qaccel_cmd_mean, input.dims[1]), 256);
	memcpy(o.v.j.stream.map + hc + offsetof(struct qaccel_cmd_mean,
						input.dims[2]),
	       &(uint32_t){ 257 }, 4);
	expect_fixed(&fc, o.s.size, -E2BIG, HDR, "mean count");
	good_after(_metadata, self, &o.v, &o.s, &o.want);
	one_free(self->fd, &o);
}

/* 300 good commands, then a bad one: the whole stream is refused. */
TEST_F(vs, bad_command_after_many_good)
{
	struct one o;
	struct fixed_case fc = { _metadata, self->fd, &o.v };
	struct sb_stream bad;
	union sb_cmd m;

	one_init(_metadata, self->fd, &o, QACCEL_OP_REQUANTIZE, 300);
	m = o.c;
	m.rq.rounding = 2;
	sb_repeat(&bad, &o.c, 300);
	sb_add(&bad, &m.hdr);
	vjob_stream(&o.v, bad.mem, bad.size);
	expect_fixed(&fc, bad.size, -EINVAL, HDR + 300 * o.size,
		     "301st command");
	good_after(_metadata, self, &o.v, &o.s, &o.want);
	sb_free(&bad);
	one_free(self->fd, &o);
}

/* QACCEL_MAX_CMDS commands run; one more is -E2BIG, none of them run. */
TEST_F_TIMEOUT(vs, most_commands_in_one_stream, 120)
{
	struct qaccel_cmd_requantize rq = {
		.hdr = { QACCEL_OP_REQUANTIZE, sizeof(rq) } };
	struct vjob v = { 0 };
	struct fixed_case fc = { _metadata, self->fd, &v };
	struct t_bufs want;
	struct sb_stream s, over;
	uint8_t *mem;

	/* Each command requantizes one byte into its own output byte. */
	t_tensor(&v.b, &rq.input, 1, 1, 1, 1, 1);
	rq.output = rq.input;
	rq.output.ref.buf = t_buf_new(&v.b, QACCEL_MAX_CMDS);
	sb_init(&s);
	for (uint32_t i = 0; i < QACCEL_MAX_CMDS; i++) {
		rq.output.ref.offset = i;
		rq.output.zero_point = t_range(-128, 127);
		rq.qmul = t_qmul(-6, 1);
		sb_add(&s, &rq.hdr);
	}
	over = s;
	over.mem = malloc(s.cap);
	ASSERT_NE(NULL, over.mem);
	memcpy(over.mem, s.mem, s.cap);
	sb_add(&over, &rq.hdr);
	t_bufs_clone(&want, &v.b);
	ASSERT_EQ(0, qd_ref_run(&want, s.mem, s.size));
	/* A stream buffer big enough for either. */
	mem = calloc(1, over.size);
	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, qd_job_upload(self->fd, &v.b, mem, over.size, &v.j));
	free(mem);
	for (uint32_t i = 0; i < v.b.n; i++)
		v.sizes[i] = qd_page_round(v.b.sizes[i]);
	vjob_stream(&v, over.mem, over.size);
	expect_fixed(&fc, over.size, -E2BIG, 0, "QACCEL_MAX_CMDS + 1");
	good_after(_metadata, self, &v, &s, &want);
	qd_job_free(self->fd, &v.j);
	t_bufs_free(&v.b);
	t_bufs_free(&want);
	sb_free(&s);
	sb_free(&over);
}

/* A stream at an offset in its buffer: error_offset is within the stream. */
TEST_F(vs, error_offset_of_a_stream_at_an_offset)
{
	const uint32_t at = 4096 + 64;
	struct drm_qaccel_submit s;
	struct qaccel_cmd_header *h;
	struct one o;

	one_init(_metadata, self->fd, &o, QACCEL_OP_PAD, 3);
	memset(o.v.j.stream.map, 0, at);
	memcpy(o.v.j.stream.map + at, o.s.mem, o.s.size);
	/* The third command gets an unknown opcode. */
	h = (void *)(o.v.j.stream.map + at + HDR + 2 * o.size);
	h->opcode = QACCEL_OP_COUNT;
	s = o.v.j.sub;
	s.stream_offset = at;
	s.stream_size = o.s.size;
	s.error_offset = 0xdeadbeef;
	EXPECT_EQ(-EINVAL, qd_submit_raw(self->fd, &s));
	EXPECT_EQ(HDR + 2 * o.size, s.error_offset);
	good_after(_metadata, self, &o.v, &o.s, &o.want);
	one_free(self->fd, &o);
}

/* A stream over QACCEL_MAX_STREAM_SIZE, whatever it holds: -EINVAL. */
TEST_F(vs, stream_over_the_size_limit)
{
	const uint32_t size = QACCEL_MAX_STREAM_SIZE + 8;
	struct drm_qaccel_submit s;
	struct qaccel_stream_header *h;
	struct qd_bo big;
	struct one o;

	one_init(_metadata, self->fd, &o, QACCEL_OP_LUT, 1);
	ASSERT_EQ(0, qd_bo_upload(self->fd, NULL, size, &big));
	memcpy(big.map, o.s.mem, o.s.size);
	h = (void *)big.map;
	h->size = size;
	s = o.v.j.sub;
	s.stream_handle = big.handle;
	s.stream_size = size;
	s.error_offset = 0xdeadbeef;
	EXPECT_EQ(-EINVAL, qd_submit_raw(self->fd, &s));
	EXPECT_EQ(0, s.error_offset);
	qd_bo_free(self->fd, &big);
	good_after(_metadata, self, &o.v, &o.s, &o.want);
	one_free(self->fd, &o);
}

/* QACCEL_MAX_BUFFERS entries are fine; one more is -EINVAL. */
TEST_F_TIMEOUT(vs, buffer_table_limit, 120)
{
	const uint32_t max = QACCEL_MAX_BUFFERS;
	struct drm_qaccel_buf_entry *ent = calloc(max + 1, sizeof(*ent));
	struct qd_bo *extra = calloc(max + 1, sizeof(*extra));
	struct drm_qaccel_submit s;
	struct one o;
	uint64_t at = 0;

	ASSERT_NE(NULL, ent);
	ASSERT_NE(NULL, extra);
	one_init(_metadata, self->fd, &o, QACCEL_OP_LUT, 1);
	vjob_stream(&o.v, o.s.mem, o.s.size);
	memcpy(ent, o.v.j.ent, o.v.j.n * sizeof(*ent));
	for (uint32_t i = o.v.j.n; i <= max; i++) {
		ASSERT_EQ(0, qd_bo_create(self->fd, 4096, &extra[i]));
		ent[i].handle = extra[i].handle;
		ent[i].flags = DRM_QACCEL_BUF_READ;
	}
	s = o.v.j.sub;
	s.bufs = (uintptr_t)ent;
	s.buf_count = max + 1;
	EXPECT_EQ(-EINVAL, qd_submit_raw(self->fd, &s));
	s.buf_count = 0xffffffff;
	EXPECT_EQ(-EINVAL, qd_submit_raw(self->fd, &s));
	good_after(_metadata, self, &o.v, &o.s, &o.want);
	/* Exactly the limit: runs, with the same result. */
	s.buf_count = max;
	ASSERT_EQ(0, qd_submit_raw(self->fd, &s));
	ASSERT_EQ(0, qd_job_wait(self->fd, &o.v.j, 20000));
	EXPECT_EQ(-1, qd_job_compare(&o.v.j, &o.want, &at));
	for (uint32_t i = o.v.j.n; i <= max; i++)
		qd_bo_free(self->fd, &extra[i]);
	free(extra);
	free(ent);
	one_free(self->fd, &o);
}

TEST_HARNESS_MAIN
