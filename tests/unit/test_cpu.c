// SPDX-License-Identifier: MIT
/*
 * The cpu backend's optimised kernels against the reference engine, byte
 * for byte: random shapes and parameters for every optimised command, at
 * every instruction-set level this CPU runs (each forced in turn), on one
 * thread and on three. Shapes reach past the tile and vector widths so
 * that full tiles, tails and padding all run. Failures print the seed
 * (QACCEL_TEST_SEED reproduces it), the level and the first difference.
 */
#include <pthread.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "kselftest_harness.h"
#include "cmd_util.h"
#include "qaccel.h"
#include "runtime/backend/backend.h"
#include "runtime/cpu/cpu.h"
#include "runtime/ref/qaccel_qmath.h"

#define ITERS 60

static int check_level(struct __test_metadata *_metadata, const char *what,
		       const struct cpu_isa *isa, int threads, int iter,
		       const int8_t *got, const int8_t *want, size_t n)
{
	size_t d = t_first_diff(got, want, n);

	if (d < n)
		printf("# %s seed %llu iter %d level %s threads %d: element %zu got %d want %d\n",
		       what, (unsigned long long)t_seed, iter, isa->name, threads, d,
		       got[d], want[d]);
	fflush(stdout);
	return d == n;
}

/*
 * Runs cmd on the reference engine and on every level at 1 and 3 threads,
 * each on its own copy of the buffers, and compares the output tensor.
 * With cache, the weights are packed once per level and reused on a
 * second run, as for a sealed buffer.
 */
static int compare_all(struct __test_metadata *_metadata, const char *what, int iter,
		       const struct qaccel_cmd_header *cmd, struct t_bufs *b,
		       const struct qaccel_tensor *out, bool cache)
{
	struct t_bufs want;
	size_t n = t_elems(out->dims);
	int ok = 1, levels = 0;

	t_bufs_clone(&want, b);
	qaccel_exec_cmd(cmd, want.v);
	for (int l = 0; l < CPU_ISA_COUNT; l++) {
		const struct cpu_isa *isa = cpu_isa_get(l);

		if (!isa)
			continue;
		levels++;
		for (int threads = 1; threads <= 3; threads += 2) {
			struct cpu_packed *packed[T_MAX_BUFS] = { 0 };
			struct cpu_packed **caches[T_MAX_BUFS];
			struct cpu_engine e;
			struct t_bufs got;

			for (int i = 0; i < T_MAX_BUFS; i++)
				caches[i] = &packed[i];
			if (cpu_engine_init(&e, isa, threads))
				return 0;
			/* Every command split, however small its shape. */
			e.split_min = 0;
			for (int run = 0; run < (cache ? 2 : 1); run++) {
				t_bufs_clone(&got, b);
				if (cpu_exec_cmd(&e, cmd, got.v, cache ? caches : NULL))
					ok = 0;
				ok &= check_level(_metadata, what, isa, threads, iter,
						  t_data(&got, out), t_data(&want, out), n);
				t_bufs_free(&got);
			}
			for (int i = 0; i < T_MAX_BUFS; i++)
				cpu_packed_free_all(&packed[i]);
			cpu_engine_fini(&e);
		}
	}
	t_bufs_free(&want);
	return ok && levels > 0;
}

/*
 * Narrower than cmd_util.h's t_rand_window: strides 1-2 and dilation 2,
 * the overlapping windows the optimised kernels reuse rows across.
 */
static void rand_window(struct qaccel_window *w, uint32_t kh, uint32_t kw, int dilate)
{
	w->stride_h = t_range(1, 2);
	w->stride_w = t_range(1, 2);
	w->dilation_h = dilate && t_one_in(4) ? 2 : 1;
	w->dilation_w = dilate && t_one_in(4) ? 2 : 1;
	w->pad_top = t_range(0, (kh - 1) * w->dilation_h);
	w->pad_left = t_range(0, (kw - 1) * w->dilation_w);
}

/* Channels around the vector and tile widths (8, 16, 32) and beyond. */
static uint32_t rand_channels(void)
{
	static const uint32_t pick[] = { 1, 3, 7, 8, 15, 16, 17, 24, 31, 32, 33, 48, 70 };

	return pick[t_rand() % (sizeof(pick) / sizeof(pick[0]))];
}

TEST(conv2d_random_every_level)
{
	t_seed_init(71);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_conv2d c = { 0 };
		bool pointwise = t_one_in(3);
		uint32_t n = t_range(1, 2), h = t_range(1, 12), w = t_range(1, 12);
		uint32_t ic = rand_channels(), oc = rand_channels();
		uint32_t kh = pointwise ? 1 : t_range(1, 3), kw = pointwise ? 1 : t_range(1, 3);

		c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_CONV_2D, sizeof(c) };
		if (pointwise)
			c.win = (struct qaccel_window){ 1, 1, 1, 1, 0, 0 };
		else
			rand_window(&c.win, kh, kw, 1);
		t_tensor(&b, &c.input, n, h, w, ic, t_zp());
		t_tensor(&b, &c.filter, oc, kh, kw, ic, 0);
		t_tensor(&b, &c.output, n,
			 pointwise ? h : t_win_out(h, kh, c.win.pad_top, c.win.stride_h,
						  c.win.dilation_h),
			 pointwise ? w : t_win_out(w, kw, c.win.pad_left, c.win.stride_w,
						  c.win.dilation_w),
			 oc, t_zp());
		c.bias = t_rand_bias(&b, oc);
		t_rand_requant(&b, &c.requant, oc);
		c.clamp = t_rand_clamp();
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
		ASSERT_TRUE(compare_all(_metadata, "conv2d", it, &c.hdr, &b, &c.output,
					t_one_in(2)));
		t_bufs_free(&b);
	}
}

/*
 * Convolutions packed from the input's image (cpu_conv_image.c): window
 * rows of kw * ic bytes that are not a multiple of 4 (padded groups
 * reading into the next pixel and past the input's end), padding on any
 * side, row dilation, strides, batches, several weight panels.
 */
TEST(conv2d_image_every_level)
{
	t_seed_init(82);
	for (int it = 0; it < ITERS; it++) {
		static const uint32_t small[] = { 1, 2, 3, 5, 6, 16 };
		struct t_bufs b = { 0 };
		struct qaccel_cmd_conv2d c = { 0 };
		uint32_t n = t_range(1, 3), h = t_range(1, 14), w = t_range(1, 14);
		uint32_t ic = small[t_rand() % 6], oc = t_one_in(3) ? t_range(33, 80) : t_range(1, 32);
		uint32_t kh = t_range(1, 5), kw = t_range(2, 5);

		c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_CONV_2D, sizeof(c) };
		rand_window(&c.win, kh, kw, 0);
		c.win.dilation_h = t_one_in(3) ? 2 : 1;
		c.win.pad_top = t_one_in(2) ? 0 : t_range(0, (kh - 1) * c.win.dilation_h);
		c.win.pad_left = t_one_in(2) ? 0 : t_range(0, kw - 1);
		t_tensor(&b, &c.input, n, h, w, ic, t_zp());
		t_tensor(&b, &c.filter, oc, kh, kw, ic, 0);
		t_tensor(&b, &c.output, n,
			 t_win_out(h, kh, c.win.pad_top, c.win.stride_h, c.win.dilation_h),
			 t_win_out(w, kw, c.win.pad_left, c.win.stride_w, 1), oc, t_zp());
		c.bias = t_rand_bias(&b, oc);
		t_rand_requant(&b, &c.requant, oc);
		c.clamp = t_rand_clamp();
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
		ASSERT_TRUE(compare_all(_metadata, "conv2d image", it, &c.hdr, &b, &c.output,
					t_one_in(2)));
		t_bufs_free(&b);
	}
}

TEST(fc_random_every_level)
{
	t_seed_init(72);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_fc c = { 0 };
		uint32_t bt = t_one_in(2) ? 1 : t_range(1, 40), k = t_range(1, 300);
		uint32_t oc = rand_channels();

		c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_FULLY_CONNECTED, sizeof(c) };
		t_tensor(&b, &c.input, 1, 1, bt, k, t_zp());
		/* Asymmetric weights take the reference path; check it too. */
		t_tensor(&b, &c.filter, 1, 1, oc, k, t_one_in(6) ? t_zp() : 0);
		t_tensor(&b, &c.output, 1, 1, bt, oc, t_zp());
		c.bias = t_rand_bias(&b, oc);
		t_rand_requant(&b, &c.requant, oc);
		c.clamp = t_rand_clamp();
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
		ASSERT_TRUE(compare_all(_metadata, "fc", it, &c.hdr, &b, &c.output,
					t_one_in(2)));
		t_bufs_free(&b);
	}
}

/*
 * One random depthwise command: kernel up to kmax x kmax (a kernel row of
 * more than 4 taps takes several groups of 4 in the avx512vnni kernel),
 * width up to wmax (past its 32-pixel tiles), SAME-style or other padding,
 * strides 1 and 2, dilation, depth multiplier 1 mostly.
 */
static void dw_random(struct t_bufs *b, struct qaccel_cmd_dwconv2d *c, uint32_t ic,
		      uint32_t kmax, uint32_t wmax)
{
	uint32_t n = t_range(1, 2), h = t_range(1, 12), w = t_range(1, wmax);
	uint32_t dm = t_one_in(5) ? t_range(2, 3) : 1;
	uint32_t kh = t_range(1, kmax), kw = t_range(1, kmax);

	*c = (struct qaccel_cmd_dwconv2d){ 0 };
	c->hdr = (struct qaccel_cmd_header){ QACCEL_OP_DEPTHWISE_CONV_2D, sizeof(*c) };
	c->depth_multiplier = dm;
	rand_window(&c->win, kh, kw, 1);
	t_tensor(b, &c->input, n, h, w, ic, t_zp());
	t_tensor(b, &c->filter, 1, kh, kw, ic * dm, 0);
	t_tensor(b, &c->output, n,
		 t_win_out(h, kh, c->win.pad_top, c->win.stride_h, c->win.dilation_h),
		 t_win_out(w, kw, c->win.pad_left, c->win.stride_w, c->win.dilation_w),
		 ic * dm, t_zp());
	c->bias = t_rand_bias(b, ic * dm);
	t_rand_requant(b, &c->requant, ic * dm);
	c->clamp = t_rand_clamp();
}

TEST(dwconv2d_random_every_level)
{
	t_seed_init(73);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_dwconv2d c;

		dw_random(&b, &c, rand_channels(), 5, 12);
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
		ASSERT_TRUE(compare_all(_metadata, "dwconv2d", it, &c.hdr, &b, &c.output,
					t_one_in(2)));
		t_bufs_free(&b);
	}
}

/*
 * The shapes MobileNet-style models give depthwise layers: 16 (two pixels
 * to an epilogue row in the avx512vnni kernel), 48 and other multiples of
 * 16, odd channel counts, rows wider than a 32-pixel tile, kernels to 9
 * wide; on x86-64 also through the kernel's path for CPUs without VBMI.
 */
TEST(dwconv2d_model_shapes_every_level)
{
	static const uint32_t pick[] = { 16, 16, 48, 48, 96, 144, 5, 17, 40 };

	t_seed_init(74);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_dwconv2d c;

		dw_random(&b, &c, pick[t_rand() % (sizeof(pick) / sizeof(pick[0]))],
			  t_one_in(4) ? 9 : 3, 70);
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
#if defined(__x86_64__)
		cpu_vnni_dw_no_vbmi = it % 2;
#endif
		ASSERT_TRUE(compare_all(_metadata, "dwconv2d", it, &c.hdr, &b, &c.output,
					t_one_in(2)));
		t_bufs_free(&b);
	}
#if defined(__x86_64__)
	cpu_vnni_dw_no_vbmi = false;
#endif
}

/*
 * Filter, bias and multipliers in one buffer, as a model's constants: the
 * requantization arrays kept with the packed weights (cpu_packed_rq) must
 * follow each change of the command's own fields between runs on the same
 * buffers (zero points, clamp, rounding, per-tensor or per-channel).
 */
#define RQ_VARIANTS 5

TEST(cached_requant_follows_the_command)
{
	t_seed_init(76);
	for (int it = 0; it < ITERS / 2; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_conv2d v[RQ_VARIANTS];
		uint32_t h = t_range(1, 8), w = t_range(1, 8);
		uint32_t ic = rand_channels(), oc = rand_channels();
		uint32_t fb = (oc * ic + 3) & ~3u, cb;
		struct qaccel_cmd_conv2d *c = &v[0];
		struct qaccel_qmul *q;
		int32_t *bias;

		memset(v, 0, sizeof(v));
		c->hdr = (struct qaccel_cmd_header){ QACCEL_OP_CONV_2D, sizeof(*c) };
		c->win = (struct qaccel_window){ 1, 1, 1, 1, 0, 0 };
		t_tensor(&b, &c->input, 1, h, w, ic, t_zp());
		t_tensor(&b, &c->output, 1, h, w, oc, t_zp());
		cb = t_buf_new(&b, fb + 12 * (size_t)oc);
		c->filter = (struct qaccel_tensor){ .ref = { cb, 0 }, .dims = { oc, 1, 1, ic } };
		c->bias = (struct qaccel_ref){ cb, fb };
		c->requant = (struct qaccel_requant){ .params = { cb, fb + 4 * oc }, .count = oc };
		bias = t_ptr(&b, &c->bias);
		q = t_ptr(&b, &c->requant.params);
		for (uint32_t i = 0; i < oc; i++) {
			bias[i] = t_range(-(1 << 16), 1 << 16);
			q[i] = t_qmul(-14, 1);
		}
		c->clamp = t_rand_clamp();
		for (int k = 1; k < RQ_VARIANTS; k++)
			v[k] = v[k - 1];
		v[1].output.zero_point = t_zp();
		v[2].clamp = t_rand_clamp();
		v[3].requant.rounding ^= 1;
		v[3].input.zero_point = t_zp();
		v[4].requant.count = 1;
		v[4].bias = (struct qaccel_ref){ QACCEL_NO_BUFFER, 0 };
		for (int k = 0; k < RQ_VARIANTS; k++) {
			struct qaccel_validate_error err = { 0 };

			ASSERT_EQ(0, t_validate_one(&v[k], sizeof(v[k]), &b, &err))
				TH_LOG("variant %d: %s at %u", k, err.reason, err.offset);
		}
		for (int l = 0; l < CPU_ISA_COUNT; l++) {
			const struct cpu_isa *isa = cpu_isa_get(l);
			struct cpu_packed *packed[T_MAX_BUFS] = { 0 };
			struct cpu_packed **caches[T_MAX_BUFS];
			struct cpu_engine e;

			if (!isa)
				continue;
			for (int i = 0; i < T_MAX_BUFS; i++)
				caches[i] = &packed[i];
			ASSERT_EQ(0, cpu_engine_init(&e, isa, 1));
			/* Each variant twice: made, then found in the cache. */
			for (int k = 0; k < 2 * RQ_VARIANTS; k++) {
				const struct qaccel_cmd_conv2d *ck = &v[k % RQ_VARIANTS];
				struct t_bufs want;

				t_bufs_clone(&want, &b);
				qaccel_exec_cmd(&ck->hdr, want.v);
				ASSERT_EQ(0, cpu_exec_cmd(&e, &ck->hdr, b.v, caches));
				ASSERT_TRUE(check_level(_metadata, "cached rq", isa, 1, it,
							t_data(&b, &ck->output),
							t_data(&want, &ck->output),
							t_elems(ck->output.dims)));
				t_bufs_free(&want);
			}
			ASSERT_NE(NULL, packed[cb]);
			ASSERT_NE(NULL, packed[cb]->rq_mem);
			for (int i = 0; i < T_MAX_BUFS; i++)
				cpu_packed_free_all(&packed[i]);
			cpu_engine_fini(&e);
		}
		t_bufs_free(&b);
	}
}

TEST(pool2d_random_every_level)
{
	t_seed_init(74);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_pool2d c = { 0 };
		uint32_t n = t_range(1, 2), h = t_range(1, 12), w = t_range(1, 12);
		uint32_t ch = rand_channels();
		int32_t zp = t_zp();

		c.hdr = (struct qaccel_cmd_header){ (it & 1) ? QACCEL_OP_MAX_POOL_2D :
						    QACCEL_OP_AVERAGE_POOL_2D, sizeof(c) };
		c.filter_h = t_range(1, 4);
		c.filter_w = t_range(1, 4);
		rand_window(&c.win, c.filter_h, c.filter_w, 0);
		t_tensor(&b, &c.input, n, h, w, ch, zp);
		t_tensor(&b, &c.output, n,
			 t_win_out(h, c.filter_h, c.win.pad_top, c.win.stride_h, 1),
			 t_win_out(w, c.filter_w, c.win.pad_left, c.win.stride_w, 1), ch, zp);
		c.clamp = t_rand_clamp();
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
		ASSERT_TRUE(compare_all(_metadata, "pool2d", it, &c.hdr, &b, &c.output, false));
		t_bufs_free(&b);
	}
}

/* MEAN over H and W: sizes up to 64x64 pixels, any multiplier and divisor. */
TEST(mean_random_every_level)
{
	t_seed_init(77);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_mean c = { 0 };
		uint32_t n = t_range(1, 2), h = t_range(1, 64), w = t_range(1, 64);
		uint32_t ch = t_one_in(4) ? 1280 : rand_channels();

		c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_MEAN, sizeof(c) };
		t_tensor(&b, &c.input, n, h, w, ch, t_zp());
		t_tensor(&b, &c.output, n, 1, 1, ch, t_zp());
		c.qmul = t_one_in(2) ? t_qmul(-14, 1) : t_qmul_any(-31, 30);
		c.divisor = t_one_in(3) ? 0 : t_range(1, (int32_t)(h * w));
		c.rounding = t_rand() & 1;
		c.clamp = t_rand_clamp();
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
		ASSERT_TRUE(compare_all(_metadata, "mean", it, &c.hdr, &b, &c.output, false));
		t_bufs_free(&b);
	}
}

/* cpu_pack_weights() as its layout reads, one element at a time. */
static void pack_weights_plain(const struct cpu_isa *isa, const int8_t *w, uint32_t n,
			       uint32_t k, uint32_t run, uint32_t runp, uint8_t *out,
			       int32_t *wsum, size_t bytes)
{
	uint32_t nr = isa->nr, ku = isa->ku, kg = (k / run * runp + ku - 1) / ku;
	size_t pb = (size_t)nr * kg * ku * isa->b_size;

	memset(out, 0, bytes);
	for (uint32_t j = 0; j < n; j++) {
		wsum[j] = 0;
		for (uint32_t kk = 0; kk < k; kk++) {
			uint32_t kq = kk / run * runp + kk % run;
			size_t idx = ((size_t)(kq / ku) * nr + j % nr) * ku + kq % ku;
			int8_t v = w[(size_t)j * k + kk];

			if (isa->b_size == 2)
				memcpy(out + pb * (j / nr) + 2 * idx, &(int16_t){ v }, 2);
			else
				out[pb * (j / nr) + idx] = (uint8_t)v;
			wsum[j] += v;
		}
	}
}

/*
 * Packed panels and weight sums, byte for byte, for random shapes: k
 * below, at and past the group and panel sizes, channels that leave a
 * partial panel, and runs padded to runp (any runp, so a run may start
 * inside a group too). The panels start dirty: padding must be zeroed.
 */
TEST(pack_weights_every_level)
{
	t_seed_init(91);
	for (int l = 0; l < CPU_ISA_COUNT; l++) {
		const struct cpu_isa *isa = cpu_isa_get(l);

		if (!isa)
			continue;
		for (int it = 0; it < 4 * ITERS; it++) {
			uint32_t n = t_range(1, 3 * isa->nr + 2), run = t_range(1, 40);
			uint32_t runs = t_one_in(2) ? 1 : t_range(1, 5), k = run * runs;
			uint32_t runp = t_one_in(3) ? run : run + t_range(0, 7);
			uint32_t kg = (runs * runp + isa->ku - 1) / isa->ku;
			size_t bytes = (size_t)(n + isa->nr - 1) / isa->nr * isa->nr * kg * isa->ku *
				       isa->b_size;
			int8_t *w = malloc((size_t)n * k);
			uint8_t *got = malloc(bytes), *want = malloc(bytes);
			int32_t *gs = malloc(sizeof(int32_t) * n), *ws = malloc(sizeof(int32_t) * n);

			ASSERT_TRUE(w && got && want && gs && ws);
			for (size_t i = 0; i < (size_t)n * k; i++)
				w[i] = (int8_t)(t_one_in(8) ? (t_one_in(2) ? -128 : 127) : (int)t_rand());
			memset(got, 0x5a, bytes);
			cpu_pack_weights(isa, w, n, k, run, runp, got, gs);
			pack_weights_plain(isa, w, n, k, run, runp, want, ws, bytes);
			if (memcmp(got, want, bytes) || memcmp(gs, ws, sizeof(int32_t) * n))
				printf("# pack seed %llu iter %d level %s: n %u k %u run %u runp %u\n",
				       (unsigned long long)t_seed, it, isa->name, n, k, run, runp);
			fflush(stdout);
			ASSERT_EQ(0, memcmp(got, want, bytes));
			ASSERT_EQ(0, memcmp(gs, ws, sizeof(int32_t) * n));
			free(w);
			free(got);
			free(want);
			free(gs);
			free(ws);
		}
	}
}

TEST(binary_random_every_level)
{
	static const uint32_t ops[] = { QACCEL_OP_ADD, QACCEL_OP_SUB, QACCEL_OP_MUL };

	t_seed_init(75);
	for (int it = 0; it < 3 * ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_binary c = { 0 };
		uint32_t od[4] = { t_range(1, 2), t_range(1, 5), t_range(1, 5), rand_channels() };
		uint32_t d1[4], d2[4];
		bool same = t_one_in(2);

		for (int i = 0; i < 4; i++) {
			d1[i] = same || (t_rand() & 1) ? od[i] : 1;
			d2[i] = same || (t_rand() & 1) ? od[i] : 1;
		}
		c.hdr = (struct qaccel_cmd_header){ ops[it % 3], sizeof(c) };
		t_tensor(&b, &c.input1, d1[0], d1[1], d1[2], d1[3], t_zp());
		t_tensor(&b, &c.input2, d2[0], d2[1], d2[2], d2[3], t_zp());
		t_tensor(&b, &c.output, od[0], od[1], od[2], od[3], t_zp());
		c.rounding = t_rand() & 1;
		if (c.hdr.opcode == QACCEL_OP_MUL) {
			c.output_qmul = t_one_in(4) ? t_qmul_any(-31, 30) : t_qmul(-14, -6);
		} else {
			c.left_shift = t_one_in(2) ? 20 : t_range(0, 20);
			c.input1_qmul = t_qmul(-3, 0);
			c.input2_qmul = t_qmul(-3, 0);
			c.output_qmul = t_qmul(-(int)c.left_shift - 4, -(int)c.left_shift + 2);
			if (c.output_qmul.shift < -31)
				c.output_qmul.shift = -31;
		}
		c.clamp = t_rand_clamp();
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
		ASSERT_TRUE(compare_all(_metadata, "binary", it, &c.hdr, &b, &c.output, false));
		t_bufs_free(&b);
	}
}

/*
 * The edges of avx512vnni's branch-free ADD, SUB and MUL (cpu_isa_avx512vnni.c,
 * bin_fast_fill): each case just inside or just outside one condition,
 * which path it takes checked where that level runs, and every level
 * compared with the reference on inputs at the int8 edges and near the
 * zero points.
 */
struct bin_edge {
	uint32_t op, ls, rounding;
	struct qaccel_qmul q1, q2, qo;
	int32_t z1, z2, zo;
	bool fast;
};

static const struct bin_edge bin_edges[] = {
	/* MobileNet-like: input 1 exactly x 2^19 (linear), input 2 rounded. */
	{ QACCEL_OP_ADD, 20, 0, { 1 << 30, 0 }, { 1500000000, -1 }, { 1800000000, -18 },
	  -3, 17, 5, true },
	{ QACCEL_OP_ADD, 20, 0, { 1 << 30, 0 }, { 1 << 30, 0 }, { 1800000000, -19 },
	  -128, 127, -128, true },
	{ QACCEL_OP_SUB, 20, 0, { 1500000000, -2 }, { 1 << 30, 0 }, { 1800000000, -18 },
	  127, -128, 127, true },
	{ QACCEL_OP_ADD, 20, 0, { 3 << 28, 0 }, { 1234567891, -3 }, { 2000000000, -17 },
	  10, -10, 0, true },
	/* Output shift -1 (s = 32) is the last negative one; 0 is not. */
	{ QACCEL_OP_ADD, 0, 0, { 1500000000, -1 }, { 1600000000, -1 }, { INT32_MAX, -1 },
	  -128, -128, 0, true },
	{ QACCEL_OP_ADD, 0, 0, { 1500000000, -1 }, { 1600000000, -1 }, { 1 << 30, 0 },
	  -128, -128, 0, false },
	/* Output s = 54 and 55. */
	{ QACCEL_OP_ADD, 20, 0, { 1 << 30, 0 }, { 1500000000, -1 }, { INT32_MAX, -23 },
	  0, 0, -128, true },
	{ QACCEL_OP_ADD, 20, 0, { 1 << 30, 0 }, { 1500000000, -1 }, { INT32_MAX, -24 },
	  0, 0, -128, false },
	/* (x - z) << 23 fits for |x - z| <= 255, not for 256; << 24 never. */
	{ QACCEL_OP_ADD, 20, 0, { INT32_MAX, 3 }, { 1, -31 }, { INT32_MAX, -1 },
	  127, 0, 3, true },
	{ QACCEL_OP_ADD, 20, 0, { INT32_MAX, 3 }, { 1, -31 }, { INT32_MAX, -1 },
	  -128, 0, 3, false },
	{ QACCEL_OP_ADD, 20, 0, { 1 << 30, 4 }, { 1, -31 }, { INT32_MAX, -1 },
	  0, 0, 3, false },
	/* The two scaled inputs' sum near 2^31, and past it. */
	{ QACCEL_OP_SUB, 20, 0, { INT32_MAX, 2 }, { INT32_MAX, 2 }, { INT32_MAX, -2 },
	  127, -127, 0, true },
	{ QACCEL_OP_SUB, 20, 0, { INT32_MAX, 3 }, { INT32_MAX, 2 }, { INT32_MAX, -2 },
	  127, -127, 0, false },
	/* An input with s = 54 and 55 (no left shift). */
	{ QACCEL_OP_ADD, 0, 0, { INT32_MAX, -23 }, { 1 << 30, 0 }, { 1 << 30, -1 },
	  1, 2, 3, true },
	{ QACCEL_OP_ADD, 0, 0, { INT32_MAX, -24 }, { 1 << 30, 0 }, { 1 << 30, -1 },
	  1, 2, 3, false },
	/* Multipliers 0 and 1; single rounding never. */
	{ QACCEL_OP_ADD, 20, 0, { 0, 0 }, { 1, -5 }, { 1, -1 }, 7, -7, 0, true },
	{ QACCEL_OP_ADD, 20, 1, { 1 << 30, 0 }, { 1500000000, -1 }, { 1800000000, -18 },
	  -3, 17, 5, false },
	/* MUL: the widest products, output shift -1 and 0. */
	{ QACCEL_OP_MUL, 0, 0, { 0, 0 }, { 0, 0 }, { INT32_MAX, -1 }, -128, -128, 0, true },
	{ QACCEL_OP_MUL, 0, 0, { 0, 0 }, { 0, 0 }, { 1 << 30, -31 }, 127, -128, -128, false },
	{ QACCEL_OP_MUL, 0, 0, { 0, 0 }, { 0, 0 }, { 1500000000, -8 }, 127, -128, -128, true },
	{ QACCEL_OP_MUL, 0, 0, { 0, 0 }, { 0, 0 }, { 1500000000, 0 }, 3, 5, 1, false },
	{ QACCEL_OP_MUL, 0, 1, { 0, 0 }, { 0, 0 }, { 1500000000, -8 }, 3, 5, 1, false },
};

/* Mostly -128, 127, and values next to the zero point. */
static void fill_edges(struct t_bufs *b, const struct qaccel_tensor *t)
{
	int8_t *p = t_data(b, t);

	for (size_t i = 0; i < t_elems(t->dims); i++) {
		int32_t v = t->zero_point + t_range(-2, 2);

		switch (t_rand() % 4) {
		case 0:
			v = -128;
			break;
		case 1:
			v = 127;
			break;
		case 2:
			v = (int32_t)(t_rand() & 0xff) - 128;
			break;
		}
		p[i] = (int8_t)(v < -128 ? -128 : (v > 127 ? 127 : v));
	}
}

TEST(binary_fast_edges_every_level)
{
	const struct cpu_isa *vnni = cpu_isa_get(CPU_ISA_AVX512VNNI);
	int fast = 0;

	t_seed_init(77);
	for (size_t e = 0; e < sizeof(bin_edges) / sizeof(bin_edges[0]); e++) {
		const struct bin_edge *x = &bin_edges[e];

		for (int it = 0; it < 6; it++) {
			struct t_bufs b = { 0 };
			struct qaccel_cmd_binary c = { 0 };
			uint32_t od[4] = { 1, t_range(1, 4), t_range(1, 5), rand_channels() };
			uint32_t d2[4] = { od[0], od[1], od[2], od[3] };

			if (it & 1)	/* broadcast: a row, or one value per row */
				d2[it & 2 ? 3 : 2] = 1;
			c.hdr = (struct qaccel_cmd_header){ x->op, sizeof(c) };
			t_tensor(&b, &c.input1, od[0], od[1], od[2], od[3], x->z1);
			t_tensor(&b, &c.input2, d2[0], d2[1], d2[2], d2[3], x->z2);
			t_tensor(&b, &c.output, od[0], od[1], od[2], od[3], x->zo);
			fill_edges(&b, &c.input1);
			fill_edges(&b, &c.input2);
			c.rounding = x->rounding;
			c.left_shift = x->ls;
			c.input1_qmul = x->q1;
			c.input2_qmul = x->q2;
			c.output_qmul = x->qo;
			c.clamp = it < 3 ? (struct qaccel_clamp){ -128, 127 } : t_rand_clamp();
			ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
#if defined(__x86_64__)
			if (vnni) {
				if (cpu_vnni_binary_fast(&c) != x->fast)
					printf("# binary edge %zu: fast %d, want %d\n", e,
					       cpu_vnni_binary_fast(&c), x->fast);
				fflush(stdout);
				ASSERT_EQ(x->fast, cpu_vnni_binary_fast(&c));
				fast += x->fast;
			}
#endif
			ASSERT_TRUE(compare_all(_metadata, "binary edge", (int)e, &c.hdr, &b,
						&c.output, false));
			t_bufs_free(&b);
		}
	}
	if (vnni)
		printf("# %d of the edge commands ran branch-free on avx512vnni\n", fast);
	fflush(stdout);
}

TEST(lut_random_every_level)
{
	t_seed_init(76);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_lut c = { 0 };
		uint32_t d[4] = { t_range(1, 2), t_range(1, 30), t_range(1, 30), rand_channels() };

		c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_LUT, sizeof(c) };
		t_tensor(&b, &c.input, d[0], d[1], d[2], d[3], 0);
		if (it & 1)
			c.output = c.input;	/* in place */
		else
			t_tensor(&b, &c.output, d[0], d[1], d[2], d[3], 0);
		c.table.buf = t_buf_new(&b, 256);
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
		ASSERT_TRUE(compare_all(_metadata, "lut", it, &c.hdr, &b, &c.output, false));
		t_bufs_free(&b);
	}
}

/*
 * The vector requantization alone (cpu_fill_rq's arrays, then each level's
 * requant_row) over every kind of int32 accumulator and bias, any valid
 * multiplier and every shift (half the time all negative), both roundings,
 * a row that is not a whole number of vectors, against the reference's
 * scalar arithmetic.
 */
TEST(requant_row_extremes_every_level)
{
	enum { N = 43 };
	struct qaccel_qmul q[N];
	s32 acc[N], bias[N];
	s8 got[N], want[N];
	struct cpu_engine e;

	t_seed_init(77);
	ASSERT_EQ(0, cpu_engine_init(&e, cpu_isa_get(CPU_ISA_GENERIC), 1));
	for (int it = 0; it < 3000; it++) {
		struct qaccel_requant req = { .count = t_one_in(4) ? 1 : N,
					      .rounding = t_rand() & 1 };
		struct qaccel_clamp cl = t_rand_clamp();
		s32 zo = t_zp();
		/* Every shift negative half the time (levels with a form for it). */
		bool neg = t_one_in(2);
		struct cpu_rq rq;

		for (int i = 0; i < N; i++) {
			acc[i] = t_one_in(8) ? (t_rand() & 1 ? S32_MIN : S32_MAX) : t_any32();
			bias[i] = t_one_in(2) ? 0 : t_any32();
			q[i].multiplier = t_one_in(8) ? (t_rand() & 1 ? 0 : S32_MAX) :
					  (s32)(t_rand() & 0x7fffffff);
			q[i].shift = neg ? t_range(-31, -1) : t_range(-31, 30);
		}
		ASSERT_EQ(0, cpu_fill_rq(&e, N, bias, q, &req, NULL, 0, zo, &cl, 0, &rq));
		for (int i = 0; i < N; i++) {
			const struct qaccel_qmul *qi = &q[req.count == 1 ? 0 : i];
			s32 v = qaccel_mul_by_qmul((s32)((u32)acc[i] + (u32)bias[i]),
						   qi->multiplier, qi->shift, req.rounding);
			s64 r = (s64)v + zo;

			want[i] = (s8)(r < cl.min ? cl.min : r > cl.max ? cl.max : r);
		}
		for (int l = 0; l < CPU_ISA_COUNT; l++) {
			const struct cpu_isa *isa = cpu_isa_get(l);

			if (!isa)
				continue;
			isa->requant_row(acc, N, &rq, got);
			ASSERT_TRUE(check_level(_metadata, "requant_row", isa, 1, it, got,
						want, N));
		}
	}
	cpu_engine_fini(&e);
}

/*
 * Each level's tile epilogue (tile_out) on accumulators within the bound
 * cpu_fill_rq() is told, offsets up to the largest that bound allows,
 * every shift, both roundings: the short form (struct cpu_rq's f) where
 * its conditions hold, the long one elsewhere, every tile shape (rows the
 * level's nr apart) and a channel base from 0 to 32, mostly a multiple of
 * 8, against the reference's scalar arithmetic.
 */
TEST(tile_out_bounded_every_level)
{
	enum { N = 64, ROWS = 64, LD = 40 };
	static s32 tile[ROWS * 32], ltile[ROWS * 32];
	static s8 got[ROWS * LD], want[ROWS * LD];
	struct qaccel_qmul q[N];
	s32 bias[N];
	struct cpu_engine e;
	int fast = 0;

	t_seed_init(78);
	ASSERT_EQ(0, cpu_engine_init(&e, cpu_isa_get(CPU_ISA_GENERIC), 1));
	for (int it = 0; it < 4000; it++) {
		struct qaccel_requant req = { .count = t_one_in(4) ? 1 : N,
					      .rounding = t_one_in(4) };
		struct qaccel_clamp cl = t_rand_clamp();
		u32 rows = (u32)t_range(1, ROWS), cols = (u32)t_range(1, 32);
		/* Mostly whole half groups of f (8 channels), sometimes any. */
		u32 base = t_one_in(8) ? (u32)t_range(0, 32) : 8 * (u32)t_range(0, 4);
		u64 bound = (u64)t_range(1, 4000) * 255 * 128;
		s32 lim = (s32)(S32_MAX - bound), zo = t_zp();
		bool any_shift = t_one_in(8);
		struct cpu_rq rq;

		for (int i = 0; i < N; i++) {
			bias[i] = t_one_in(16) ? (t_rand() & 1 ? lim : -lim) :
				  t_one_in(2) ? t_range(-1000, 1000) : t_range(-lim / 4, lim / 4);
			q[i].multiplier = t_one_in(8) ? (t_rand() & 1 ? 1 << 30 : S32_MAX) :
					  (s32)(t_rand() & 0x7fffffff);
			q[i].shift = any_shift ? t_range(-31, 30) : t_range(-22, -1);
		}
		for (u32 i = 0; i < rows * 32; i++) {
			u32 ch = (base + i % 32) % N;
			s32 rs = -q[req.count == 1 ? 0 : ch].shift;
			/* acc + bias near the int8 range, where ties and signs matter. */
			s64 near = rs > 0 && rs < 20 ? t_range(-600, 600) * (1LL << rs) : 0;
			s64 a = (t_one_in(16) ? t_range(-2, 1) : near) - bias[ch];

			if (rs > 0 && a >= -(s64)bound && a <= (s64)bound && !t_one_in(4))
				tile[i] = (s32)(a + t_range(-2, 2) * (t_one_in(2) ? 1 : 1LL << rs) / 2);
			else
				tile[i] = t_one_in(8) ? (t_rand() & 1 ? (s32)bound : -(s32)bound) :
					  t_range(-(s32)bound, (s32)bound);
			if (tile[i] > (s32)bound || tile[i] < -(s32)bound)
				tile[i] = (s32)bound;
		}
		ASSERT_EQ(0, cpu_fill_rq(&e, N, bias, q, &req, NULL, 0, zo, &cl, bound, &rq));
		fast += rq.fast;
		rq = cpu_rq_at(&rq, base);
		for (u32 r = 0; r < rows; r++)
			for (u32 c = 0; c < cols; c++) {
				u32 ch = base + c;
				const struct qaccel_qmul *qi = &q[req.count == 1 ? 0 : ch];
				s32 v = qaccel_mul_by_qmul((s32)((u32)tile[r * 32 + c] +
								 (u32)bias[ch]),
							   qi->multiplier, qi->shift,
							   req.rounding);
				s64 o = (s64)v + zo;

				want[r * LD + c] = (s8)(o < cl.min ? cl.min : o > cl.max ? cl.max : o);
			}
		for (int l = 0; l < CPU_ISA_COUNT; l++) {
			const struct cpu_isa *isa = cpu_isa_get(l);

			u32 nr, lc;

			if (!isa || !isa->tile_out)
				continue;
			/* The level's tile: rows nr apart, at most nr columns. */
			nr = isa->nr;
			lc = cols < nr ? cols : nr;
			ASSERT_TRUE(nr <= 32);
			for (u32 r = 0; r < rows; r++)
				memcpy(ltile + r * nr, tile + r * 32, sizeof(s32) * nr);
			memset(got, 0x55, sizeof(got));
			isa->tile_out(ltile, rows, lc, &rq, got, LD);
			for (u32 r = 0; r < rows; r++) {
				ASSERT_TRUE(check_level(_metadata, "tile_out", isa, 1, it,
							got + r * LD, want + r * LD, lc));
				/* Nothing past the tile's columns is written. */
				for (u32 c = lc; c < LD; c++)
					ASSERT_EQ(0x55, (u8)got[r * LD + c]);
			}
		}
	}
	/* The short form's conditions held often enough to test it. */
	printf("# short form in %d of 4000\n", fast);
	ASSERT_GT(fast, 2000);
	cpu_engine_fini(&e);
}

#define MNV2 "tests/golden/models/mobilenet_v2.tflite"

struct model_run {
	struct qaccel_model *m;
	int8_t *in, *out;
	size_t in_bytes, out_bytes;
	int runs, failed;
};

static void *run_model(void *v)
{
	struct model_run *r = v;

	for (int i = 0; i < r->runs && !r->failed; i++)
		r->failed = qaccel_model_set_input(r->m, 0, r->in, r->in_bytes) ||
			    qaccel_model_run(r->m) ||
			    qaccel_model_get_output(r->m, 0, r->out, r->out_bytes);
	return NULL;
}

/*
 * qaccel.h lets models of one context run in different threads at once:
 * two models on one cpu context (a pool of 2), run concurrently from two
 * threads, must each give the reference backend's bytes.
 */
TEST(two_models_one_context_two_threads)
{
	struct qaccel_ctx_options o = { .struct_size = sizeof(o),
					.backend = QACCEL_BACKEND_CPU, .threads = 2 };
	struct qaccel_ctx_options ro = { .struct_size = sizeof(ro),
					 .backend = QACCEL_BACKEND_REF };
	struct qaccel_ctx *ctx, *rctx;
	struct qaccel_model *rm;
	struct qaccel_tensor_info ii, oi;
	struct model_run r[2];
	pthread_t tid[2];
	int8_t *want;

	ASSERT_EQ(0, qaccel_ctx_create(&o, &ctx));
	ASSERT_EQ(0, qaccel_ctx_create(&ro, &rctx));
	ASSERT_EQ(0, qaccel_model_load_file(rctx, MNV2, &rm));
	ASSERT_EQ(0, qaccel_model_input_info(rm, 0, &ii));
	ASSERT_EQ(0, qaccel_model_output_info(rm, 0, &oi));
	want = malloc(2 * oi.bytes);
	t_seed_init(78);
	for (int k = 0; k < 2; k++) {
		r[k] = (struct model_run){ .in_bytes = ii.bytes, .out_bytes = oi.bytes,
					   .runs = 20 };
		r[k].in = malloc(ii.bytes);
		r[k].out = malloc(oi.bytes);
		for (size_t i = 0; i < ii.bytes; i++)
			r[k].in[i] = (int8_t)t_rand();
		ASSERT_EQ(0, qaccel_model_set_input(rm, 0, r[k].in, ii.bytes));
		ASSERT_EQ(0, qaccel_model_run(rm));
		ASSERT_EQ(0, qaccel_model_get_output(rm, 0, want + k * oi.bytes, oi.bytes));
		ASSERT_EQ(0, qaccel_model_load_file(ctx, MNV2, &r[k].m));
	}
	for (int k = 0; k < 2; k++)
		ASSERT_EQ(0, pthread_create(&tid[k], NULL, run_model, &r[k]));
	for (int k = 0; k < 2; k++)
		pthread_join(tid[k], NULL);
	for (int k = 0; k < 2; k++) {
		EXPECT_EQ(0, r[k].failed);
		EXPECT_EQ(0, memcmp(r[k].out, want + k * oi.bytes, oi.bytes));
		qaccel_model_free(r[k].m);
		free(r[k].in);
		free(r[k].out);
	}
	free(want);
	qaccel_model_free(rm);
	qaccel_ctx_destroy(rctx);
	qaccel_ctx_destroy(ctx);
}

/* Which levels ran: a level this CPU lacks is named, not silently passed. */
/*
 * The backend skips validating a sealed stream it has accepted with the
 * same buffer sizes; any other table is validated again: a table whose
 * output buffer became too small is refused, and nothing is written.
 */
TEST(sealed_stream_validated_again_for_other_sizes)
{
	const struct qaccel_backend_ops *ops = &qaccel_backend_cpu;
	struct qaccel_ctx_options o = { .struct_size = sizeof(o), .threads = 1 };
	struct qaccel_cmd_lut c = { 0 };
	struct qaccel_stream_header h = { 0 };
	struct qaccel_bo *stream, *in, *out, *small, *table;
	void *st;

	c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_LUT, sizeof(c) };
	c.input = (struct qaccel_tensor){ .ref = { 0, 0 }, .dims = { 1, 4, 4, 8 } };
	c.output = (struct qaccel_tensor){ .ref = { 1, 0 }, .dims = { 1, 4, 4, 8 } };
	c.table = (struct qaccel_ref){ 2, 0 };
	h.magic = QACCEL_STREAM_MAGIC;
	h.version = QACCEL_ISA_VERSION;
	h.size = sizeof(h) + sizeof(c);
	h.num_cmds = 1;
	ASSERT_EQ(0, ops->open(&o, &st));
	ASSERT_EQ(0, ops->bo_create(st, h.size, &stream));
	ASSERT_EQ(0, ops->bo_create(st, 128, &in));
	ASSERT_EQ(0, ops->bo_create(st, 128, &out));
	ASSERT_EQ(0, ops->bo_create(st, 64, &small));
	ASSERT_EQ(0, ops->bo_create(st, 256, &table));
	memcpy(stream->map, &h, sizeof(h));
	memcpy((char *)stream->map + sizeof(h), &c, sizeof(c));
	for (int i = 0; i < 256; i++)
		((int8_t *)table->map)[i] = (int8_t)(i ^ 0x5a);
	memset(in->map, 3, 128);
	memset(small->map, 7, 64);
	ops->bo_seal(st, stream);
	{
		struct qaccel_bo *good[3] = { in, out, table }, *bad[3] = { in, small, table };

		for (int run = 0; run < 2; run++) {
			memset(out->map, 0, 128);
			ASSERT_EQ(0, ops->submit(st, stream, h.size, good, 3));
			ASSERT_EQ((int8_t)((3 + 128) ^ 0x5a), ((int8_t *)out->map)[127]);
			ASSERT_NE(0, ops->submit(st, stream, h.size, bad, 3));
			for (int i = 0; i < 64; i++)
				ASSERT_EQ(7, ((int8_t *)small->map)[i]);
			/* And a table one buffer short. */
			ASSERT_NE(0, ops->submit(st, stream, h.size, good, 2));
		}
	}
	ops->bo_destroy(st, stream);
	ops->bo_destroy(st, in);
	ops->bo_destroy(st, out);
	ops->bo_destroy(st, small);
	ops->bo_destroy(st, table);
	ops->close(st);
}

/* A SOFTMAX command on new tensors: beta, diff_min and rounding at random. */
static void rand_softmax(struct t_bufs *b, struct qaccel_cmd_softmax *c, bool in_place)
{
	uint32_t d[4] = { t_range(1, 2), t_range(1, 3), t_range(1, 3),
			  t_one_in(4) ? 300 : t_range(1, 40) };

	*c = (struct qaccel_cmd_softmax){ .hdr = { QACCEL_OP_SOFTMAX, sizeof(*c) } };
	t_tensor(b, &c->input, d[0], d[1], d[2], d[3], t_zp());
	if (in_place)
		c->output = c->input;
	else
		t_tensor(b, &c->output, d[0], d[1], d[2], d[3], 0);
	c->output.zero_point = -128;
	c->input_beta_multiplier = t_one_in(5) ? t_range(0, 1 << 20) :
				   (int32_t)((1u << 30) | (t_rand() & 0x3fffffff));
	c->input_beta_left_shift = t_range(0, 30);
	/* Small cut-offs (some differences dropped) and the usual large ones. */
	c->diff_min = t_one_in(2) ? -t_range(0, 300) : -t_range(1 << 20, 1 << 30);
	c->rounding = t_one_in(2) ? QACCEL_ROUND_SINGLE : QACCEL_ROUND_DOUBLE;
}

/* SOFTMAX's looked-up exponentials against the reference's computed ones. */
TEST(softmax_every_level)
{
	t_seed_init(80);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_softmax c;

		rand_softmax(&b, &c, it & 1);
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
		ASSERT_TRUE(compare_all(_metadata, "softmax", it, &c.hdr, &b, &c.output, true));
		t_bufs_free(&b);
	}
}

/*
 * One engine through more beta settings than it keeps tables for, each
 * seen again later: found, made, evicted and made again, every answer
 * the reference's.
 */
TEST(softmax_tables_evicted)
{
	const struct cpu_isa *isa = cpu_isa_best();
	struct cpu_engine e;

	t_seed_init(81);
	ASSERT_EQ(0, cpu_engine_init(&e, isa, 1));
	for (int it = 0; it < 6 * ITERS; it++) {
		struct t_bufs b = { 0 }, want;
		struct qaccel_cmd_softmax c;
		size_t n;

		rand_softmax(&b, &c, false);
		/* Thirteen settings over and over. */
		c.input_beta_multiplier = (int32_t)(0x50000000u + (uint32_t)(it % 13) * 77777u);
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
		t_bufs_clone(&want, &b);
		qaccel_exec_cmd(&c.hdr, want.v);
		ASSERT_EQ(0, cpu_exec_cmd(&e, &c.hdr, b.v, NULL));
		n = t_elems(c.output.dims);
		ASSERT_TRUE(check_level(_metadata, "softmax tables", isa, 1, it,
					t_data(&b, &c.output), t_data(&want, &c.output), n));
		t_bufs_free(&want);
		t_bufs_free(&b);
	}
	cpu_engine_fini(&e);
}

/* A binary32 bit pattern: exp()-like values, or (one in three) any bits. */
static uint32_t rand_f32_bits(int any)
{
	static const uint32_t edge[] = { 0, 0x80000000u, 0x00000001u, 0x007fffffu,
					 0x7f800000u, 0xff800000u, 0x7fc00000u, 0x7f800001u,
					 0x7f7fffffu, 0x3f800000u };
	float f;
	uint32_t u;

	if (any) {
		u = t_one_in(3) ? edge[t_rand() % 10] : (uint32_t)t_rand() ^ ((uint32_t)t_rand() << 16);
		return u;
	}
	f = (float)(t_rand() % 100000 + 1) / 100000.0f;
	memcpy(&u, &f, 4);
	return u;
}

/*
 * SOFTMAX_F32 on the FPU against the reference's emulation: exp tables and
 * scales of real models, and any bit patterns (NaN, infinities,
 * subnormals); in place too. With the FPU flushing subnormals the cpu
 * backend must fall back to the reference and still agree.
 */
TEST(softmax_f32_every_level)
{
	t_seed_init(78);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_softmax_f32 c = { 0 };
		uint32_t d[4] = { t_range(1, 2), t_range(1, 3), t_range(1, 3),
				  t_one_in(3) ? 1000 : t_range(1, 40) };
		int any = t_one_in(3);
		uint32_t *table;

		c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_SOFTMAX_F32, sizeof(c) };
		t_tensor(&b, &c.input, d[0], d[1], d[2], d[3], 0);
		if (it & 1)
			c.output = c.input;	/* in place */
		else
			t_tensor(&b, &c.output, d[0], d[1], d[2], d[3], t_zp());
		c.output.zero_point = t_zp();
		c.exp_table = t_words(&b, 256, 0);
		table = t_ptr(&b, &c.exp_table);
		for (int i = 0; i < 256; i++)
			table[i] = rand_f32_bits(any);
		c.output_scale = any && t_one_in(2) ? rand_f32_bits(1) : 0x3b800000u;
		ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
		ASSERT_TRUE(compare_all(_metadata, "softmax_f32", it, &c.hdr, &b, &c.output,
					false));
		t_bufs_free(&b);
	}
}

/*
 * With the FPU treating subnormals as zero, a table of subnormal weights
 * would give 0 * inf = NaN (output 0) where the reference sums them and
 * saturates (127): the cpu backend must notice and run the reference.
 */
TEST(softmax_f32_subnormals_as_zero_fall_back)
{
#if defined(__x86_64__)
	struct t_bufs b = { 0 }, want;
	struct qaccel_cmd_softmax_f32 c = { 0 };
	unsigned int csr = _mm_getcsr();
	uint32_t *table;
	int ok;

	t_seed_init(79);
	c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_SOFTMAX_F32, sizeof(c) };
	t_tensor(&b, &c.input, 1, 1, 1, 10, 0);
	t_tensor(&b, &c.output, 1, 1, 1, 10, 0);
	c.exp_table = t_words(&b, 256, 0);
	table = t_ptr(&b, &c.exp_table);
	for (int i = 0; i < 256; i++)
		table[i] = 1;		/* the smallest subnormal */
	c.output_scale = 0x3f800000u;	/* 1.0 */
	ASSERT_EQ(0, t_validate_one(&c, sizeof(c), &b, NULL));
	_mm_setcsr(csr | 0x8040u);	/* flush-to-zero, denormals-are-zero */
	ok = compare_all(_metadata, "softmax_f32 daz", 0, &c.hdr, &b, &c.output, false);
	_mm_setcsr(csr);
	ASSERT_TRUE(ok);
	/* The case is the one described: the reference saturates. */
	t_bufs_clone(&want, &b);
	qaccel_exec_cmd(&c.hdr, want.v);
	ASSERT_EQ(127, t_data(&want, &c.output)[0]);
	t_bufs_free(&want);
	t_bufs_free(&b);
#else
	SKIP(return, "the FPU control register checked is x86-64's MXCSR");
#endif
}

TEST(levels_present)
{
	int n = 0;

	for (int l = 0; l < CPU_ISA_COUNT; l++) {
		const char *name = cpu_isa_level_name(l);

		if (cpu_isa_get(l))
			n++;
		printf("# level %s: %s\n", name, cpu_isa_get(l) ? "tested" :
		       "not run by this CPU or not built for this architecture");
	}
	fflush(stdout);
	ASSERT_TRUE(cpu_isa_get(CPU_ISA_GENERIC) != NULL);
	ASSERT_GE(n, 1);
#if defined(__x86_64__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2"))
		ASSERT_TRUE(cpu_isa_get(CPU_ISA_AVX2) != NULL);
#elif defined(__aarch64__)
	ASSERT_TRUE(cpu_isa_get(CPU_ISA_NEON) != NULL);
#endif
}

TEST_HARNESS_MAIN
