// SPDX-License-Identifier: MIT
/*
 * CONV_2D and FULLY_CONNECTED as one int8 GEMM: C[m][n] = sum_k A[m][k] *
 * W[n][k], m an output pixel (or FC row), n an output channel, k a filter
 * tap (ky, kx, ic). The weights are packed once into panels of nr
 * channels; activation rows (im2col rows, or the input itself for 1x1
 * convolutions and FC) are packed per block of mr rows; the level's tile
 * kernel multiplies them and the epilogue requantizes.
 *
 * Exactness: the tile sums raw products x * w (or (x + 128) * w), which
 * equals the reference's sum of w * (x - zi) plus za * sum(w) modulo 2^32
 * (the reference wraps too); that term leaves through the per-channel
 * offset, with the bias. Padding taps hold the value zi, so they add
 * zi * w, which the offset removes: the reference's "skipped" tap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "runtime/ref/ref_util.h"

/* Bytes of A a task keeps packed (it stays in the L2 cache). */
#define A_BLOCK_BYTES (192u << 10)
/* Tiles of one panel requantized together; mr * nr is at most CPU_MAX_TILE. */
#define OUT_TILES 8
#define CPU_MAX_TILE (8 * 32)
/* Rows of a tile, at most. */
#define CPU_MAX_MR 16

struct gemm_job {
	struct cpu_engine *e;
	const struct cpu_isa *isa;
	u32 m, n, k, kg;
	/* Activations: an FC row or 1x1 pixel is in + m * k; else im2col. */
	const s8 *in;
	bool direct;
	const struct qaccel_cmd_conv2d *conv;
	/* Or tiles packed straight from the input's image (cpu_conv_image.c). */
	const struct cpu_conv_image *img;
	/* Weights. */
	const u8 *panels;
	size_t panel_bytes;
	struct cpu_rq rq;
	s8 *out;
	/* Tiling. */
	u32 mc_tiles, m_blocks, npc, n_chunks;
	bool failed;
};

static size_t a_tile_bytes(const struct cpu_isa *isa, u32 kg)
{
	return (size_t)isa->mr * kg * isa->ku * isa->a_size;
}

static size_t b_panel_bytes(const struct cpu_isa *isa, u32 kg)
{
	return (size_t)isa->nr * kg * isa->ku * isa->b_size;
}

/**
 * cpu_pack_rows() - mr rows of k activations into one A tile, portably
 * @isa: the level (its mr, ku, element size and XOR)
 * @base: row 0; row r is at base + r * stride
 * @stride: bytes between rows
 * @valid: rows that exist; the others are packed as zeros
 * @k: values per row
 * @kg: groups of ku values (k rounded up); the padding is zero
 * @out: the tile
 */
void cpu_pack_rows(const struct cpu_isa *isa, const s8 *base, size_t stride, u32 valid,
		   u32 k, u32 kg, void *out)
{
	u32 mr = isa->mr, ku = isa->ku;

	if (isa->a_size == 1 && ku == 4) {
		u32 *o = out, x = isa->a_xor * 0x01010101u, full = k / 4;

		for (u32 r = 0; r < mr; r++) {
			const s8 *row = base + r * stride;

			if (r >= valid) {
				for (u32 g = 0; g < kg; g++)
					o[g * mr + r] = 0;
				continue;
			}
			for (u32 g = 0; g < full; g++) {
				u32 v;

				memcpy(&v, row + 4 * g, 4);
				o[g * mr + r] = v ^ x;
			}
			if (full < kg) {
				u8 t[4] = { 0 };

				for (u32 u = 0; u < k - 4 * full; u++)
					t[u] = (u8)row[4 * full + u] ^ isa->a_xor;
				memcpy(&o[full * mr + r], t, 4);
			}
		}
		return;
	}
	/* 16-bit elements: ku of them per row and group. */
	{
		s16 *o = out;

		for (u32 r = 0; r < mr; r++)
			for (u32 g = 0; g < kg; g++)
				for (u32 u = 0; u < ku; u++) {
					u32 kk = g * ku + u;

					o[((size_t)g * mr + r) * ku + u] =
						r < valid && kk < k ? base[r * stride + kk] : 0;
				}
	}
}

/* memcpy for the few bytes of one window row, without a call for them. */
static inline void copy_run(s8 *dst, const s8 *src, size_t n)
{
	if (n > 16) {
		memcpy(dst, src, n);
	} else if (n >= 8) {
		memcpy(dst, src, 8);
		memcpy(dst + n - 8, src + n - 8, 8);
	} else if (n >= 4) {
		memcpy(dst, src, 4);
		memcpy(dst + n - 4, src + n - 4, 4);
	} else if (n >= 2) {
		memcpy(dst, src, 2);
		memcpy(dst + n - 2, src + n - 2, 2);
	} else if (n) {
		*dst = *src;
	}
}

/* memset for the few bytes of one padding tap, without a call for them. */
static inline void fill_run(s8 *dst, s8 v, size_t n)
{
	u64 w = 0x0101010101010101ULL * (u8)v;

	if (n > 16) {
		memset(dst, v, n);
	} else if (n >= 8) {
		memcpy(dst, &w, 8);
		memcpy(dst + n - 8, &w, 8);
	} else if (n >= 4) {
		memcpy(dst, &w, 4);
		memcpy(dst + n - 4, &w, 4);
	} else if (n >= 2) {
		memcpy(dst, &w, 2);
		memcpy(dst + n - 2, &w, 2);
	} else if (n) {
		*dst = v;
	}
}

/* One im2col row: the k inputs of output pixel (b, oy, ox), zi where outside. */
static void im2col_row(const struct qaccel_cmd_conv2d *c, const s8 *in, u32 b, u32 oy,
		       u32 ox, s8 *dst)
{
	const u32 *id = c->input.dims, *fd = c->filter.dims;
	u32 ic = id[3];
	s8 zi = (s8)c->input.zero_point;
	s64 x0 = (s64)ox * c->win.stride_w - c->win.pad_left;
	s64 y0 = (s64)oy * c->win.stride_h - c->win.pad_top;
	bool cols_in = c->win.dilation_w == 1 && x0 >= 0 && x0 + fd[2] <= id[2];
	size_t run = (size_t)ic * fd[2];

	/* The whole window inside the input: fd[1] runs a fixed stride apart. */
	if (cols_in && y0 >= 0 && y0 + (s64)(fd[1] - 1) * c->win.dilation_h < id[1]) {
		const s8 *src = in + ref_offset(id, b, (u32)y0, (u32)x0, 0);
		size_t step = (size_t)c->win.dilation_h * id[2] * ic;

		for (u32 ky = 0; ky < fd[1]; ky++, src += step, dst += run)
			copy_run(dst, src, run);
		return;
	}
	for (u32 ky = 0; ky < fd[1]; ky++) {
		s64 y = y0 + (s64)ky * c->win.dilation_h;

		/* A whole undilated row of taps inside the input: one copy. */
		if (cols_in && y >= 0 && y < id[1]) {
			copy_run(dst, in + ref_offset(id, b, (u32)y, (u32)x0, 0), run);
			dst += run;
			continue;
		}
		for (u32 kx = 0; kx < fd[2]; kx++, dst += ic) {
			s64 x = x0 + (s64)kx * c->win.dilation_w;

			if (y < 0 || y >= id[1] || x < 0 || x >= id[2])
				fill_run(dst, zi, ic);
			else
				copy_run(dst, in + ref_offset(id, b, (u32)y, (u32)x, 0), ic);
		}
	}
}

/*
 * count im2col rows from output pixel m, kp bytes apart; the bytes past k
 * in each row are left as they are (zero). The pixel's coordinates are
 * stepped, not divided out per row.
 */
static void im2col_rows(const struct qaccel_cmd_conv2d *c, const s8 *in, u32 m,
			u32 count, s8 *dst, size_t kp)
{
	const u32 *od = c->output.dims;
	u32 ox = m % od[2], oy = (m / od[2]) % od[1], b = m / od[2] / od[1];

	for (u32 r = 0; r < count; r++, dst += kp) {
		im2col_row(c, in, b, oy, ox, dst);
		if (++ox == od[2]) {
			ox = 0;
			if (++oy == od[1]) {
				oy = 0;
				b++;
			}
		}
	}
}

static void gemm_task(void *arg, u32 task, u32 thread)
{
	struct gemm_job *j = arg;
	const struct cpu_isa *isa = j->isa;
	u32 mr = isa->mr, nr = isa->nr;
	u32 mb = task / j->n_chunks, nc = task % j->n_chunks;
	u32 t0 = mb * j->mc_tiles, t1 = t0 + j->mc_tiles;
	u32 p0 = nc * j->npc, p1 = p0 + j->npc;
	u32 mt = (j->m + mr - 1) / mr, np = (j->n + nr - 1) / nr;
	size_t atb = a_tile_bytes(isa, j->kg);
	/* im2col rows are padded with zeros to whole groups of ku values. */
	u32 kp = j->kg * isa->ku;
	size_t im2col = j->direct || j->img ? 0 : (size_t)mr * kp;
	/* Tiles read from the image where they lie: their rows' offsets only. */
	bool at = j->img && isa->gemm_at;
	u8 *abuf;
	s8 *rowbuf;
	s32 ctile[OUT_TILES * CPU_MAX_TILE];

	if (t1 > mt)
		t1 = mt;
	if (p1 > np)
		p1 = np;
	if (at)
		atb = sizeof(s32) * mr;
	abuf = cpu_scratch(j->e, thread, atb * (t1 - t0) + im2col + 64);
	if (!abuf) {
		j->failed = true;
		return;
	}
	rowbuf = (s8 *)(abuf + atb * (t1 - t0));
	/* The im2col rows' padding to kp stays zero: im2col writes k bytes. */
	if (im2col && kp > j->k)
		memset(rowbuf, 0, im2col);
	/*
	 * Tiles read from the image: the rows' window offsets, tile after
	 * tile; rows past the end read the last one's window again.
	 */
	if (at) {
		u32 m1 = j->m < t1 * mr ? j->m : t1 * mr;
		s32 *rows = (s32 *)abuf;

		cpu_conv_image_rows(j->img, j->conv->output.dims, t0 * mr, m1 - t0 * mr, rows);
		for (u32 r = m1 - t0 * mr; r < (t1 - t0) * mr; r++)
			rows[r] = rows[m1 - t0 * mr - 1];
	}
	for (u32 t = t0; t < t1 && !at; t++) {
		u32 valid = j->m - t * mr < mr ? j->m - t * mr : mr;

		/* The input itself, k bytes a row, or padded im2col rows. */
		if (j->direct) {
			isa->pack_a(isa, j->in + (size_t)t * mr * j->k, j->k, valid, j->k,
				    j->kg, abuf + atb * (t - t0));
			continue;
		}
		if (j->img) {
			s32 rows[CPU_MAX_MR];

			cpu_conv_image_rows(j->img, j->conv->output.dims, t * mr, valid, rows);
			isa->pack_a_at(isa, j->img->base, rows, valid, j->img->goff, j->kg,
				       abuf + atb * (t - t0));
			continue;
		}
		im2col_rows(j->conv, j->in, t * mr, valid, rowbuf, kp);
		isa->pack_a(isa, rowbuf, kp, valid, kp, j->kg, abuf + atb * (t - t0));
	}
	for (u32 p = p0; p < p1; p++) {
		const u8 *panel = j->panels + j->panel_bytes * p;
		u32 n0 = p * nr, cols = j->n - n0 < nr ? j->n - n0 : nr;
		struct cpu_rq rq = cpu_rq_at(&j->rq, n0);
		/* A panel at most half full skips its empty columns. */
		void (*gemm)(u32, const void *, const void *, s32 *) =
			cols <= nr / 2 && isa->gemm_half ? isa->gemm_half : isa->gemm;

		/*
		 * Up to OUT_TILES tiles of one panel, then their rows go
		 * through the epilogue together: it loads each column's
		 * parameters once per batch, not once per tile.
		 */
		for (u32 t = t0; t < t1; t += OUT_TILES) {
			u32 te = t + OUT_TILES < t1 ? t + OUT_TILES : t1;
			u32 rows = j->m - t * mr < (te - t) * mr ? j->m - t * mr : (te - t) * mr;
			s8 *o = j->out + (size_t)t * mr * j->n + n0;

			for (u32 u = t; u < te && at; u++)
				isa->gemm_at(j->kg, j->img->base, (const s32 *)(abuf + atb * (u - t0)),
					     j->img->goff, panel, ctile + (size_t)(u - t) * mr * nr,
					     gemm == isa->gemm_half,
					     j->m - u * mr < mr ? j->m - u * mr : mr);
			for (u32 u = t; u < te && !at; u++)
				(j->m - u * mr == 1 && isa->gemm_row1 ? isa->gemm_row1 : gemm)(
					j->kg, abuf + atb * (u - t0), panel,
					ctile + (size_t)(u - t) * mr * nr);
			if (isa->tile_out) {
				isa->tile_out(ctile, rows, cols, &rq, o, j->n);
				continue;
			}
			for (u32 r = 0; r < rows; r++)
				isa->requant_row(ctile + r * nr, cols, &rq, o + (size_t)r * j->n);
		}
	}
}

/*
 * The packed weights for this command, from the cache or made now; kp is
 * the packed k (k, or an image's K' with kh runs, cpu_conv_image.c),
 * which is also what the cache knows them by.
 */
static struct cpu_packed *get_packed(struct cpu_engine *e, struct cpu_packed **cache,
				     const s8 *w, u32 opcode, u32 n, u32 k, u32 kp,
				     u32 kh, u32 kw)
{
	const struct cpu_isa *isa = e->isa;
	u32 kg = (kp + isa->ku - 1) / isa->ku;
	struct cpu_packed *p = cpu_packed_find(cache, w, opcode, n, kp, kh, kw, isa->level);

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	*p = (struct cpu_packed){ .src = w, .opcode = opcode, .n = n, .k = kp,
				  .kh = kh, .kw = kw, .level = isa->level };
	p->b = aligned_alloc(64, (b_panel_bytes(isa, kg) * ((n + isa->nr - 1) / isa->nr) +
				  63) & ~(size_t)63);
	p->wsum = malloc(sizeof(s32) * n);
	if (!p->b || !p->wsum) {
		cpu_packed_free_all(&p);
		return NULL;
	}
	if (kp == k)
		cpu_pack_weights(isa, w, n, k, k, k, p->b, p->wsum);
	else
		cpu_pack_weights(isa, w, n, k, k / kh, kp / kh, p->b, p->wsum);
	if (cache)
		cpu_packed_insert(cache, p);
	return p;
}

/* The short form's 64 values per group of 16 channels come first (64-aligned). */
static size_t rq_fast_values(u32 n)
{
	return (size_t)(n + 15) / 16 * 64;
}

static size_t rq_bytes(u32 n)
{
	return sizeof(s64) * rq_fast_values(n) + (sizeof(s32) + sizeof(s64)) * 4 * (size_t)n;
}

/*
 * struct cpu_rq's short form, or false when a channel does not allow it:
 * single rounding, a shift that is not negative or so large that the
 * zero point times 2^s could overflow 64 bits with the product (s <= 53
 * keeps |(acc + off) * m| + c + |zp| * 2^s below 2^63), or an offset that
 * acc + off could wrap with. Within those, acc + off is the reference's
 * wrapped sum exactly, and p = acc * m + off * m.
 */
static bool fill_fast(s64 *f, u32 n, const struct cpu_rq *rq, u64 acc_bound)
{
	if (!acc_bound || rq->rounding == QACCEL_ROUND_SINGLE || !rq->rshift_all)
		return false;
	for (u32 i = 0; i < n; i++) {
		s64 off = rq->off[i];

		if (rq->s64[i] > 53 || (u64)(off < 0 ? -off : off) + acc_bound > S32_MAX)
			return false;
	}
	for (u32 i = 0; i < (n + 15) / 16 * 16; i++) {
		u32 g = i / 16, l = i % 16;
		s64 *v = f + 64 * g + (l % 2) * 8 + l / 2;
		bool real = i < n;
		s64 m = real ? rq->m64[i] : 0, om = real ? rq->off[i] * m : 0;
		s64 sh = real ? rq->s64[i] : 32;

		v[0] = m;
		v[16] = real ? om + rq->c64[i] + (s64)rq->zero_point * (1LL << sh) : 0;
		v[32] = -(1LL << 30) - om;
		/* Odd channels' results are read from the high half of the lane. */
		v[48] = l % 2 ? sh - 32 : sh;
	}
	return true;
}

static void fill_rq(void *mem, u32 n, const s32 *bias, const struct qaccel_qmul *q,
		    const struct qaccel_requant *req, const s32 *wsum, s32 za, s32 zo,
		    const struct qaccel_clamp *cl, u64 acc_bound, struct cpu_rq *rq)
{
	s64 *f = mem;
	s64 *w = f + rq_fast_values(n);
	s32 *a = (s32 *)(w + 4 * n);
	bool single = req->rounding == QACCEL_ROUND_SINGLE, lshift_any = false;
	bool rshift_all = true;

	for (u32 i = 0; i < n; i++) {
		const struct qaccel_qmul *qi = &q[req->count == 1 ? 0 : i];
		s32 shift = qaccel_clamp_s32(qi->shift, -31, 30);
		u32 corr = wsum ? (u32)za * (u32)wsum[i] : 0;
		s32 rs = shift > 0 ? 0 : -shift;

		a[i] = (s32)((bias ? (u32)bias[i] : 0) - corr);
		a[n + i] = qi->multiplier;
		a[2 * n + i] = shift > 0 ? shift : 0;
		a[3 * n + i] = rs;
		lshift_any |= shift > 0;
		rshift_all &= shift < 0;
		w[i] = qi->multiplier;
		if (single) {
			w[n + i] = 1LL << (30 - shift);
			w[2 * n + i] = 0;
			w[3 * n + i] = 31 - shift;
		} else {
			w[n + i] = (1LL << 30) + (rs ? 1LL << (rs + 30) : 0);
			w[2 * n + i] = rs ? 1LL << 31 : 0;
			w[3 * n + i] = 31 + rs;
		}
	}
	*rq = (struct cpu_rq){ .off = a, .mult = a + n, .lshift = a + 2 * n,
			       .rshift = a + 3 * n, .rounding = req->rounding,
			       .zero_point = zo, .min = cl->min, .max = cl->max,
			       .m64 = w, .c64 = w + n, .d64 = w + 2 * n,
			       .s64 = w + 3 * n, .lshift_any = lshift_any && !single,
			       .rshift_all = rshift_all, .f = f };
	rq->fast = fill_fast(f, n, rq, acc_bound);
}

/**
 * cpu_fill_rq() - per-channel requantization arrays for one command
 * @e: the engine (the arrays live in its shared scratch slot)
 * @n: output channels
 * @bias: n values or NULL
 * @q: the command's multipliers (1 or n)
 * @req: the command's requantization
 * @wsum: per-channel weight sums, or NULL when the kernel subtracts zi itself
 * @za: the activation offset the weight sums are scaled by
 * @zo: output zero point
 * @cl: activation clamp
 * @acc_bound: the largest |accumulator| the command's kernel can produce
 *	(before the offset), or 0 when unknown
 * @rq: filled in
 *
 * Everything is read from the buffers now, at run time, like the reference
 * (cpu_packed_rq() keeps the arrays where those bytes are constant).
 * Return: 0 or -ENOMEM.
 */
int cpu_fill_rq(struct cpu_engine *e, u32 n, const s32 *bias,
		const struct qaccel_qmul *q, const struct qaccel_requant *req,
		const s32 *wsum, s32 za, s32 zo, const struct qaccel_clamp *cl,
		u64 acc_bound, struct cpu_rq *rq)
{
	void *mem = cpu_scratch(e, (u32)e->threads, rq_bytes(n));

	if (!mem)
		return -ENOMEM;
	fill_rq(mem, n, bias, q, req, wsum, za, zo, cl, acc_bound, rq);
	return 0;
}

int cpu_packed_rq(struct cpu_engine *e, struct cpu_packed *p, bool rq_const,
		  const struct qaccel_buf_view *bufs, const struct qaccel_ref *bias,
		  const struct qaccel_requant *req, s32 za, s32 zo,
		  const struct qaccel_clamp *cl, struct cpu_rq *rq)
{
	const s32 *b = ref_bias(bufs, bias);
	const struct qaccel_qmul *q = (const void *)ref_ptr(bufs, &req->params);
	struct cpu_rq_key key = { .bias = b, .params = q, .count = req->count,
				  .rounding = req->rounding, .za = za, .zo = zo,
				  .min = cl->min, .max = cl->max };
	/*
	 * Every kernel sums at most k products of an activation in [-128,
	 * 255] (x, or x + 128) and a weight in [-128, 127].
	 */
	u64 bound = (u64)p->k * 255 * 128;

	if (!rq_const)
		return cpu_fill_rq(e, p->n, b, q, req, p->wsum, za, zo, cl, bound, rq);
	if (!p->rq_mem || memcmp(&key, &p->rq_key, sizeof(key))) {
		if (!p->rq_mem)
			p->rq_mem = aligned_alloc(64, (rq_bytes(p->n) + 63) & ~(size_t)63);
		if (!p->rq_mem)
			return -ENOMEM;
		fill_rq(p->rq_mem, p->n, b, q, req, p->wsum, za, zo, cl, bound, &p->rq);
		p->rq_key = key;
	}
	*rq = p->rq;
	return 0;
}

static int run_gemm(struct cpu_engine *e, struct gemm_job *j)
{
	const struct cpu_isa *isa = e->isa;
	u32 mt = (j->m + isa->mr - 1) / isa->mr, np = (j->n + isa->nr - 1) / isa->nr;
	/* Work: the epilogue per output, one cycle per 64 multiply-adds. */
	u64 work = (u64)j->m * j->n * (j->k / 64 + 1);
	u32 T = cpu_split_threads(e, work);
	size_t atb = a_tile_bytes(isa, j->kg);

	j->mc_tiles = atb >= A_BLOCK_BYTES ? 1 : (u32)(A_BLOCK_BYTES / atb);
	if (j->mc_tiles > mt)
		j->mc_tiles = mt;
	if (T > 1 && (mt + j->mc_tiles - 1) / j->mc_tiles < 4 * T)
		j->mc_tiles = (mt + 4 * T - 1) / (4 * T);
	j->m_blocks = (mt + j->mc_tiles - 1) / j->mc_tiles;
	j->n_chunks = 1;
	if (T > 1 && j->m_blocks < 2 * T)
		j->n_chunks = (4 * T + j->m_blocks - 1) / j->m_blocks;
	if (j->n_chunks > np)
		j->n_chunks = np;
	j->npc = (np + j->n_chunks - 1) / j->n_chunks;
	j->n_chunks = (np + j->npc - 1) / j->npc;
	j->panel_bytes = b_panel_bytes(isa, j->kg);
	j->failed = false;
	cpu_run(e, j->m_blocks * j->n_chunks, gemm_task, j, work);
	return j->failed ? -ENOMEM : 0;
}

static s32 act_offset(const struct cpu_isa *isa, s32 zi)
{
	/* Packed activations are x, or x + 128 when XORed with 0x80. */
	return isa->a_xor ? zi + 128 : zi;
}

/*
 * Pack (or find) the weights, read the requantization, run the GEMM. k
 * is the filter's; j->k the packed one (an image's K' or k).
 */
static int gemm_command(struct cpu_engine *e, struct gemm_job *j,
			struct cpu_packed **cache, bool rq_const,
			const struct qaccel_buf_view *bufs,
			const s8 *w, u32 opcode, u32 k, u32 kh, u32 kw,
			const struct qaccel_ref *bias, const struct qaccel_requant *req,
			s32 zi, s32 zo, const struct qaccel_clamp *cl)
{
	struct cpu_packed *p;
	int ret;

	j->kg = (j->k + e->isa->ku - 1) / e->isa->ku;
	p = get_packed(e, cache, w, opcode, j->n, k, j->k, kh, kw);
	if (!p)
		return -ENOMEM;
	j->panels = p->b;
	ret = cpu_packed_rq(e, p, rq_const && cache, bufs, bias, req,
			    act_offset(e->isa, zi), zo, cl, &j->rq);
	if (!ret)
		ret = run_gemm(e, j);
	if (!cache)
		cpu_packed_free_all(&p);
	return ret;
}

int cpu_conv2d(struct cpu_engine *e, const struct qaccel_cmd_conv2d *c,
	       const struct qaccel_buf_view *bufs, struct cpu_packed **cache,
	       bool rq_const)
{
	const u32 *id = c->input.dims, *fd = c->filter.dims, *od = c->output.dims;
	struct gemm_job j = { .e = e, .isa = e->isa, .conv = c };
	struct cpu_conv_image img;
	u32 k = fd[1] * fd[2] * fd[3], kp;

	j.m = od[0] * od[1] * od[2];
	j.n = od[3];
	j.k = k;
	j.in = ref_tensor(bufs, &c->input);
	j.out = ref_tensor(bufs, &c->output);
	/* A 1x1 window that visits every pixel in order reads rows as they are. */
	j.direct = fd[1] == 1 && fd[2] == 1 && c->win.stride_h == 1 &&
		   c->win.stride_w == 1 && !c->win.pad_top && !c->win.pad_left &&
		   od[1] == id[1] && od[2] == id[2];
	/* Other windows from the input's image where the level can; else im2col. */
	kp = j.direct ? 0 : cpu_conv_image_k(e->isa, c);
	if (kp) {
		int ret = cpu_conv_image_make(e, c, j.in, kp, &img);

		if (ret == -ENOMEM)
			return ret;
		if (!ret) {
			j.img = &img;
			j.k = kp;
		}
	}
	return gemm_command(e, &j, cache, rq_const, bufs, ref_tensor(bufs, &c->filter),
			    QACCEL_OP_CONV_2D, k, fd[1], fd[2], &c->bias, &c->requant,
			    c->input.zero_point, c->output.zero_point, &c->clamp);
}

int cpu_fc(struct cpu_engine *e, const struct qaccel_cmd_fc *c,
	   const struct qaccel_buf_view *bufs, struct cpu_packed **cache,
	   bool rq_const)
{
	struct gemm_job j = { .e = e, .isa = e->isa, .direct = true };

	/* Asymmetric weights (uint8 models) are rare: the reference runs them. */
	if (c->filter.zero_point) {
		qaccel_ref_fc(c, bufs);
		return 0;
	}
	j.m = c->input.dims[2];
	j.n = c->filter.dims[2];
	j.k = c->input.dims[3];
	j.in = ref_tensor(bufs, &c->input);
	j.out = ref_tensor(bufs, &c->output);
	return gemm_command(e, &j, cache, rq_const, bufs, ref_tensor(bufs, &c->filter),
			    QACCEL_OP_FULLY_CONNECTED, j.k, 1, 1, &c->bias, &c->requant,
			    c->input.zero_point, c->output.zero_point, &c->clamp);
}
