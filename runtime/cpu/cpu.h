/* SPDX-License-Identifier: MIT */
/*
 * The fast cpu backend's engine: optimised kernels for the commands that
 * carry the work (CONV_2D, FULLY_CONNECTED, DEPTHWISE_CONV_2D, pooling,
 * ADD/SUB/MUL, LUT), each bit-exact with runtime/ref, and the reference
 * kernels for every other command. Documentation/cpu-backend.rst.
 */
#ifndef QACCEL_CPU_H
#define QACCEL_CPU_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/ref/qaccel_ref.h"

/*
 * Instruction-set levels, lowest first. A level is usable when the CPU has
 * it; the best usable one is picked at run time unless QACCEL_CPU_ISA names
 * another (tests force each in turn).
 */
enum cpu_isa_level {
	CPU_ISA_GENERIC = 0,	/* portable C */
	CPU_ISA_AVX2,		/* x86-64 AVX2: vpmaddwd on int16 */
	CPU_ISA_AVX512VNNI,	/* x86-64 AVX-512 VNNI: vpdpbusd */
	CPU_ISA_NEON,		/* AArch64 Advanced SIMD: smlal on int16 */
	CPU_ISA_SDOT,		/* AArch64 dot product: sdot */
	CPU_ISA_COUNT
};

/*
 * Per-output-channel requantization, spelled out once per command so the
 * epilogues read arrays: acc + off, then multiplier and shift (left and
 * right parts), then zero point and clamp.
 */
/* Window taps the vectorised depthwise kernel takes; larger run the reference. */
#define CPU_DW_MAX_TAPS 64

struct cpu_rq {
	const s32 *off;		/* bias - (activation offset) * weight sum */
	const s32 *mult;
	const s32 *lshift;	/* max(shift, 0) */
	const s32 *rshift;	/* max(-shift, 0) */
	u32 rounding;
	s32 zero_point;
	s32 min, max;
	/*
	 * The same in 64-bit lanes, for kernels that keep the product p =
	 * x * mult whole: r = (p + c64 - (p < -2^30 ? d64 : 0)) >> s64, one
	 * rounding shift for either mode. Double rounding: c64 = 2^30 +
	 * 2^(rs-1) * 2^31, d64 = 2^31, s64 = 31 + rs (c64 = 2^30, d64 = 0 when
	 * rs is 0); single: c64 = 2^(t-1), d64 = 0, s64 = t = 31 - shift.
	 * Documentation/cpu-backend.rst shows why both equal the reference.
	 */
	const s64 *m64, *c64, *d64, *s64;
	bool lshift_any;	/* some channel shifts left first */
	/*
	 * Every channel's shift is negative: results then lie within
	 * +-(2^30 + 1), so adding the zero point cannot overflow.
	 */
	bool rshift_all;
	/*
	 * The short form, when every channel's shift is negative, rounding
	 * is double and no accumulator of the command can make acc + off
	 * wrap (cpu_fill_rq()'s acc_bound): per group of 16 channels,
	 * 64 values: the multiplier m, then c = off * m + c64 + zp * 2^s,
	 * then t = -2^30 - off * m, then the shift, each as 8 even channels
	 * followed by 8 odd ones (the odd shifts are s - 32). Then acc_out =
	 * (acc * m + c - (acc * m < t ? 2^31 : 0)) >> s is already the
	 * result plus the zero point: no offset add, no zero point add.
	 * fast is false when f is NULL or the condition fails.
	 */
	const s64 *f;
	bool fast;
	/* The channel element 0 of the arrays stands for (cpu_rq_at). */
	u32 base;
};

/* The parameters of channels from c on. */
static inline struct cpu_rq cpu_rq_at(const struct cpu_rq *rq, u32 c)
{
	struct cpu_rq r = *rq;

	r.off += c;
	r.mult += c;
	r.lshift += c;
	r.rshift += c;
	r.m64 += c;
	r.c64 += c;
	r.d64 += c;
	r.s64 += c;
	r.base += c;
	return r;
}

/*
 * One instruction-set level's kernels. The GEMM computes C[m][n] =
 * sum_k A[m][k] * B[n][k] over packed panels: A (activations) as
 * [K/ku][mr][ku] elements of a_size bytes (XORed with a_xor when 1 byte;
 * or another order of the same size that the level's pack_a and gemm
 * agree on),
 * B (weights) as [N/nr panels][K/ku][nr][ku] elements of b_size bytes.
 */
struct cpu_isa {
	const char *name;
	enum cpu_isa_level level;
	u32 mr, nr, ku, a_size, b_size;
	u8 a_xor;
	/* Rows base + r * stride (r < valid) of k values into one A tile. */
	void (*pack_a)(const struct cpu_isa *isa, const s8 *base, size_t stride,
		       u32 valid, u32 k, u32 kg, void *out);
	/*
	 * Optional (levels with 1-byte elements, ku 4): the A tile whose row
	 * r has group g at base + rows[r] + goff[g] (cpu_conv_image.c).
	 */
	void (*pack_a_at)(const struct cpu_isa *isa, const s8 *base, const s32 *rows,
			  u32 valid, const s32 *goff, u32 kg, void *out);
	/*
	 * Optional (1-byte elements, ku 4): weights into a B panel, groups
	 * g < groups of 4 bytes of rows rows (row c at src + c * k, rows <=
	 * nr): group g of row c to dst + 4 * (g * nr + c). The rest of the
	 * panel is left as it is.
	 */
	void (*pack_b4)(const s8 *src, size_t k, u32 rows, u32 groups, u8 *dst);
	/*
	 * Optional, instead of pack_a_at: the GEMM tile of an image's rows
	 * read where they lie, no A tile packed; all mr rows must be valid
	 * addresses. The image
	 * holds x ^ a_xor already. half: as gemm_half; rows of C from valid
	 * on may be left unwritten.
	 */
	void (*gemm_at)(u32 kg, const s8 *base, const s32 *rows, const s32 *goff,
			const void *b, s32 *c, bool half, u32 valid);
	/* C tile (mr x nr int32, row-major) over kg groups of ku k values. */
	void (*gemm)(u32 kg, const void *a, const void *b, s32 *c);
	/*
	 * Optional: the same for a panel whose channels all lie in its
	 * first nr / 2 columns; only those columns of C are written.
	 */
	void (*gemm_half)(u32 kg, const void *a, const void *b, s32 *c);
	/* Optional: the same for a tile of one valid row (row 0 of C only). */
	void (*gemm_row1)(u32 kg, const void *a, const void *b, s32 *c);
	/* n accumulators of one output row to int8; rq arrays start at col 0. */
	void (*requant_row)(const s32 *acc, u32 n, const struct cpu_rq *rq,
			    s8 *out);
	/*
	 * Optional: a whole mr x nr tile (rows and cols valid) to int8 rows
	 * ldo bytes apart, each column's parameters loaded once.
	 */
	void (*tile_out)(const s32 *tile, u32 rows, u32 cols, const struct cpu_rq *rq,
			 s8 *out, size_t ldo);
	/*
	 * npix depthwise output pixels over n channels; pixel p sums input
	 * rows x[p * taps + t] times weight rows w[t] (the zero point is in
	 * the offset).
	 */
	void (*dw_row)(const s8 *const *x, const s8 *const *w, u32 taps, u32 npix,
		       u32 n, const struct cpu_rq *rq, s8 *out);
	/*
	 * Optional, used instead of dw_row (and for any depth multiplier,
	 * where dw_row takes 1 only): dw_pack
	 * lays a [kh][kw][n] filter out in dw_pack_size() bytes, once per
	 * filter (cpu_packed's b); dw_rows computes output rows [row0, row1)
	 * (batch * height + y) with dw_scratch() bytes of 64-aligned scratch.
	 * Its sums are of (x + 128) * w: the offset's activation term is
	 * (zi + 128) * sum(w).
	 */
	size_t (*dw_pack_size)(u32 kh, u32 kw, u32 n);
	void (*dw_pack)(const s8 *filter, u32 kh, u32 kw, u32 n, void *out);
	size_t (*dw_scratch)(const struct qaccel_cmd_dwconv2d *c);
	void (*dw_rows)(const struct qaccel_cmd_dwconv2d *c, const s8 *in, const void *w,
			const struct cpu_rq *rq, s8 *out, u32 row0, u32 row1, void *scratch);
	/* acc[c] = max(acc[c], x[c]) and acc[c] += x[c], for c < n. */
	void (*max_row)(s8 *acc, const s8 *x, u32 n);
	void (*sum_row)(s32 *acc, const s8 *x, u32 n);
	void (*binary)(const struct qaccel_cmd_binary *c, const s8 *a, u32 sa,
		       const s8 *b, u32 sb, s8 *out, u32 n);
	void (*lut)(const s8 *in, s8 *out, const s8 *table, size_t n);
};

/* The level's kernels, or NULL when this build or CPU lacks it. */
const struct cpu_isa *cpu_isa_get(enum cpu_isa_level level);
/* The best level usable here, or the one QACCEL_CPU_ISA names. */
const struct cpu_isa *cpu_isa_best(void);
const char *cpu_isa_level_name(enum cpu_isa_level level);

struct cpu_pool;
/* threads >= 1; the pool's workers live until cpu_pool_destroy(). */
int cpu_pool_create(int threads, struct cpu_pool **out);
void cpu_pool_destroy(struct cpu_pool *p);
int cpu_pool_threads(const struct cpu_pool *p);
/* fn(arg, task, thread) for every task < ntasks, spread over the threads. */
void cpu_pool_run(struct cpu_pool *p, u32 ntasks,
		  void (*fn)(void *arg, u32 task, u32 thread), void *arg);

/*
 * Packed weights of one command, cached per buffer when the buffer's bytes
 * can no longer change (the model's constants).
 */
/* What a command's requantization arrays are made from, besides the weights. */
struct cpu_rq_key {
	const void *bias, *params;
	u32 count, rounding;
	s32 za, zo, min, max;
};

struct cpu_packed {
	struct cpu_packed *next;
	/* Identity: what was packed and how. */
	const void *src;
	u32 opcode, n, k, kh, kw;
	enum cpu_isa_level level;
	/* Results. */
	void *b;		/* GEMM panels, or the level's dw_pack() layout */
	s32 *wsum;		/* per output channel sum of weights */
	/*
	 * The last requantization arrays made for these weights, reused
	 * while rq_key is the same and the bias and multipliers lie in the
	 * weights' own constant buffer (so their bytes cannot change).
	 */
	struct cpu_rq_key rq_key;
	struct cpu_rq rq;
	void *rq_mem;
};

struct cpu_engine {
	const struct cpu_isa *isa;
	struct cpu_pool *pool;
	/* Per-thread scratch, grown on demand. */
	void **scratch;
	size_t *scratch_size;
	int threads;
	/*
	 * Commands estimated below this much work (about cycles on one
	 * core) run on the calling thread alone: handing them out costs
	 * more than it saves. Tests set 0 to split everything.
	 */
	u64 split_min;
	/* A convolution's input image and group offsets (cpu_conv_image.c). */
	void *image;
	size_t image_size;
	/* SOFTMAX's exp tables, most recently used first (cpu_softmax.c). */
	struct cpu_softmax_table *softmax;
};

/*
 * Default split_min: about five microseconds of work. Smaller commands
 * (the 6x6 layers of a 96x96 MobileNet) took longer split over two cores
 * than whole on one: the hand-off, and their input rows written by the
 * other core the command before.
 */
#define CPU_SPLIT_MIN_WORK 16384

/*
 * The threads a command of this much work is cut for: 1 when cpu_run()
 * will run it on this thread alone, so that it is not cut into the
 * smaller blocks (and repacked A tiles) that only sharing pays for.
 */
u32 cpu_split_threads(const struct cpu_engine *e, u64 work);
/* cpu_pool_run(), or a plain loop on this thread when work is small. */
void cpu_run(struct cpu_engine *e, u32 ntasks, void (*fn)(void *arg, u32 task, u32 thread),
	     void *arg, u64 work);

int cpu_engine_init(struct cpu_engine *e, const struct cpu_isa *isa,
		    int threads);
void cpu_engine_fini(struct cpu_engine *e);
/* Scratch of at least size bytes for a thread, 64-aligned; NULL on ENOMEM. */
void *cpu_scratch(struct cpu_engine *e, u32 thread, size_t size);

/*
 * Run one validated command. caches[i], when not NULL, is where packed
 * weights living in buffer i are kept (its bytes are constant); for other
 * buffers packing is redone on every call. Returns 0 or -ENOMEM.
 */
int cpu_exec_cmd(struct cpu_engine *e, const struct qaccel_cmd_header *cmd,
		 const struct qaccel_buf_view *bufs,
		 struct cpu_packed **const *caches);
int cpu_exec_stream(struct cpu_engine *e, const void *stream,
		    const struct qaccel_buf_view *bufs,
		    struct cpu_packed **const *caches);
void cpu_packed_free_all(struct cpu_packed **list);

/* LUT with NEON table lookups (cpu_isa_neon.c; AArch64 only). */
void cpu_neon_lut(const s8 *in, s8 *out, const s8 *table, size_t n);
void cpu_pack_rows(const struct cpu_isa *isa, const s8 *base, size_t stride, u32 valid,
		   u32 k, u32 kg, void *out);
#if defined(__x86_64__)
/* avx512vnni's ADD, SUB and MUL (cpu_binary_avx512vnni.c). */
void cpu_vnni_binary(const struct qaccel_cmd_binary *c, const s8 *a, u32 sa,
		     const s8 *b, u32 sb, s8 *out, u32 n);
/* Whether avx512vnni's ADD, SUB and MUL run c branch-free (for the tests). */
bool cpu_vnni_binary_fast(const struct qaccel_cmd_binary *c);
#endif
void cpu_pack_weights(const struct cpu_isa *isa, const s8 *w, u32 n, u32 k, u32 run,
		      u32 runp, u8 *out, s32 *wsum);
int cpu_fill_rq(struct cpu_engine *e, u32 n, const s32 *bias,
		const struct qaccel_qmul *q, const struct qaccel_requant *req,
		const s32 *wsum, s32 za, s32 zo, const struct qaccel_clamp *cl,
		u64 acc_bound, struct cpu_rq *rq);
/*
 * cpu_fill_rq() with p's weight sums; when rq_const, the arrays are kept
 * in p and reused by the next call with the same inputs.
 */
int cpu_packed_rq(struct cpu_engine *e, struct cpu_packed *p, bool rq_const,
		  const struct qaccel_buf_view *bufs, const struct qaccel_ref *bias,
		  const struct qaccel_requant *req, s32 za, s32 zo,
		  const struct qaccel_clamp *cl, struct cpu_rq *rq);
/* Adds p to a cache (a ring, cpu_engine.c). */
void cpu_packed_insert(struct cpu_packed **cache, struct cpu_packed *p);
/* The cache entry of these weights, or NULL. */
struct cpu_packed *cpu_packed_find(struct cpu_packed **cache, const void *src,
				   u32 opcode, u32 n, u32 k, u32 kh, u32 kw,
				   enum cpu_isa_level level);

/*
 * A convolution's input as cpu_conv_image.c packs it: output pixel (b,
 * oy, ox)'s window starts at base + b * batch + oy * row_step + ox *
 * col_step, and group g of its K' values lies goff[g] bytes on.
 */
struct cpu_conv_image {
	const s8 *base;
	s32 batch, row_step, col_step;
	const s32 *goff;
};

u32 cpu_conv_image_k(const struct cpu_isa *isa, const struct qaccel_cmd_conv2d *c);
int cpu_conv_image_make(struct cpu_engine *e, const struct qaccel_cmd_conv2d *c,
			const s8 *in, u32 kp, struct cpu_conv_image *img);
void cpu_conv_image_rows(const struct cpu_conv_image *img, const u32 *od, u32 m, u32 count,
			 s32 *rows);
void cpu_pack_at(const struct cpu_isa *isa, const s8 *base, const s32 *rows, u32 valid,
		 const s32 *goff, u32 kg, void *out);

/* The command drivers (cpu_gemm.c, cpu_dwconv.c, cpu_simple.c). */
/*
 * cache: where packed weights of the filter's buffer are kept (NULL: pack
 * anew); rq_const: bias and multipliers are constant too (cpu_packed).
 */
int cpu_conv2d(struct cpu_engine *e, const struct qaccel_cmd_conv2d *c,
	       const struct qaccel_buf_view *bufs, struct cpu_packed **cache,
	       bool rq_const);
int cpu_fc(struct cpu_engine *e, const struct qaccel_cmd_fc *c,
	   const struct qaccel_buf_view *bufs, struct cpu_packed **cache,
	   bool rq_const);
int cpu_dwconv2d(struct cpu_engine *e, const struct qaccel_cmd_dwconv2d *c,
		 const struct qaccel_buf_view *bufs, struct cpu_packed **cache,
		 bool rq_const);
int cpu_pool2d(struct cpu_engine *e, const struct qaccel_cmd_pool2d *c,
	       const struct qaccel_buf_view *bufs);
int cpu_binary(struct cpu_engine *e, const struct qaccel_cmd_binary *c,
	       const struct qaccel_buf_view *bufs);
int cpu_lut(struct cpu_engine *e, const struct qaccel_cmd_lut *c,
	    const struct qaccel_buf_view *bufs);
int cpu_mean(struct cpu_engine *e, const struct qaccel_cmd_mean *c,
	     const struct qaccel_buf_view *bufs);
int cpu_softmax_f32(const struct qaccel_cmd_softmax_f32 *c,
		    const struct qaccel_buf_view *bufs);
int cpu_softmax(struct cpu_engine *e, const struct qaccel_cmd_softmax *c,
		const struct qaccel_buf_view *bufs);
/* Frees the engine's softmax tables. */
void cpu_softmax_free(struct cpu_engine *e);

/* The AVX-512 VNNI level's depthwise kernels (cpu_dw_avx512vnni.c). */
size_t cpu_vnni_dw_pack_size(u32 kh, u32 kw, u32 n);
void cpu_vnni_dw_pack(const s8 *filter, u32 kh, u32 kw, u32 n, void *out);
size_t cpu_vnni_dw_scratch(const struct qaccel_cmd_dwconv2d *c);
void cpu_vnni_dw_rows(const struct qaccel_cmd_dwconv2d *c, const s8 *in, const void *w,
		      const struct cpu_rq *rq, s8 *out, u32 row0, u32 row1, void *scratch);
/* Tests set it to run the kernels' path for CPUs without AVX-512 VBMI. */
extern bool cpu_vnni_dw_no_vbmi;

/* Per-level kernel tables (each in its own file, built with its flags). */
extern const struct cpu_isa cpu_isa_generic;
extern const struct cpu_isa cpu_isa_avx2;
extern const struct cpu_isa cpu_isa_avx512vnni;
extern const struct cpu_isa cpu_isa_neon;
extern const struct cpu_isa cpu_isa_sdot;

#endif /* QACCEL_CPU_H */
