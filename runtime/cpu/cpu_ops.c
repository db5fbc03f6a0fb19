// SPDX-License-Identifier: MIT
/*
 * The drivers of the commands that are not a GEMM: depthwise convolution,
 * pooling, ADD/SUB/MUL and LUT. Each walks output pixels (channels
 * innermost, as NHWC lays them out), hands whole channel rows to the
 * level's vector row kernels, and spreads output rows over the threads.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "cpu.h"
#include "runtime/ref/f32.h"
#include "runtime/ref/ref_util.h"


/* Rows of output pixels per task: enough work to outweigh a hand-off. */
static u32 rows_per_task(struct cpu_engine *e, u32 rows, u64 work)
{
	u32 t = cpu_split_threads(e, work) * 4;

	return rows < t ? 1 : (rows + t - 1) / t;
}

struct dw_job {
	struct cpu_engine *e;
	const struct qaccel_cmd_dwconv2d *c;
	const s8 *in, *filter;
	const void *packed;	/* for the level's dw_rows */
	s8 *out;
	struct cpu_rq rq;
	size_t scratch;
	u32 rows, per;
	bool failed;
};

/*
 * Each output row at once: the input rows every pixel's taps read (a row
 * of zi for taps in the padding), then the level's row kernel.
 */
static void dw_task(void *arg, u32 task, u32 thread)
{
	struct dw_job *j = arg;
	const struct qaccel_cmd_dwconv2d *c = j->c;
	const u32 *id = c->input.dims, *fd = c->filter.dims, *od = c->output.dims;
	u32 ch = od[3], taps = fd[1] * fd[2];
	size_t table = sizeof(const s8 *) * taps * od[2];
	const s8 **x = cpu_scratch(j->e, thread, table + ch);
	const s8 *w[CPU_DW_MAX_TAPS];
	s64 toff[CPU_DW_MAX_TAPS];
	s8 *zrow;

	if (!x) {
		j->failed = true;
		return;
	}
	zrow = (s8 *)x + table;
	memset(zrow, c->input.zero_point, ch);
	for (u32 t = 0; t < taps; t++)
		w[t] = j->filter + ref_offset(fd, 0, t / fd[2], t % fd[2], 0);
	/* Where each tap of a window lies from its top-left input element. */
	for (u32 t = 0; t < taps; t++)
		toff[t] = ((s64)(t / fd[2]) * c->win.dilation_h * id[2] +
			   (s64)(t % fd[2]) * c->win.dilation_w) * ch;
	for (u32 row = task * j->per; row < (task + 1) * j->per && row < j->rows; row++) {
		u32 b = row / od[1], oy = row % od[1];
		s64 y0 = (s64)oy * c->win.stride_h - c->win.pad_top;
		bool rows_in = y0 >= 0 && y0 + (s64)(fd[1] - 1) * c->win.dilation_h < id[1];
		const s8 **xp = x;

		for (u32 ox = 0; ox < od[2]; ox++) {
			s64 x0 = (s64)ox * c->win.stride_w - c->win.pad_left;

			/* A window wholly inside the input: fixed offsets. */
			if (rows_in && x0 >= 0 &&
			    x0 + (s64)(fd[2] - 1) * c->win.dilation_w < id[2]) {
				const s8 *base = j->in + ref_offset(id, b, (u32)y0, (u32)x0, 0);

				for (u32 t = 0; t < taps; t++)
					*xp++ = base + toff[t];
				continue;
			}
			for (u32 ky = 0; ky < fd[1]; ky++) {
				s64 y = y0 + (s64)ky * c->win.dilation_h;

				for (u32 kx = 0; kx < fd[2]; kx++) {
					s64 xx = x0 + (s64)kx * c->win.dilation_w;

					*xp++ = y < 0 || y >= id[1] || xx < 0 || xx >= id[2] ? zrow :
						j->in + ref_offset(id, b, (u32)y, (u32)xx, 0);
				}
			}
		}
		j->e->isa->dw_row(x, w, taps, od[2], ch, &j->rq,
				  j->out + ref_offset(od, b, oy, 0, 0));
	}
}

/* A task's rows by the level's whole-row kernel. */
static void dw_rows_task(void *arg, u32 task, u32 thread)
{
	struct dw_job *j = arg;
	void *s = cpu_scratch(j->e, thread, j->scratch);
	u32 row0 = task * j->per, row1 = row0 + j->per < j->rows ? row0 + j->per : j->rows;

	if (!s) {
		j->failed = true;
		return;
	}
	j->e->isa->dw_rows(j->c, j->in, j->packed, &j->rq, j->out, row0, row1, s);
}

/*
 * The per-channel weight sums [taps][ch] -> [ch], for the zero point, and
 * the level's dw_pack() layout where it has one.
 */
static struct cpu_packed *dw_sums(struct cpu_engine *e, struct cpu_packed **cache,
				  const struct qaccel_cmd_dwconv2d *c, const s8 *filter)
{
	u32 ch = c->output.dims[3], kh = c->filter.dims[1], kw = c->filter.dims[2];
	u32 taps = kh * kw;
	struct cpu_packed *p = cpu_packed_find(cache, filter, QACCEL_OP_DEPTHWISE_CONV_2D,
					       ch, taps, kh, kw, e->isa->level);

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	*p = (struct cpu_packed){ .src = filter, .opcode = QACCEL_OP_DEPTHWISE_CONV_2D,
				  .n = ch, .k = taps, .kh = kh, .kw = kw,
				  .level = e->isa->level };
	p->wsum = calloc(ch, sizeof(s32));
	if (!p->wsum) {
		free(p);
		return NULL;
	}
	for (u32 t = 0; t < taps; t++)
		for (u32 k = 0; k < ch; k++)
			p->wsum[k] += filter[(size_t)t * ch + k];
	if (e->isa->dw_pack) {
		size_t size = (e->isa->dw_pack_size(kh, kw, ch) + 63) & ~(size_t)63;

		p->b = aligned_alloc(64, size);
		if (!p->b) {
			cpu_packed_free_all(&p);
			return NULL;
		}
		e->isa->dw_pack(filter, kh, kw, ch, p->b);
	}
	if (cache)
		cpu_packed_insert(cache, p);
	return p;
}

int cpu_dwconv2d(struct cpu_engine *e, const struct qaccel_cmd_dwconv2d *c,
		 const struct qaccel_buf_view *bufs, struct cpu_packed **cache,
		 bool rq_const)
{
	struct dw_job j = { .e = e, .c = c };
	bool rows = e->isa->dw_rows != NULL;
	struct cpu_packed *p;
	u64 work = ref_elems(&c->output) * (c->filter.dims[1] * c->filter.dims[2] + 4) / 8;
	u32 threads = cpu_split_threads(e, work), want = 2 * threads;
	int ret;

	/* A depth multiplier above 1: the whole-row kernel only. */
	if ((c->depth_multiplier != 1 && !rows) ||
	    c->filter.dims[1] * c->filter.dims[2] > CPU_DW_MAX_TAPS) {
		qaccel_ref_dwconv2d(c, bufs);
		return 0;
	}
	j.in = ref_tensor(bufs, &c->input);
	j.filter = ref_tensor(bufs, &c->filter);
	j.out = ref_tensor(bufs, &c->output);
	p = dw_sums(e, cache, c, j.filter);
	if (!p)
		return -ENOMEM;
	/* dw_rows sums x + 128: its offset takes 128 * sum(w) off too. */
	ret = cpu_packed_rq(e, p, rq_const && cache, bufs, &c->bias, &c->requant,
			    c->input.zero_point + (rows ? 128 : 0), c->output.zero_point,
			    &c->clamp, &j.rq);
	if (!ret) {
		j.packed = p->b;
		j.rows = c->output.dims[0] * c->output.dims[1];
		/*
		 * Whole-row tasks remake the input rows their first output
		 * row reads: two per thread, none on one thread, and none
		 * when they would get fewer than 2 rows each (measured on
		 * two threads: 6x6 layers 3.1-3.3 us split against 2.6-2.8 whole,
		 * 12x12 ones 4.1-4.9 against 5.6-6.0) unless the tests split
		 * everything.
		 */
		j.per = !rows ? rows_per_task(e, j.rows, work) :
			threads == 1 || (e->split_min && j.rows < 2 * want) ? j.rows :
			(j.rows + want - 1) / want;
		j.scratch = rows ? e->isa->dw_scratch(c) : 0;
		cpu_run(e, (j.rows + j.per - 1) / j.per, rows ? dw_rows_task : dw_task, &j, work);
		ret = j.failed ? -ENOMEM : 0;
	}
	if (!cache)
		cpu_packed_free_all(&p);
	return ret;
}

struct pool_job {
	struct cpu_engine *e;
	const struct qaccel_cmd_pool2d *c;
	const s8 *in;
	s8 *out;
	u32 rows, per;
	bool failed;
};

static void pool_pixel(struct pool_job *j, s32 *sum, s8 *max, u32 b, u32 oy, u32 ox)
{
	const struct qaccel_cmd_pool2d *c = j->c;
	const struct cpu_isa *isa = j->e->isa;
	const u32 *id = c->input.dims, *od = c->output.dims;
	bool is_max = c->hdr.opcode == QACCEL_OP_MAX_POOL_2D;
	u32 ch = od[3];
	s32 count = 0;
	s8 *o = j->out + ref_offset(od, b, oy, ox, 0);

	/*
	 * The clamp's minimum (validated within int8) starts the maximum:
	 * max(min, taps) is the clamped max, and the empty window's too.
	 */
	if (is_max)
		memset(max, c->clamp.min, ch);
	else
		memset(sum, 0, sizeof(*sum) * ch);
	for (u32 ky = 0; ky < c->filter_h; ky++) {
		s64 y = (s64)oy * c->win.stride_h - c->win.pad_top + ky;

		if (y < 0 || y >= id[1])
			continue;
		for (u32 kx = 0; kx < c->filter_w; kx++) {
			s64 x = (s64)ox * c->win.stride_w - c->win.pad_left + kx;
			const s8 *src;

			if (x < 0 || x >= id[2])
				continue;
			src = j->in + ref_offset(id, b, (u32)y, (u32)x, 0);
			if (is_max)
				isa->max_row(max, src, ch);
			else
				isa->sum_row(sum, src, ch);
			count++;
		}
	}
	if (is_max) {
		/* min of int8 as min of x ^ 0x80 unsigned: SSE2 has that one. */
		u8 hi = (u8)c->clamp.max ^ 0x80;

		if (c->clamp.max == S8_MAX) {
			memcpy(o, max, ch);
			return;
		}
		for (u32 k = 0; k < ch; k++) {
			u8 v = (u8)max[k] ^ 0x80;

			o[k] = (s8)((v < hi ? v : hi) ^ 0x80);
		}
		return;
	}
	for (u32 k = 0; k < ch; k++) {
		s32 a = sum[k];
		/* The reference's rounding division, element by element. */
		s32 v = !count ? 0 : a > 0 ? (a + count / 2) / count : (a - count / 2) / count;

		o[k] = (s8)qaccel_clamp_s32(v, c->clamp.min, c->clamp.max);
	}
}

static void pool_task(void *arg, u32 task, u32 thread)
{
	struct pool_job *j = arg;
	const u32 *od = j->c->output.dims;
	s32 *sum = cpu_scratch(j->e, thread, (sizeof(s32) + 1) * od[3]);
	s8 *max = (s8 *)(sum + od[3]);

	if (!sum) {
		j->failed = true;
		return;
	}
	for (u32 row = task * j->per; row < (task + 1) * j->per && row < j->rows; row++)
		for (u32 ox = 0; ox < od[2]; ox++)
			pool_pixel(j, sum, max, row / od[1], row % od[1], ox);
}

int cpu_pool2d(struct cpu_engine *e, const struct qaccel_cmd_pool2d *c,
	       const struct qaccel_buf_view *bufs)
{
	struct pool_job j = { .e = e, .c = c };
	u64 work = ref_elems(&c->output) * (c->filter_h * c->filter_w + 4) / 8;

	j.in = ref_tensor(bufs, &c->input);
	j.out = ref_tensor(bufs, &c->output);
	j.rows = c->output.dims[0] * c->output.dims[1];
	j.per = rows_per_task(e, j.rows, work);
	cpu_run(e, (j.rows + j.per - 1) / j.per, pool_task, &j, work);
	return j.failed ? -ENOMEM : 0;
}

struct bin_job {
	const struct qaccel_cmd_binary *c;
	const struct cpu_isa *isa;
	const s8 *a, *b;
	s8 *out;
	/* Same shapes: one flat run cut into pieces; else NHW rows of C. */
	bool flat;
	u64 total;
	u32 rows, per;
};

static u64 bcast_offset(const u32 *d, u32 n, u32 h, u32 w)
{
	return ref_offset(d, d[0] == 1 ? 0 : n, d[1] == 1 ? 0 : h, d[2] == 1 ? 0 : w, 0);
}

static void bin_task(void *arg, u32 task, u32 thread)
{
	struct bin_job *j = arg;
	const struct qaccel_cmd_binary *c = j->c;
	const u32 *od = c->output.dims, *d1 = c->input1.dims, *d2 = c->input2.dims;

	(void)thread;
	if (j->flat) {
		u64 s = (u64)task * j->per, n = j->total - s < j->per ? j->total - s : j->per;

		j->isa->binary(c, j->a + s, 1, j->b + s, 1, j->out + s, (u32)n);
		return;
	}
	for (u32 row = task * j->per; row < (task + 1) * j->per && row < j->rows; row++) {
		u32 w = row % od[2], h = (row / od[2]) % od[1], n = row / od[2] / od[1];

		j->isa->binary(c, j->a + bcast_offset(d1, n, h, w), d1[3] == 1 ? 0 : 1,
			       j->b + bcast_offset(d2, n, h, w), d2[3] == 1 ? 0 : 1,
			       j->out + ref_offset(od, n, h, w, 0), od[3]);
	}
}

int cpu_binary(struct cpu_engine *e, const struct qaccel_cmd_binary *c,
	       const struct qaccel_buf_view *bufs)
{
	struct bin_job j = { .c = c, .isa = e->isa };
	u64 work = ref_elems(&c->output) / 4;
	u32 tasks, threads = cpu_split_threads(e, work);

	j.a = ref_tensor(bufs, &c->input1);
	j.b = ref_tensor(bufs, &c->input2);
	j.out = ref_tensor(bufs, &c->output);
	j.flat = !memcmp(c->input1.dims, c->output.dims, sizeof(c->output.dims)) &&
		 !memcmp(c->input2.dims, c->output.dims, sizeof(c->output.dims));
	if (j.flat) {
		u64 chunk;

		j.total = ref_elems(&c->output);
		chunk = (j.total + 4 * (u64)threads - 1) / (4 * (u64)threads);
		chunk = chunk < 4096 ? 4096 : (chunk + 63) & ~(u64)63;
		j.per = (u32)chunk;
		tasks = (u32)((j.total + chunk - 1) / chunk);
	} else {
		j.rows = c->output.dims[0] * c->output.dims[1] * c->output.dims[2];
		j.per = rows_per_task(e, j.rows, work);
		tasks = (j.rows + j.per - 1) / j.per;
	}
	cpu_run(e, tasks, bin_task, &j, work);
	return 0;
}

struct lut_job {
	const struct cpu_isa *isa;
	const s8 *in, *table;
	s8 *out;
	u64 total, per;
};

static void lut_task(void *arg, u32 task, u32 thread)
{
	struct lut_job *j = arg;
	u64 s = (u64)task * j->per, n = j->total - s < j->per ? j->total - s : j->per;

	(void)thread;
	j->isa->lut(j->in + s, j->out + s, j->table, n);
}

int cpu_lut(struct cpu_engine *e, const struct qaccel_cmd_lut *c,
	    const struct qaccel_buf_view *bufs)
{
	struct lut_job j = { .isa = e->isa };
	u32 threads;

	j.in = ref_tensor(bufs, &c->input);
	j.out = ref_tensor(bufs, &c->output);
	j.table = (const s8 *)ref_ptr(bufs, &c->table);
	j.total = ref_elems(&c->input);
	threads = cpu_split_threads(e, j.total / 8);
	j.per = (j.total + 4 * (u64)threads - 1) / (4 * (u64)threads);
	if (j.per < 16384)
		j.per = 16384;
	cpu_run(e, (u32)((j.total + j.per - 1) / j.per), lut_task, &j, j.total / 8);
	return 0;
}

/*
 * MEAN over H and W: each pixel's channel row is added with the level's
 * sum_row (rows in memory order, not the reference's strided walk); the
 * zero point leaves as count * zi, modulo 2^32 like the sums. The
 * per-channel tail is the reference's, in the same order.
 */
int cpu_mean(struct cpu_engine *e, const struct qaccel_cmd_mean *c,
	     const struct qaccel_buf_view *bufs)
{
	const s8 *in = ref_tensor(bufs, &c->input);
	s8 *out = ref_tensor(bufs, &c->output);
	const u32 *id = c->input.dims;
	u32 ch = id[3], pix = id[1] * id[2];
	u32 zsum = (u32)pix * (u32)c->input.zero_point;
	s32 div = (s32)c->divisor;
	s32 *sum = cpu_scratch(e, 0, sizeof(s32) * ch);
	struct qaccel_requant req = { .count = 1, .rounding = c->rounding };
	struct cpu_rq rq;

	/* One multiplier for every channel: arrays for 16, reused along the row. */
	if (!sum || cpu_fill_rq(e, 16, NULL, &c->qmul, &req, NULL, 0, c->output.zero_point,
				&c->clamp, 0, &rq))
		return -ENOMEM;
	for (u32 n = 0; n < id[0]; n++) {
		memset(sum, 0, sizeof(s32) * ch);
		for (u32 p = 0; p < pix; p++)
			e->isa->sum_row(sum, in + ((size_t)n * pix + p) * ch, ch);
		/* No division (what the compiler emits): the level's requantization. */
		if (!div) {
			for (u32 k = 0; k < ch; k++)
				sum[k] = (s32)((u32)sum[k] - zsum);
			for (u32 k = 0; k < ch; k += 16)
				e->isa->requant_row(sum + k, ch - k < 16 ? ch - k : 16, &rq,
						    out + (size_t)n * ch + k);
			continue;
		}
		for (u32 k = 0; k < ch; k++) {
			s32 acc = (s32)((u32)sum[k] - zsum);

			acc = qaccel_mul_by_qmul(acc, c->qmul.multiplier, c->qmul.shift,
						 c->rounding);
			if (div)
				acc = (s32)(acc > 0 ? ((s64)acc + div / 2) / div :
					    ((s64)acc - div / 2) / div);
			out[(size_t)n * ch + k] = ref_output(acc, c->output.zero_point,
							     &c->clamp);
		}
	}
	return 0;
}

/*
 * The FPU as C starts it: round to nearest even, subnormals kept, every
 * exception masked (no trap where the emulation would not stop).
 */
static bool fpu_default(void)
{
#if defined(__x86_64__)
	/* MXCSR without its status flags: 0x1f80 is the power-on state. */
	return (_mm_getcsr() & 0xffc0u) == 0x1f80u;
#else
	return false;
#endif
}

/*
 * SOFTMAX_F32 with the FPU's binary32 operations in the reference's order
 * (one rounding each, ties to even, as f32.c emulates them; no step is a
 * multiply-add the compiler could fuse). The last conversion is the
 * reference's own, so NaN and infinities end as they do there. An FPU set
 * to flush subnormals or to another rounding runs the reference.
 */
int cpu_softmax_f32(const struct qaccel_cmd_softmax_f32 *c,
		    const struct qaccel_buf_view *bufs)
{
	const s8 *in = ref_tensor(bufs, &c->input);
	s8 *out = ref_tensor(bufs, &c->output);
	const u8 *table = ref_ptr(bufs, &c->exp_table);
	u32 depth = c->input.dims[3];
	u64 rows = (u64)c->input.dims[0] * c->input.dims[1] * c->input.dims[2];
	float zp = (float)c->output.zero_point, scale;

	if (!fpu_default()) {
		qaccel_ref_softmax_f32(c, bufs);
		return 0;
	}
	memcpy(&scale, &c->output_scale, sizeof(scale));
	for (u64 r = 0; r < rows; r++, in += depth, out += depth) {
		s32 row_max = S8_MIN;
		float sum = 0.0f, denom, inv;

		for (u32 i = 0; i < depth; i++)
			row_max = in[i] > row_max ? in[i] : row_max;
		for (u32 i = 0; i < depth; i++) {
			s32 d = row_max - in[i];
			float w;

			memcpy(&w, table + 4 * (d < 0 ? 0 : d), sizeof(w));
			sum += w;
		}
		denom = sum * scale;
		inv = 1.0f / denom;
		for (u32 i = 0; i < depth; i++) {
			s32 d = row_max - in[i], q;
			float w, p, t;
			u32 bits;

			memcpy(&w, table + 4 * (d < 0 ? 0 : d), sizeof(w));
			p = w * inv;
			t = roundf(p) + zp;
			memcpy(&bits, &t, sizeof(bits));
			q = qaccel_f32_to_s32(bits);
			out[i] = (s8)(q < S8_MIN ? S8_MIN : (q > S8_MAX ? S8_MAX : q));
		}
	}
	return 0;
}
