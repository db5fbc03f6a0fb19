// SPDX-License-Identifier: MIT
/*
 * Convolution without im2col rows: the A tiles are packed straight from
 * the input image. One window row's taps (kw * ic values, undilated) are
 * contiguous there, so with each run padded to a multiple of 4 in k (the
 * weights hold zeros in the padding, K' = kh * roundup(kw * ic, 4)),
 * every group of 4 k values of a tile row is 4 bytes at the row's window
 * origin plus a per-group offset. Where the window reaches outside the
 * input, or the last run's padding would read past its end, the input is
 * first copied once into a scratch image bordered with the zero point.
 * The few bytes a padded group reads past its run meet zero weights.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "runtime/ref/ref_util.h"

/* Bytes read past an image's last byte by a padded group: 3, rounded up. */
#define IMAGE_SLACK 64

/**
 * cpu_conv_image_k() - K' of a convolution packed from its image, or 0
 * @isa: the level (it needs pack_a_at or gemm_at)
 * @c: the command
 *
 * 0 where the level cannot, the window is dilated along x, or the padding
 * would add more than a quarter to the groups of k (one 1-channel tap a
 * run, say): there im2col rows cost less than the extra multiplies.
 * Return: K', a multiple of 4.
 */
u32 cpu_conv_image_k(const struct cpu_isa *isa, const struct qaccel_cmd_conv2d *c)
{
	const u32 *fd = c->filter.dims;
	u64 run = (u64)fd[2] * fd[3], runp = (run + 3) & ~3ULL, k = run * fd[1];
	u64 kp = runp * fd[1], kg = (k + 3) / 4;

	if ((!isa->pack_a_at && !isa->gemm_at) || c->win.dilation_w != 1 ||
	    kp / 4 > kg + kg / 4 + 1 || kp >= (1u << 30))
		return 0;
	return (u32)kp;
}

/* The input rows and columns the windows cover, from (-pad_top, -pad_left). */
static void covered(const struct qaccel_cmd_conv2d *c, u64 *h, u64 *w)
{
	const u32 *fd = c->filter.dims, *od = c->output.dims;

	*h = (u64)(od[1] - 1) * c->win.stride_h + (u64)(fd[1] - 1) * c->win.dilation_h + 1;
	*w = (u64)(od[2] - 1) * c->win.stride_w + fd[2];
}

/* n bytes of src XORed with x (0: a copy). */
static void copy_xor(s8 *dst, const s8 *src, size_t n, u8 x)
{
	u64 x8 = 0x0101010101010101ULL * x;
	size_t i = 0;

	if (!x) {
		memcpy(dst, src, n);
		return;
	}
	for (; i + 8 <= n; i += 8) {
		u64 v;

		memcpy(&v, src + i, 8);
		v ^= x8;
		memcpy(dst + i, &v, 8);
	}
	for (; i < n; i++)
		dst[i] = (s8)((u8)src[i] ^ x);
}

/*
 * The input copied into the covered area, zi where it lies outside, every
 * byte XORed with x.
 */
static void fill_image(const struct qaccel_cmd_conv2d *c, const s8 *in, s8 *img, u64 h,
		       u64 w, u8 x)
{
	const u32 *id = c->input.dims;
	size_t ic = id[3], rs = (size_t)w * ic;
	s8 zi = (s8)((u8)c->input.zero_point ^ x);
	s64 x0 = -(s64)c->win.pad_left;
	/* The columns of an image row that exist in the input. */
	s64 xa = x0 < 0 ? -x0 : 0, xb = (s64)id[2] - x0 < (s64)w ? (s64)id[2] - x0 : (s64)w;

	if (xb < xa)
		xb = xa;
	/* Whole input rows, in order: one copy (a VALID window, say). */
	if (!xa && xb == (s64)w && w == id[2] && !c->win.pad_top && h <= id[1]) {
		for (u32 b = 0; b < id[0]; b++, img += h * rs)
			copy_xor(img, in + ref_offset(id, b, 0, 0, 0), h * rs, x);
		return;
	}
	/* The border first, all of it at once; then the input's part of each row. */
	memset(img, zi, (size_t)id[0] * h * rs);
	for (u32 b = 0; b < id[0]; b++)
		for (u64 y = 0; y < h; y++, img += rs) {
			s64 sy = (s64)y - c->win.pad_top;

			if (sy >= 0 && sy < id[1])
				copy_xor(img + (size_t)xa * ic,
					 in + ref_offset(id, b, (u32)sy, (u32)(xa + x0), 0),
					 (size_t)(xb - xa) * ic, x);
		}
}

/**
 * cpu_conv_image_make() - the image and group offsets of one command
 * @e: the engine (the image and offsets live in its image scratch)
 * @c: the command, for which cpu_conv_image_k() gave kp
 * @in: the input tensor
 * @kp: K'
 * @img: filled in
 *
 * Return: 0 or -ENOMEM.
 */
int cpu_conv_image_make(struct cpu_engine *e, const struct qaccel_cmd_conv2d *c,
			const s8 *in, u32 kp, struct cpu_conv_image *img)
{
	const u32 *id = c->input.dims, *fd = c->filter.dims;
	u32 ic = id[3], run = fd[2] * ic, runp = (run + 3) & ~3u, per = runp / 4;
	u64 h, w, bytes = 0;
	bool copy;
	s32 *goff;
	s8 *mem;

	covered(c, &h, &w);
	/*
	 * Windows wholly inside and no padded group past the input's end
	 * read the input itself, unless the level reads its tiles from the
	 * image (gemm_at): then the image holds x ^ a_xor.
	 */
	copy = c->win.pad_top || c->win.pad_left || h > id[1] || w > id[2] || run != runp ||
	       e->isa->gemm_at;
	if (copy)
		bytes = ((u64)id[0] * h * w * ic + IMAGE_SLACK + 63) & ~63ULL;
	/* Offsets are int32: larger images (no real model) take im2col. */
	if ((copy ? bytes : (u64)id[0] * id[1] * id[2] * ic) >= (1ULL << 31))
		return -ERANGE;
	if (!copy) {
		h = id[1];
		w = id[2];
	}
	if (e->image_size < bytes + sizeof(s32) * kp / 4) {
		size_t grown = (bytes + sizeof(s32) * kp / 4 + 4095) & ~(size_t)4095;

		mem = aligned_alloc(64, grown);
		if (!mem)
			return -ENOMEM;
		free(e->image);
		e->image = mem;
		e->image_size = grown;
	}
	mem = e->image;
	goff = (s32 *)(mem + bytes);
	if (copy) {
		fill_image(c, in, mem, h, w, e->isa->gemm_at ? e->isa->a_xor : 0);
		memset(mem + (size_t)id[0] * h * w * ic, 0, IMAGE_SLACK);
	}
	*img = (struct cpu_conv_image){
		.base = copy ? mem : in,
		.batch = (s32)(h * w * ic),
		.row_step = (s32)(c->win.stride_h * w * ic),
		.col_step = (s32)(c->win.stride_w * ic),
		.goff = goff,
	};
	/* Window row ky's groups: per of them, 4 bytes apart from its start. */
	for (u32 g = 0, ky = 0; ky < fd[1]; ky++) {
		s32 start = (s32)((u64)ky * c->win.dilation_h * w * ic);

		for (u32 u = 0; u < per; u++)
			goff[g++] = start + (s32)(4 * u);
	}
	return 0;
}

/**
 * cpu_conv_image_rows() - window origins of count output pixels from m
 * @img: the image
 * @od: the output's dims
 * @m: the first pixel (NHW order)
 * @count: pixels
 * @rows: their offsets in the image
 */
void cpu_conv_image_rows(const struct cpu_conv_image *img, const u32 *od, u32 m, u32 count,
			 s32 *rows)
{
	u32 ox = m % od[2], oy = (m / od[2]) % od[1], b = m / od[2] / od[1];
	s32 line = (s32)b * img->batch + (s32)oy * img->row_step;

	for (u32 r = 0; r < count; r++) {
		rows[r] = line + (s32)ox * img->col_step;
		if (++ox == od[2]) {
			ox = 0;
			line += img->row_step;
			if (++oy == od[1]) {
				oy = 0;
				line = (s32)++b * img->batch;
			}
		}
	}
}

/**
 * cpu_pack_at() - an A tile from rows of an image, portably
 * @isa: the level (1-byte elements, ku 4)
 * @base: the image
 * @rows: each valid row's window origin in it
 * @valid: rows that exist; the others are packed as zeros
 * @goff: each group's offset from a row's origin
 * @kg: groups
 * @out: the tile
 */
void cpu_pack_at(const struct cpu_isa *isa, const s8 *base, const s32 *rows, u32 valid,
		 const s32 *goff, u32 kg, void *out)
{
	u32 *o = out, x = isa->a_xor * 0x01010101u, mr = isa->mr;

	for (u32 g = 0; g < kg; g++, o += mr)
		for (u32 r = 0; r < mr; r++) {
			u32 v = 0;

			if (r < valid) {
				memcpy(&v, base + rows[r] + goff[g], 4);
				v ^= x;
			}
			o[r] = v;
		}
}
