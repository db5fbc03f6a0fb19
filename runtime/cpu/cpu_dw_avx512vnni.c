// SPDX-License-Identifier: MIT
/*
 * Depthwise convolution (any depth multiplier) for the AVX-512 VNNI level,
 * built with its flags: vpdpbusd sums four taps of one channel into each
 * int32 lane. Each input row the window reads is laid out once as
 * "tap rows": for every output column, every channel's next four
 * horizontal taps side by side (x + 128, unsigned), so one output pixel
 * of 16 channels is kh * ceil(kw / 4) vpdpbusd against weights packed the
 * same way (zero where a group of four runs past kw). Stride 1 reuses a
 * tap row for kh output rows: a ring keeps the last rows made.
 * Documentation/cpu-backend.rst explains why the sums are exact.
 */
#include <immintrin.h>
#include <string.h>

#include "cpu.h"

#define DW_CB 16	/* channels per block: one zmm of int32 sums */
#define DW_PIX 32	/* pixels per epilogue tile */
#define DW_NR 32	/* the epilogue tile's columns (the level's nr) */
#define DW_MAX_NG CPU_DW_MAX_TAPS	/* kh * ceil(kw / 4) <= kh * kw */

struct dw_geom {
	u32 kh, kw, groups, ng;		/* groups of 4 taps per kernel row; kh * groups */
	u32 ch, nb;			/* output channels, blocks of 16 */
	u32 ci, dm;			/* input channels, depth multiplier */
	u32 ih, iw, oh, ow, sh, sw, dh, dw, pt, pl;
	u32 cols;			/* columns of a row copy (padding included) */
	size_t copy, trow;		/* bytes of a row copy, of a tap row */
	u32 ring;			/* tap rows kept */
	u8 fill;			/* the input zero point + 128 */
	bool vbmi;			/* tap rows with VBMI byte permutations */
};

static size_t up64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

static void dw_geom(const struct qaccel_cmd_dwconv2d *c, struct dw_geom *g)
{
	const u32 *id = c->input.dims, *od = c->output.dims;

	g->kh = c->filter.dims[1];
	g->kw = c->filter.dims[2];
	g->groups = (g->kw + 3) / 4;
	g->ng = g->kh * g->groups;
	g->ch = od[3];
	g->ci = id[3];
	g->dm = c->depth_multiplier;
	g->nb = (g->ch + DW_CB - 1) / DW_CB;
	g->ih = id[1];
	g->iw = id[2];
	g->oh = od[1];
	g->ow = od[2];
	g->sh = c->win.stride_h;
	g->sw = c->win.stride_w;
	g->dh = c->win.dilation_h;
	g->dw = c->win.dilation_w;
	g->pt = c->win.pad_top;
	g->pl = c->win.pad_left;
	/* The last group's unused taps read up to 3 dilations further. */
	g->cols = (g->ow - 1) * g->sw + (4 * g->groups - 1) * g->dw + 1;
	/*
	 * A block's loads from the last column may pass the row by 15 bytes,
	 * or by 63 where one 64-byte load holds two taps (tap_row_vbmi).
	 */
	g->copy = up64((size_t)g->cols * g->ch + 64);
	g->trow = (size_t)g->ow * g->groups * g->nb * 64;
	g->ring = (g->kh - 1) * g->dh + 1;
	g->fill = (u8)(c->input.zero_point ^ 0x80);
	g->vbmi = __builtin_cpu_supports("avx512vbmi") && !cpu_vnni_dw_no_vbmi;
}

size_t cpu_vnni_dw_pack_size(u32 kh, u32 kw, u32 n)
{
	return (size_t)(n + DW_CB - 1) / DW_CB * kh * ((kw + 3) / 4) * 64;
}

/* [block of 16][ky][group of 4][channel][tap]: zero past kw and n. */
void cpu_vnni_dw_pack(const s8 *filter, u32 kh, u32 kw, u32 n, void *out)
{
	u32 groups = (kw + 3) / 4, nb = (n + DW_CB - 1) / DW_CB;
	s8 *o = out;

	memset(o, 0, cpu_vnni_dw_pack_size(kh, kw, n));
	for (u32 b = 0; b < nb; b++)
		for (u32 ky = 0; ky < kh; ky++)
			for (u32 kx = 0; kx < kw; kx++)
				for (u32 c = 0; c < DW_CB && b * DW_CB + c < n; c++)
					o[(((size_t)b * kh + ky) * groups + kx / 4) * 64 +
					  4 * c + kx % 4] =
						filter[((size_t)ky * kw + kx) * n + b * DW_CB + c];
}

size_t cpu_vnni_dw_scratch(const struct qaccel_cmd_dwconv2d *c)
{
	struct dw_geom g;

	dw_geom(c, &g);
	return g.copy + (1 + (size_t)g.ring) * g.trow + up64(sizeof(s64) * g.ring) +
	       up64(sizeof(struct cpu_rq) * ((g.nb + 1) / 2));
}

/* p[i] = in[i - lo] + 128 for lo <= i < hi: whole 64-byte steps, one masked tail. */
static void copy_xor(const s8 *in, u8 *p, size_t lo, size_t hi)
{
	const __m512i flip = _mm512_set1_epi8(-128);
	size_t i = lo;

	for (; i + 64 <= hi; i += 64)
		_mm512_storeu_si512(p + i, _mm512_xor_si512(_mm512_loadu_si512(in + (i - lo)), flip));
	if (i < hi) {
		__mmask64 k = (1ULL << (hi - i)) - 1;

		_mm512_mask_storeu_epi8(p + i, k, _mm512_xor_si512(
			_mm512_maskz_loadu_epi8(k, in + (i - lo)), flip));
	}
}

/*
 * With a depth multiplier m, output channel c * m + d reads input
 * channel c: the copy repeats each input channel m times, and the rest
 * of the kernel sees as many input channels as output ones (a scalar
 * loop: such layers are rare).
 */
static void copy_repeat(const s8 *in, u8 *p, size_t lo, size_t hi, u32 m)
{
	for (size_t i = lo; i < hi; i += m, in++)
		for (u32 d = 0; d < m; d++)
			p[i + d] = (u8)*in ^ 0x80;
}

/*
 * An input row as x + 128 over the window's columns, the zero point's
 * value where they lie outside the input.
 */
static void copy_row(const struct dw_geom *g, const s8 *in, u8 *p)
{
	size_t lo = 0, hi = 0;

	if (g->pl < g->cols) {
		u32 last = g->pl + g->iw < g->cols ? g->pl + g->iw : g->cols;

		lo = (size_t)g->pl * g->ch;
		hi = (size_t)last * g->ch;
	}
	memset(p, g->fill, lo);
	if (g->dm > 1)
		copy_repeat(in, p, lo, hi, g->dm);
	else
		copy_xor(in, p, lo, hi);
	memset(p + hi, g->fill, g->copy - hi);
}

/* The 4 x 16 bytes at s + j * step (j < 4) to byte 4c + j, without VBMI. */
static inline __m512i taps_plain(const u8 *s, size_t step)
{
	const __m512i tr = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13,
					     2, 6, 10, 14, 3, 7, 11, 15);
	const __m512i bt = _mm512_broadcast_i32x4(_mm_setr_epi8(0, 4, 8, 12, 1, 5, 9, 13,
								2, 6, 10, 14, 3, 7, 11, 15));
	__m512i v = _mm512_castsi128_si512(_mm_loadu_si128((const void *)s));

	v = _mm512_inserti32x4(v, _mm_loadu_si128((const void *)(s + step)), 1);
	v = _mm512_inserti32x4(v, _mm_loadu_si128((const void *)(s + 2 * step)), 2);
	v = _mm512_inserti32x4(v, _mm_loadu_si128((const void *)(s + 3 * step)), 3);
	/* Tap j's 16 bytes in lane j: vpermd transposes the 4 x 4 dwords. */
	v = _mm512_permutexvar_epi32(tr, v);
	/* Then each lane's 4 x 4 bytes (kept apart: clang would merge them). */
	__asm__("" : "+v"(v));
	return _mm512_shuffle_epi8(v, bt);
}

/*
 * Tap row from a row copy: for output column ox, group q and block b, 64
 * bytes at ((ox * groups + q) * nb + b) * 64 hold channel c's taps 4q..4q+3
 * at 4c..4c+3, read step = dw * ch bytes apart in the copy.
 */
static void tap_row_plain(const struct dw_geom *g, const u8 *p, u8 *t)
{
	size_t step = (size_t)g->dw * g->ch;

	for (u32 ox = 0; ox < g->ow; ox++)
		for (u32 q = 0; q < g->groups; q++) {
			const u8 *s = p + ((size_t)ox * g->sw + 4 * q * g->dw) * g->ch;

			for (u32 b = 0; b < g->nb; b++, s += DW_CB, t += 64)
				_mm512_store_si512(t, taps_plain(s, step));
		}
}

/*
 * The VBMI permutations' indices: byte 4c + j of a tap-row entry is tap
 * j's byte c, read at 16 j (one 64-byte run, four loads) or at
 * 64 [j > 1] + step [j odd] (two loads; step added at run time). From
 * constants: a vector load right after byte stores would wait for them.
 */
#define TAPS_16J(c) (c), 16 + (c), 32 + (c), 48 + (c)
#define TAPS_TWO(c) (c), (c), 64 + (c), 64 + (c)
#define EACH16(f) f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7), f(8), f(9), f(10), \
	f(11), f(12), f(13), f(14), f(15)
static const u8 taps_at_16j[64] = { EACH16(TAPS_16J) };
static const u8 taps_at_two[64] = { EACH16(TAPS_TWO) };

/*
 * The same with VBMI byte permutations, by how the four taps' 16 bytes
 * lie: as one 64-byte run (step 16) one load and vpermb; within two
 * 64-byte loads (step <= 48) one vpermt2b; else four 16-byte loads and
 * vpermb. Inlined once per case, so each loop is a plain one.
 */
enum taps_case { TAPS_RUN, TAPS_TWO, TAPS_FOUR };

__attribute__((target("avx512vbmi"), always_inline))
static inline void taps_vbmi(const struct dw_geom *g, const u8 *p, u8 *t, __m512i ix,
			     enum taps_case how)
{
	size_t step = (size_t)g->dw * g->ch, sx = (size_t)g->sw * g->ch, sq = 4 * step;
	u32 groups = g->groups, nb = g->nb;

	/* One entry a column (16 channels, kw <= 4): a plain loop, no nest. */
	if (how == TAPS_RUN && groups == 1 && nb == 1) {
		for (u32 ox = 0; ox < g->ow; ox++, p += sx, t += 64)
			_mm512_store_si512(t, _mm512_permutexvar_epi8(ix, _mm512_loadu_si512(p)));
		return;
	}
	for (u32 ox = 0; ox < g->ow; ox++, p += sx)
		for (u32 q = 0; q < groups; q++)
			for (u32 b = 0; b < nb; b++, t += 64) {
				const u8 *s = p + q * sq + DW_CB * b;
				__m512i v;

				if (how == TAPS_RUN) {
					v = _mm512_permutexvar_epi8(ix, _mm512_loadu_si512(s));
				} else if (how == TAPS_TWO) {
					v = _mm512_permutex2var_epi8(_mm512_loadu_si512(s), ix,
								     _mm512_loadu_si512(s + 2 * step));
				} else {
					v = _mm512_castsi128_si512(_mm_loadu_si128((const void *)s));
					v = _mm512_inserti32x4(v, _mm_loadu_si128((const void *)(s + step)), 1);
					v = _mm512_inserti32x4(v, _mm_loadu_si128((const void *)(s + 2 * step)), 2);
					v = _mm512_inserti32x4(v, _mm_loadu_si128((const void *)(s + 3 * step)), 3);
					v = _mm512_permutexvar_epi8(ix, v);
				}
				_mm512_store_si512(t, v);
			}
}

__attribute__((target("avx512vbmi")))
static void tap_row_vbmi(const struct dw_geom *g, const u8 *p, u8 *t)
{
	size_t step = (size_t)g->dw * g->ch;
	bool two = step != DW_CB && step <= 48;
	__m512i ix = two ? _mm512_add_epi8(_mm512_loadu_si512(taps_at_two),
					   _mm512_maskz_set1_epi8(0xaaaaaaaaaaaaaaaaULL, (char)step)) :
			   _mm512_loadu_si512(taps_at_16j);

	/*
	 * Opaque to the compiler: clang rewrites a byte permutation by a
	 * known index into many unpacks and inserts.
	 */
	__asm__("" : "+v"(ix));
	if (step == DW_CB)
		taps_vbmi(g, p, t, ix, TAPS_RUN);
	else if (two)
		taps_vbmi(g, p, t, ix, TAPS_TWO);
	else
		taps_vbmi(g, p, t, ix, TAPS_FOUR);
}

bool cpu_vnni_dw_no_vbmi;

static void tap_row(const struct dw_geom *g, const u8 *p, u8 *t)
{
	if (g->vbmi)
		tap_row_vbmi(g, p, t);
	else
		tap_row_plain(g, p, t);
}

/*
 * np pixels of nbb (1 or 2) blocks into tile rows: s[i] + o is group i's
 * tap row at the first block, ps bytes from one pixel to the next; w the
 * first block's packed weights. Inlined with ng constant for 3 x 3.
 */
static inline __attribute__((always_inline)) void
dw_tile(const u8 *const *s, size_t o, u32 ng, size_t ps, const s8 *w, u32 nbb, u32 p0,
	u32 np, s32 (*tile)[DW_NR])
{
	__m512i wv[2][DW_MAX_NG];

	for (u32 b = 0; b < nbb; b++)
		for (u32 i = 0; i < ng; i++)
			wv[b][i] = _mm512_loadu_si512(w + ((size_t)b * ng + i) * 64);
	o += (size_t)p0 * ps;
	for (u32 p = 0; p < np; p++, o += ps) {
		for (u32 b = 0; b < nbb; b++) {
			__m512i acc = _mm512_setzero_si512();

			for (u32 i = 0; i < ng; i++)
				acc = _mm512_dpbusd_epi32(acc, _mm512_load_si512(s[i] + o + 64 * b),
							  wv[b][i]);
			_mm512_store_si512(tile[p] + DW_CB * b, acc);
		}
	}
}

static void dw_tile_any(const u8 *const *s, size_t o, u32 ng, size_t ps, const s8 *w,
			u32 nbb, u32 p0, u32 np, s32 (*tile)[DW_NR])
{
	if (ng == 3 && nbb == 2)
		dw_tile(s, o, 3, ps, w, 2, p0, np, tile);
	else if (ng == 3)
		dw_tile(s, o, 3, ps, w, 1, p0, np, tile);
	else
		dw_tile(s, o, ng, ps, w, nbb, p0, np, tile);
}

struct dw_ring {
	const struct dw_geom *g;
	const s8 *in;
	u8 *copy, *pad, *rows;
	s64 *tag;
	bool pad_made;
};

/* The tap row of input row y of batch n (a padding row outside). */
static const u8 *ring_row(struct dw_ring *r, u32 n, s64 y)
{
	const struct dw_geom *g = r->g;
	u32 slot;
	s64 key;

	if (y < 0 || y >= g->ih) {
		if (!r->pad_made) {
			memset(r->pad, g->fill, g->trow);
			r->pad_made = true;
		}
		return r->pad;
	}
	key = (s64)n * g->ih + y;
	slot = (u32)(key % g->ring);
	if (r->tag[slot] != key) {
		copy_row(g, r->in + ((size_t)key * g->iw) * g->ci, r->copy);
		tap_row(g, r->copy, r->rows + slot * g->trow);
		r->tag[slot] = key;
	}
	return r->rows + slot * g->trow;
}

void cpu_vnni_dw_rows(const struct qaccel_cmd_dwconv2d *c, const s8 *in, const void *w,
		      const struct cpu_rq *rq, s8 *out, u32 row0, u32 row1, void *scratch)
{
	const struct cpu_isa *isa = &cpu_isa_avx512vnni;
	struct dw_geom g;
	struct dw_ring r;
	s32 tile[DW_PIX][DW_NR] __attribute__((aligned(64)));
	const u8 *s[DW_MAX_NG];
	struct cpu_rq *rcs;

	dw_geom(c, &g);
	r = (struct dw_ring){ .g = &g, .in = in, .copy = scratch };
	r.pad = r.copy + g.copy;
	r.rows = r.pad + g.trow;
	r.tag = (s64 *)(r.rows + g.ring * g.trow);
	rcs = (struct cpu_rq *)((u8 *)r.tag + up64(sizeof(s64) * g.ring));
	for (u32 i = 0; i < g.ring; i++)
		r.tag[i] = -1;
	/* Each pair of blocks' parameters, made once, not once a row. */
	for (u32 b = 0; b < g.nb; b += 2)
		rcs[b / 2] = cpu_rq_at(rq, b * DW_CB);
	for (u32 row = row0; row < row1; row++) {
		u32 n = row / g.oh, oy = row % g.oh;
		s64 y0 = (s64)oy * g.sh - g.pt;
		size_t ps = (size_t)g.groups * g.nb * 64;
		s8 *o = out + (size_t)row * g.ow * g.ch;

		/* Group q of kernel row ky: its tap row, q * nb blocks on. */
		for (u32 ky = 0; ky < g.kh; ky++) {
			const u8 *t = ring_row(&r, n, y0 + (s64)ky * g.dh);

			for (u32 q = 0; q < g.groups; q++)
				s[ky * g.groups + q] = t + (size_t)q * g.nb * 64;
		}
		for (u32 b = 0; b < g.nb; b += 2) {
			u32 nbb = g.nb - b >= 2 ? 2 : 1, ch0 = b * DW_CB;
			u32 cols = g.ch - ch0 < DW_NR ? g.ch - ch0 : DW_NR;
			const struct cpu_rq *rc = &rcs[b / 2];

			for (u32 p0 = 0; p0 < g.ow; p0 += DW_PIX) {
				u32 np = g.ow - p0 < DW_PIX ? g.ow - p0 : DW_PIX;

				dw_tile_any(s, (size_t)b * 64, g.ng, ps,
					    (const s8 *)w + (size_t)b * g.ng * 64, nbb, p0, np, tile);
				isa->tile_out(tile[0], np, cols, rc, o + (size_t)p0 * g.ch + ch0, g.ch);
			}
		}
	}
}
