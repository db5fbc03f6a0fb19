// SPDX-License-Identifier: MIT
/*
 * One validated command -> one or a few kernel launches. Each launch waits
 * on the previous launch's event, so a whole stream is queued without the
 * host waiting in between. Operands are (buffer, offset) pairs: kernels
 * take the whole cl_mem and the byte offset (int32 arrays: element offset),
 * which needs no sub-buffer alignment.
 */
#include <errno.h>
#include <string.h>

#include "cl_internal.h"

/* im2col patches are made in blocks of rows so the scratch stays this small. */
#define QCL_SCRATCH_MAX (16u << 20)

struct qcl_args {
	cl_kernel k;
	cl_uint n;
	cl_int err;
};

static void arg(struct qcl_args *a, size_t size, const void *v)
{
	if (!a->err)
		a->err = clSetKernelArg(a->k, a->n, size, v);
	a->n++;
}

#define ARG(a, v) arg((a), sizeof(v), &(v))

static cl_mem bo_mem(struct qaccel_bo *const *table, uint32_t buf)
{
	return ((struct qcl_bo *)table[buf])->mem;
}

/* A tensor operand: its buffer and byte offset. */
static void arg_tensor(struct qcl_args *a, struct qaccel_bo *const *table,
		       const struct qaccel_ref *r)
{
	cl_mem m = bo_mem(table, r->buf);
	cl_ulong off = r->offset;

	ARG(a, m);
	ARG(a, off);
}

/* An int32 array operand (bias, multipliers), possibly absent. */
static void arg_ints(struct qcl_args *a, struct qcl_state *st,
		     struct qaccel_bo *const *table, const struct qaccel_ref *r)
{
	cl_mem m = r->buf == QACCEL_NO_BUFFER ? st->dummy : bo_mem(table, r->buf);
	cl_ulong off = r->offset / 4;

	ARG(a, m);
	ARG(a, off);
}

static cl_uint4 u4(const uint32_t *v)
{
	cl_uint4 r;

	memcpy(r.s, v, sizeof(r.s));
	return r;
}

static cl_int2 qmul2(const struct qaccel_qmul *q)
{
	cl_int2 r = { .s = { q->multiplier, q->shift } };

	return r;
}

static struct qcl_args args(struct qcl_state *st, enum qcl_kernel k)
{
	struct qcl_args a = { st->k[k], 0, CL_SUCCESS };

	return a;
}

static size_t round_up(size_t x, size_t m)
{
	return (x + m - 1) / m * m;
}

/* Enqueues after *ev (if any); *ev becomes this launch's event. */
static int launch(struct qcl_state *st, struct qcl_args *a, cl_uint dims,
		  const size_t *global, const size_t *local, cl_event *ev)
{
	cl_event done = NULL;
	cl_int err = a->err;

	if (!err)
		err = clEnqueueNDRangeKernel(st->queue, a->k, dims, NULL, global, local,
					     *ev ? 1 : 0, *ev ? ev : NULL, &done);
	if (err)
		return err == CL_OUT_OF_HOST_MEMORY || err == CL_OUT_OF_RESOURCES ||
		       err == CL_MEM_OBJECT_ALLOCATION_FAILURE ? -ENOMEM : -EIO;
	if (*ev)
		clReleaseEvent(*ev);
	*ev = done;
	return 0;
}

static int launch_1d(struct qcl_state *st, struct qcl_args *a, uint64_t count,
		     cl_event *ev)
{
	size_t local = st->dev.tune.lws, global = round_up(count, local);

	return launch(st, a, 1, &global, &local, ev);
}

/* A GEMM operand description; see gemm.cl. */
struct qcl_gemm {
	cl_mem a, b, c;
	cl_ulong a_off, b_off, c_off;
	cl_uint rows, cols, depth;
	cl_int za, zb;
};

/* The shared epilogue of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED. */
struct qcl_epilogue {
	const struct qaccel_ref *bias;
	const struct qaccel_requant *rq;
	cl_int zo;
	const struct qaccel_clamp *clamp;
};

static void arg_epilogue(struct qcl_args *a, struct qcl_state *st,
			 struct qaccel_bo *const *table, const struct qcl_epilogue *e)
{
	cl_int has_bias = e->bias->buf != QACCEL_NO_BUFFER;
	cl_uint count = e->rq->count, rounding = e->rq->rounding;

	arg_ints(a, st, table, e->bias);
	ARG(a, has_bias);
	arg_ints(a, st, table, &e->rq->params);
	ARG(a, count);
	ARG(a, rounding);
}

static int gemm(struct qcl_state *st, const struct qcl_gemm *g,
		struct qaccel_bo *const *table, const struct qcl_epilogue *e,
		cl_event *ev)
{
	const struct qcl_tuning *t = &st->dev.tune;
	struct qcl_args a = args(st, QCL_K_GEMM);
	cl_int lo = e->clamp->min, hi = e->clamp->max;
	size_t local[2] = { t->gemm_wg_x, t->gemm_wg_y };
	size_t global[2] = {
		round_up((g->cols + t->gemm_tn - 1) / t->gemm_tn, t->gemm_wg_x),
		round_up((g->rows + t->gemm_tm - 1) / t->gemm_tm, t->gemm_wg_y),
	};

	ARG(&a, g->a);
	ARG(&a, g->a_off);
	ARG(&a, g->b);
	ARG(&a, g->b_off);
	ARG(&a, g->c);
	ARG(&a, g->c_off);
	ARG(&a, g->rows);
	ARG(&a, g->cols);
	ARG(&a, g->depth);
	ARG(&a, g->za);
	ARG(&a, g->zb);
	arg_epilogue(&a, st, table, e);
	ARG(&a, e->zo);
	ARG(&a, lo);
	ARG(&a, hi);
	return launch(st, &a, 2, global, local, ev);
}

static int ensure_scratch(struct qcl_state *st, size_t size)
{
	cl_int err;

	if (st->scratch_size >= size)
		return 0;
	/* Commands already queued keep the old buffer alive until they finish. */
	if (st->scratch)
		clReleaseMemObject(st->scratch);
	st->scratch_size = 0;
	st->scratch = clCreateBuffer(st->ctx, CL_MEM_READ_WRITE, size, NULL, &err);
	if (!st->scratch)
		return -ENOMEM;
	st->scratch_size = size;
	return 0;
}

static cl_uint8 conv_window(const struct qaccel_window *w, uint32_t kh, uint32_t kw)
{
	cl_uint8 r = { .s = { w->stride_h, w->stride_w, w->dilation_h, w->dilation_w,
			      w->pad_top, w->pad_left, kh, kw } };

	return r;
}

static int do_conv2d(struct qcl_state *st, const struct qaccel_cmd_conv2d *c,
		     struct qaccel_bo *const *table, cl_event *ev)
{
	const uint32_t *id = c->input.dims, *fd = c->filter.dims, *od = c->output.dims;
	const struct qaccel_window *w = &c->win;
	struct qcl_epilogue e = { &c->bias, &c->requant, c->output.zero_point, &c->clamp };
	struct qcl_gemm g = {
		.b = bo_mem(table, c->filter.ref.buf), .b_off = c->filter.ref.offset,
		.c = bo_mem(table, c->output.ref.buf), .cols = od[3],
		.depth = fd[1] * fd[2] * fd[3], .za = c->input.zero_point, .zb = 0,
	};
	uint64_t rows = (uint64_t)od[0] * od[1] * od[2], block, r0;
	size_t align = (size_t)st->dev.tune.gemm_tm * st->dev.tune.gemm_wg_y;
	cl_uint4 cid = u4(id), cod = u4(od);
	cl_uint8 win = conv_window(w, fd[1], fd[2]);
	cl_int zi = c->input.zero_point;
	int ret;

	/* A 1x1, stride-1 convolution without padding is a GEMM as it stands. */
	if (fd[1] == 1 && fd[2] == 1 && w->stride_h == 1 && w->stride_w == 1 &&
	    !w->pad_top && !w->pad_left && od[1] == id[1] && od[2] == id[2]) {
		g.a = bo_mem(table, c->input.ref.buf);
		g.a_off = c->input.ref.offset;
		g.rows = (cl_uint)rows;
		g.c_off = c->output.ref.offset;
		return gemm(st, &g, table, &e, ev);
	}
	block = QCL_SCRATCH_MAX / g.depth;
	if (block > align)
		block -= block % align;
	if (!block)
		block = 1;
	if (block > rows)
		block = rows;
	ret = ensure_scratch(st, block * g.depth);
	if (ret)
		return ret;
	for (r0 = 0; r0 < rows; r0 += block) {
		cl_ulong row0 = r0, n = rows - r0 < block ? rows - r0 : block;
		struct qcl_args a = args(st, QCL_K_IM2COL);

		arg_tensor(&a, table, &c->input.ref);
		ARG(&a, cid);
		ARG(&a, zi);
		ARG(&a, st->scratch);
		ARG(&a, cod);
		ARG(&a, win);
		ARG(&a, row0);
		ARG(&a, n);
		ret = launch_1d(st, &a, n * fd[1] * fd[2], ev);
		if (ret)
			return ret;
		g.a = st->scratch;
		g.a_off = 0;
		g.rows = (cl_uint)n;
		g.c_off = c->output.ref.offset + r0 * od[3];
		ret = gemm(st, &g, table, &e, ev);
		if (ret)
			return ret;
	}
	return 0;
}

static int do_dwconv2d(struct qcl_state *st, const struct qaccel_cmd_dwconv2d *c,
		       struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_args a = args(st, QCL_K_DWCONV2D);
	struct qcl_epilogue e = { &c->bias, &c->requant, c->output.zero_point, &c->clamp };
	const uint32_t *od = c->output.dims;
	cl_uint4 id = u4(c->input.dims), o = u4(od);
	cl_uint8 win = conv_window(&c->win, c->filter.dims[1], c->filter.dims[2]);
	cl_int zi = c->input.zero_point, zo = c->output.zero_point;
	cl_int lo = c->clamp.min, hi = c->clamp.max;
	cl_uint dm = c->depth_multiplier;

	arg_tensor(&a, table, &c->input.ref);
	ARG(&a, id);
	ARG(&a, zi);
	arg_tensor(&a, table, &c->filter.ref);
	arg_tensor(&a, table, &c->output.ref);
	ARG(&a, o);
	ARG(&a, zo);
	ARG(&a, win);
	ARG(&a, dm);
	arg_epilogue(&a, st, table, &e);
	ARG(&a, lo);
	ARG(&a, hi);
	return launch_1d(st, &a, (uint64_t)od[0] * od[1] * od[2] * od[3], ev);
}

static int do_fc(struct qcl_state *st, const struct qaccel_cmd_fc *c,
		 struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_epilogue e = { &c->bias, &c->requant, c->output.zero_point, &c->clamp };
	struct qcl_gemm g = {
		.a = bo_mem(table, c->input.ref.buf), .a_off = c->input.ref.offset,
		.b = bo_mem(table, c->filter.ref.buf), .b_off = c->filter.ref.offset,
		.c = bo_mem(table, c->output.ref.buf), .c_off = c->output.ref.offset,
		.rows = c->input.dims[2], .cols = c->filter.dims[2],
		.depth = c->input.dims[3], .za = c->input.zero_point,
		.zb = c->filter.zero_point,
	};

	return gemm(st, &g, table, &e, ev);
}

static int do_binary(struct qcl_state *st, const struct qaccel_cmd_binary *c,
		     struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_args a = args(st, QCL_K_BINARY);
	const uint32_t *od = c->output.dims;
	cl_uint4 d1 = u4(c->input1.dims), d2 = u4(c->input2.dims), o = u4(od);
	cl_uint op = c->hdr.opcode, rounding = c->rounding;
	cl_int2 q1 = qmul2(&c->input1_qmul), q2 = qmul2(&c->input2_qmul);
	cl_int2 qo = qmul2(&c->output_qmul);
	cl_int4 zp = { .s = { c->input1.zero_point, c->input2.zero_point,
			      c->output.zero_point, (cl_int)c->left_shift } };
	cl_int lo = c->clamp.min, hi = c->clamp.max;

	arg_tensor(&a, table, &c->input1.ref);
	ARG(&a, d1);
	arg_tensor(&a, table, &c->input2.ref);
	ARG(&a, d2);
	arg_tensor(&a, table, &c->output.ref);
	ARG(&a, o);
	ARG(&a, op);
	ARG(&a, q1);
	ARG(&a, q2);
	ARG(&a, qo);
	ARG(&a, zp);
	ARG(&a, rounding);
	ARG(&a, lo);
	ARG(&a, hi);
	return launch_1d(st, &a, (uint64_t)od[0] * od[1] * od[2] * od[3], ev);
}

static int do_pool2d(struct qcl_state *st, const struct qaccel_cmd_pool2d *c,
		     struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_args a = args(st, QCL_K_POOL2D);
	const uint32_t *od = c->output.dims;
	cl_uint4 id = u4(c->input.dims), o = u4(od);
	cl_uint op = c->hdr.opcode;
	cl_uint8 win = { .s = { c->win.stride_h, c->win.stride_w, c->win.pad_top,
				c->win.pad_left, c->filter_h, c->filter_w, 0, 0 } };
	cl_int lo = c->clamp.min, hi = c->clamp.max;

	arg_tensor(&a, table, &c->input.ref);
	ARG(&a, id);
	arg_tensor(&a, table, &c->output.ref);
	ARG(&a, o);
	ARG(&a, op);
	ARG(&a, win);
	ARG(&a, lo);
	ARG(&a, hi);
	return launch_1d(st, &a, (uint64_t)od[0] * od[1] * od[2] * od[3], ev);
}

static uint64_t elems(const struct qaccel_tensor *t)
{
	return (uint64_t)t->dims[0] * t->dims[1] * t->dims[2] * t->dims[3];
}

static int do_lut(struct qcl_state *st, const struct qaccel_cmd_lut *c,
		  struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_args a = args(st, QCL_K_LUT);
	cl_ulong count = elems(&c->input);

	arg_tensor(&a, table, &c->input.ref);
	arg_tensor(&a, table, &c->output.ref);
	arg_tensor(&a, table, &c->table);
	ARG(&a, count);
	return launch_1d(st, &a, count, ev);
}

static int do_requantize(struct qcl_state *st, const struct qaccel_cmd_requantize *c,
			 struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_args a = args(st, QCL_K_REQUANTIZE);
	cl_ulong count = elems(&c->input);
	cl_int zi = c->input.zero_point, zo = c->output.zero_point;
	cl_int2 qm = qmul2(&c->qmul);
	cl_uint rounding = c->rounding;

	arg_tensor(&a, table, &c->input.ref);
	ARG(&a, zi);
	arg_tensor(&a, table, &c->output.ref);
	ARG(&a, zo);
	ARG(&a, qm);
	ARG(&a, rounding);
	ARG(&a, count);
	return launch_1d(st, &a, count, ev);
}

static int do_copy(struct qcl_state *st, const struct qaccel_cmd_copy *c,
		   struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_args a = args(st, QCL_K_COPY);
	cl_uint4 d = u4(c->dims), ss = u4(c->src_strides), ds = u4(c->dst_strides);

	arg_tensor(&a, table, &c->src);
	arg_tensor(&a, table, &c->dst);
	ARG(&a, d);
	ARG(&a, ss);
	ARG(&a, ds);
	return launch_1d(st, &a, (uint64_t)c->dims[0] * c->dims[1] * c->dims[2] *
			 c->dims[3], ev);
}

static int do_pad(struct qcl_state *st, const struct qaccel_cmd_pad *c,
		  struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_args a = args(st, QCL_K_PAD);
	cl_uint4 id = u4(c->input.dims), od = u4(c->output.dims), before = u4(c->before);
	cl_int v = c->pad_value;

	arg_tensor(&a, table, &c->input.ref);
	ARG(&a, id);
	arg_tensor(&a, table, &c->output.ref);
	ARG(&a, od);
	ARG(&a, before);
	ARG(&a, v);
	return launch_1d(st, &a, elems(&c->output), ev);
}

static int do_mean(struct qcl_state *st, const struct qaccel_cmd_mean *c,
		   struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_args a = args(st, QCL_K_MEAN);
	cl_uint4 id = u4(c->input.dims);
	cl_int zi = c->input.zero_point, zo = c->output.zero_point;
	cl_int2 qm = qmul2(&c->qmul);
	cl_int div = (cl_int)c->divisor;
	cl_uint rounding = c->rounding;
	cl_int lo = c->clamp.min, hi = c->clamp.max;

	arg_tensor(&a, table, &c->input.ref);
	ARG(&a, id);
	ARG(&a, zi);
	arg_tensor(&a, table, &c->output.ref);
	ARG(&a, zo);
	ARG(&a, qm);
	ARG(&a, div);
	ARG(&a, rounding);
	ARG(&a, lo);
	ARG(&a, hi);
	return launch_1d(st, &a, (uint64_t)id.s[0] * id.s[3], ev);
}

static int do_softmax(struct qcl_state *st, const struct qaccel_cmd_softmax *c,
		      struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_args a = args(st, QCL_K_SOFTMAX);
	cl_uint depth = c->input.dims[3], rounding = c->rounding;
	cl_ulong rows = elems(&c->input) / depth;
	cl_int4 p = { .s = { c->input_beta_multiplier, c->input_beta_left_shift,
			     c->diff_min, 0 } };

	arg_tensor(&a, table, &c->input.ref);
	arg_tensor(&a, table, &c->output.ref);
	ARG(&a, depth);
	ARG(&a, rows);
	ARG(&a, p);
	ARG(&a, rounding);
	return launch_1d(st, &a, rows, ev);
}

static int do_softmax_f32(struct qcl_state *st, const struct qaccel_cmd_softmax_f32 *c,
			  struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_args a = args(st, QCL_K_SOFTMAX_F32);
	cl_uint depth = c->input.dims[3], scale = c->output_scale;
	cl_ulong rows = elems(&c->input) / depth;
	cl_int zo = c->output.zero_point;

	arg_tensor(&a, table, &c->input.ref);
	arg_tensor(&a, table, &c->output.ref);
	ARG(&a, depth);
	ARG(&a, rows);
	arg_ints(&a, st, table, &c->exp_table);
	ARG(&a, scale);
	ARG(&a, zo);
	return launch_1d(st, &a, rows, ev);
}

static int do_mean_f32(struct qcl_state *st, const struct qaccel_cmd_mean_f32 *c,
		       struct qaccel_bo *const *table, cl_event *ev)
{
	struct qcl_args a = args(st, QCL_K_MEAN_F32);
	cl_uint4 id = u4(c->input.dims);
	cl_int zo = c->output.zero_point;
	cl_uint scale = c->scale, bias = c->bias;

	arg_tensor(&a, table, &c->input.ref);
	ARG(&a, id);
	arg_tensor(&a, table, &c->output.ref);
	ARG(&a, zo);
	ARG(&a, scale);
	ARG(&a, bias);
	return launch_1d(st, &a, (uint64_t)id.s[0] * id.s[3], ev);
}

int qcl_dispatch(struct qcl_state *st, const struct qaccel_cmd_header *cmd,
		 struct qaccel_bo *const *table, cl_event *ev)
{
	const void *c = cmd;

	switch (cmd->opcode) {
	case QACCEL_OP_CONV_2D:
		return do_conv2d(st, c, table, ev);
	case QACCEL_OP_DEPTHWISE_CONV_2D:
		return do_dwconv2d(st, c, table, ev);
	case QACCEL_OP_FULLY_CONNECTED:
		return do_fc(st, c, table, ev);
	case QACCEL_OP_ADD:
	case QACCEL_OP_SUB:
	case QACCEL_OP_MUL:
		return do_binary(st, c, table, ev);
	case QACCEL_OP_MAX_POOL_2D:
	case QACCEL_OP_AVERAGE_POOL_2D:
		return do_pool2d(st, c, table, ev);
	case QACCEL_OP_LUT:
		return do_lut(st, c, table, ev);
	case QACCEL_OP_SOFTMAX:
		return do_softmax(st, c, table, ev);
	case QACCEL_OP_COPY:
		return do_copy(st, c, table, ev);
	case QACCEL_OP_PAD:
		return do_pad(st, c, table, ev);
	case QACCEL_OP_MEAN:
		return do_mean(st, c, table, ev);
	case QACCEL_OP_REQUANTIZE:
		return do_requantize(st, c, table, ev);
	case QACCEL_OP_SOFTMAX_F32:
		return do_softmax_f32(st, c, table, ev);
	case QACCEL_OP_MEAN_F32:
		return do_mean_f32(st, c, table, ev);
	}
	/* Unreachable: the validator rejects unknown opcodes. */
	return -EINVAL;
}
