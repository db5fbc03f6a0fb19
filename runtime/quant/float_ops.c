// SPDX-License-Identifier: MIT
/* The float model's operators: output shapes and computation (float_ops.h). */
#include "float_ops.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int fn_fail(struct fn_ctx *c, int ret, const char *fmt, ...)
{
	va_list ap;
	int len;

	len = snprintf(c->err, c->errlen, "operator %d (%s): ", c->index,
		       tfl_op_name(c->op->code));
	if (len < 0 || (size_t)len >= c->errlen)
		return ret;
	va_start(ap, fmt);
	vsnprintf(c->err + len, c->errlen - len, fmt, ap);
	va_end(ap);
	return ret;
}

static struct fk_shape *S(struct fn_ctx *c, int t)
{
	return &c->n->shape[t];
}

static float *D(struct fn_ctx *c, int t)
{
	return c->n->data[t];
}

static int in_t(struct fn_ctx *c, int k)
{
	return k < c->op->num_inputs ? c->op->inputs[k] : -1;
}

static int out_t(struct fn_ctx *c)
{
	return c->op->outputs[0];
}

/* A constant int32 operand of exactly count values. */
static int const_ints(struct fn_ctx *c, int k, int *v, int count)
{
	int t = in_t(c, k);
	const struct tfl_tensor *tt;

	if (t < 0)
		return fn_fail(c, -EINVAL, "input %d missing", k);
	tt = &c->n->m->tensors[t];
	if (!tt->data || tt->type != TFL_INT32 || tt->data_size != (size_t)count * 4)
		return fn_fail(c, -ENOTSUP, "input %d must be a constant int32 tensor of %d values",
			       k, count);
	memcpy(v, tt->data, (size_t)count * 4);
	return 0;
}

int64_t fn_shape_elems(const struct fk_shape *s)
{
	int64_t n = 1;

	for (int i = 0; i < s->rank; i++) {
		if (s->d[i] <= 0 || n > FN_MAX_ELEMS / s->d[i])
			return -1;
		n *= s->d[i];
	}
	return n;
}

static int set_out(struct fn_ctx *c, const struct fk_shape *s)
{
	if (fn_shape_elems(s) < 0)
		return fn_fail(c, -EINVAL, "output shape empty, negative or too large");
	*S(c, out_t(c)) = *s;
	return 0;
}

static int need_rank(struct fn_ctx *c, int t, int rank, const char *what)
{
	if (t < 0 || S(c, t)->rank != rank)
		return fn_fail(c, -EINVAL, "%s must have rank %d", what, rank);
	return 0;
}

static int op_conv(struct fn_ctx *c)
{
	const struct tfl_options *o = &c->op->opt;
	int in = in_t(c, 0), f = in_t(c, 1), b = in_t(c, 2);
	bool dw = c->op->code == TFL_DEPTHWISE_CONV_2D;
	struct fk_window wy, wx;
	struct fk_shape *si, *sf, so;
	int oc, ret;

	ret = need_rank(c, in, 4, "input");
	if (!ret)
		ret = need_rank(c, f, 4, "filter");
	if (ret)
		return ret;
	si = S(c, in);
	sf = S(c, f);
	oc = dw ? sf->d[3] : sf->d[0];
	if ((dw ? sf->d[0] != 1 || oc % si->d[3] : sf->d[3] != si->d[3]) ||
	    (b >= 0 && (int)fk_elems(S(c, b)) != oc) ||
	    fk_window_init(&wy, si->d[1], sf->d[1], o->stride_h, o->dilation_h,
			   o->padding == TFL_PAD_SAME) ||
	    fk_window_init(&wx, si->d[2], sf->d[2], o->stride_w, o->dilation_w,
			   o->padding == TFL_PAD_SAME))
		return fn_fail(c, -EINVAL, "input, filter, bias or window do not fit");
	if (!c->run) {
		so = (struct fk_shape){ 4, { si->d[0], wy.out, wx.out, oc } };
		return set_out(c, &so);
	}
	if (dw)
		fk_depthwise_conv2d(D(c, in), si->d[0], si->d[3], oc / si->d[3], &wy, &wx,
				    D(c, f), b >= 0 ? D(c, b) : NULL, o->activation,
				    D(c, out_t(c)));
	else
		fk_conv2d(D(c, in), si->d[0], si->d[3], &wy, &wx, D(c, f), oc,
			  b >= 0 ? D(c, b) : NULL, o->activation, D(c, out_t(c)));
	return 0;
}

static int op_fc(struct fn_ctx *c)
{
	int in = in_t(c, 0), f = in_t(c, 1), b = in_t(c, 2);
	struct fk_shape so;
	int depth, units, rows, ret;

	ret = need_rank(c, f, 2, "weights");
	if (ret || in < 0)
		return ret ? ret : fn_fail(c, -EINVAL, "input missing");
	units = S(c, f)->d[0];
	depth = S(c, f)->d[1];
	if (fk_elems(S(c, in)) % (size_t)depth ||
	    (b >= 0 && (int)fk_elems(S(c, b)) != units))
		return fn_fail(c, -EINVAL, "input or bias does not fit the weights");
	rows = (int)(fk_elems(S(c, in)) / (size_t)depth);
	if (!c->run) {
		if (c->op->opt.keep_num_dims) {
			so = *S(c, in);
			so.d[so.rank - 1] = units;
		} else {
			so = (struct fk_shape){ 2, { rows, units } };
		}
		return set_out(c, &so);
	}
	fk_fully_connected(D(c, in), rows, depth, D(c, f), units, b >= 0 ? D(c, b) : NULL,
			   c->op->opt.activation, D(c, out_t(c)));
	return 0;
}

static int op_pool(struct fn_ctx *c)
{
	const struct tfl_options *o = &c->op->opt;
	int in = in_t(c, 0);
	struct fk_window wy, wx;
	struct fk_shape so, *si;
	int ret = need_rank(c, in, 4, "input");

	if (ret)
		return ret;
	si = S(c, in);
	if (fk_window_init(&wy, si->d[1], o->filter_h, o->stride_h, 1, o->padding == TFL_PAD_SAME) ||
	    fk_window_init(&wx, si->d[2], o->filter_w, o->stride_w, 1, o->padding == TFL_PAD_SAME))
		return fn_fail(c, -EINVAL, "window does not fit the input");
	if (!c->run) {
		so = (struct fk_shape){ 4, { si->d[0], wy.out, wx.out, si->d[3] } };
		return set_out(c, &so);
	}
	fk_pool2d(D(c, in), si->d[0], si->d[3], &wy, &wx, c->op->code == TFL_MAX_POOL_2D,
		  o->activation, D(c, out_t(c)));
	return 0;
}

static int op_binary(struct fn_ctx *c)
{
	int a = in_t(c, 0), b = in_t(c, 1);
	struct fk_shape sa, sb, so;

	if (a < 0 || b < 0)
		return fn_fail(c, -EINVAL, "two inputs needed");
	/* Right-align both shapes to the larger rank, as NumPy does. */
	so.rank = S(c, a)->rank > S(c, b)->rank ? S(c, a)->rank : S(c, b)->rank;
	sa.rank = sb.rank = so.rank;
	for (int i = 0; i < so.rank; i++) {
		int ia = i - (so.rank - S(c, a)->rank), ib = i - (so.rank - S(c, b)->rank);

		sa.d[i] = ia >= 0 ? S(c, a)->d[ia] : 1;
		sb.d[i] = ib >= 0 ? S(c, b)->d[ib] : 1;
		if (sa.d[i] != sb.d[i] && sa.d[i] != 1 && sb.d[i] != 1)
			return fn_fail(c, -EINVAL, "shapes do not broadcast");
		so.d[i] = sa.d[i] > sb.d[i] ? sa.d[i] : sb.d[i];
	}
	if (!c->run)
		return set_out(c, &so);
	fk_binary(c->op->code == TFL_ADD ? FK_ADD : c->op->code == TFL_SUB ? FK_SUB : FK_MUL,
		  D(c, a), &sa, D(c, b), &sb, &so, c->op->opt.activation, D(c, out_t(c)));
	return 0;
}

static int op_unary(struct fn_ctx *c)
{
	int in = in_t(c, 0);
	struct fk_shape *si;
	enum fk_unop u;

	if (in < 0)
		return fn_fail(c, -EINVAL, "input missing");
	si = S(c, in);
	if (!c->run) {
		if (c->op->code == TFL_SOFTMAX && si->rank < 1)
			return fn_fail(c, -EINVAL, "softmax needs rank 1 or more");
		return set_out(c, si);
	}
	switch (c->op->code) {
	case TFL_SOFTMAX:
		fk_softmax(D(c, in), fk_elems(si) / (size_t)si->d[si->rank - 1],
			   si->d[si->rank - 1], c->op->opt.beta, D(c, out_t(c)));
		return 0;
	case TFL_RESHAPE: case TFL_SQUEEZE:
		memcpy(D(c, out_t(c)), D(c, in), fk_elems(si) * sizeof(float));
		return 0;
	case TFL_RELU: u = FK_RELU; break;
	case TFL_RELU6: u = FK_RELU6; break;
	case TFL_LEAKY_RELU: u = FK_LEAKY_RELU; break;
	case TFL_LOGISTIC: u = FK_LOGISTIC; break;
	case TFL_TANH: u = FK_TANH; break;
	default: u = FK_HARD_SWISH; break;
	}
	fk_unary(u, D(c, in), fk_elems(si), c->op->opt.alpha, D(c, out_t(c)));
	return 0;
}

/* RESHAPE and SQUEEZE: the stored output shape, with its batch taken from the input's. */
static int op_reshape(struct fn_ctx *c)
{
	const struct tfl_tensor *t = &c->n->m->tensors[out_t(c)];
	struct fk_shape so = { t->rank, { 0 } };
	int in = in_t(c, 0);

	if (c->run)
		return op_unary(c);
	if (in < 0)
		return fn_fail(c, -EINVAL, "input missing");
	memcpy(so.d, t->shape, sizeof(int) * (size_t)t->rank);
	if (fk_elems(&so) != fk_elems(S(c, in)))
		return fn_fail(c, -EINVAL, "output shape holds %zu elements, input %zu",
			       fk_elems(&so), fk_elems(S(c, in)));
	return set_out(c, &so);
}

static int op_concat(struct fn_ctx *c)
{
	int n_in = c->op->num_inputs, axis = c->op->opt.axis, rank;
	const float *ins[16];
	int sizes[16];
	struct fk_shape so;
	size_t outer = 1, inner = 1;

	if (n_in < 1 || n_in > 16 || in_t(c, 0) < 0)
		return fn_fail(c, -ENOTSUP, "1 to 16 inputs supported");
	so = *S(c, in_t(c, 0));
	rank = so.rank;
	if (axis < 0)
		axis += rank;
	if (axis < 0 || axis >= rank)
		return fn_fail(c, -EINVAL, "axis %d outside rank %d", c->op->opt.axis, rank);
	so.d[axis] = 0;
	for (int k = 0; k < n_in; k++) {
		const struct fk_shape *s = in_t(c, k) >= 0 ? S(c, in_t(c, k)) : NULL;

		if (!s || s->rank != rank)
			return fn_fail(c, -EINVAL, "input %d: rank differs", k);
		for (int i = 0; i < rank; i++)
			if (i != axis && s->d[i] != so.d[i])
				return fn_fail(c, -EINVAL, "input %d: shape differs off the axis", k);
		if (s->d[axis] > FN_MAX_ELEMS - so.d[axis])
			return fn_fail(c, -EINVAL, "output too large");
		so.d[axis] += s->d[axis];
		sizes[k] = s->d[axis];
		ins[k] = D(c, in_t(c, k));
	}
	if (!c->run)
		return set_out(c, &so);
	for (int i = 0; i < axis; i++)
		outer *= (size_t)so.d[i];
	for (int i = axis + 1; i < rank; i++)
		inner *= (size_t)so.d[i];
	fk_concat(ins, sizes, n_in, outer, inner, D(c, out_t(c)));
	return 0;
}

static int op_pad(struct fn_ctx *c)
{
	int in = in_t(c, 0), pads[2 * FK_MAX_RANK], ret;
	struct fk_shape so;

	if (in < 0)
		return fn_fail(c, -EINVAL, "input missing");
	so = *S(c, in);
	ret = const_ints(c, 1, pads, 2 * so.rank);
	if (ret)
		return ret;
	for (int i = 0; i < 2 * so.rank; i++)
		if (pads[i] < 0 || pads[i] > FN_MAX_PARAM)
			return fn_fail(c, -EINVAL, "padding negative or too large");
	if (!c->run) {
		for (int i = 0; i < so.rank; i++)
			so.d[i] += pads[2 * i] + pads[2 * i + 1];
		return set_out(c, &so);
	}
	fk_pad(D(c, in), S(c, in), pads, D(c, out_t(c)));
	return 0;
}

static int op_mean(struct fn_ctx *c)
{
	int in = in_t(c, 0), ax = in_t(c, 1), axes[FK_MAX_RANK], n_ax, ret;
	bool reduce[FK_MAX_RANK] = { false };
	struct fk_shape *si, so = { 0, { 0 } };

	if (in < 0 || ax < 0)
		return fn_fail(c, -EINVAL, "input or axes missing");
	si = S(c, in);
	n_ax = (int)fk_elems(S(c, ax));
	if (n_ax < 1 || n_ax > si->rank)
		return fn_fail(c, -EINVAL, "%d axes for rank %d", n_ax, si->rank);
	ret = const_ints(c, 1, axes, n_ax);
	if (ret)
		return ret;
	for (int i = 0; i < n_ax; i++) {
		int a = axes[i] < 0 ? axes[i] + si->rank : axes[i];

		if (a < 0 || a >= si->rank)
			return fn_fail(c, -EINVAL, "axis %d outside rank %d", axes[i], si->rank);
		reduce[a] = true;
	}
	if (c->run) {
		fk_mean(D(c, in), si, reduce, D(c, out_t(c)));
		return 0;
	}
	for (int i = 0; i < si->rank; i++)
		if (!reduce[i] || c->op->opt.keep_dims)
			so.d[so.rank++] = reduce[i] ? 1 : si->d[i];
	if (so.rank == 0)
		so = (struct fk_shape){ 1, { 1 } };
	return set_out(c, &so);
}

static int op_batch_space(struct fn_ctx *c)
{
	bool to_batch = c->op->code == TFL_SPACE_TO_BATCH_ND;
	int in = in_t(c, 0), block[2], pc[4], ret;
	struct fk_shape so, *si;

	ret = need_rank(c, in, 4, "input");
	if (!ret)
		ret = const_ints(c, 1, block, 2);
	if (!ret)
		ret = const_ints(c, 2, pc, 4);
	if (ret)
		return ret;
	si = S(c, in);
	so = *si;
	for (int i = 0; i < 4; i++)
		if ((i < 2 && (block[i] < 1 || block[i] > FN_MAX_PARAM / 16)) ||
		    pc[i] < 0 || pc[i] > FN_MAX_PARAM)
			return fn_fail(c, -EINVAL, "block or paddings out of range");
	if (si->d[0] > FN_MAX_ELEMS / (block[0] * block[1]))
		return fn_fail(c, -EINVAL, "batch too large");
	if (to_batch) {
		if ((si->d[1] + pc[0] + pc[1]) % block[0] || (si->d[2] + pc[2] + pc[3]) % block[1])
			return fn_fail(c, -EINVAL, "padded size not a multiple of the block");
		so.d[0] *= block[0] * block[1];
		so.d[1] = (si->d[1] + pc[0] + pc[1]) / block[0];
		so.d[2] = (si->d[2] + pc[2] + pc[3]) / block[1];
	} else {
		if (si->d[0] % (block[0] * block[1]))
			return fn_fail(c, -EINVAL, "batch not a multiple of the block");
		so.d[0] /= block[0] * block[1];
		so.d[1] = si->d[1] * block[0] - pc[0] - pc[1];
		so.d[2] = si->d[2] * block[1] - pc[2] - pc[3];
	}
	if (!c->run)
		return set_out(c, &so);
	if (to_batch)
		fk_space_to_batch(D(c, in), si, block[0], block[1], pc, D(c, out_t(c)));
	else
		fk_batch_to_space(D(c, in), si, block[0], block[1], pc, D(c, out_t(c)));
	return 0;
}

int fn_op_do(struct fn_ctx *c)
{
	switch (c->op->code) {
	case TFL_CONV_2D: case TFL_DEPTHWISE_CONV_2D:
		return op_conv(c);
	case TFL_FULLY_CONNECTED:
		return op_fc(c);
	case TFL_AVERAGE_POOL_2D: case TFL_MAX_POOL_2D:
		return op_pool(c);
	case TFL_ADD: case TFL_SUB: case TFL_MUL:
		return op_binary(c);
	case TFL_RESHAPE: case TFL_SQUEEZE:
		return op_reshape(c);
	case TFL_CONCATENATION:
		return op_concat(c);
	case TFL_PAD:
		return op_pad(c);
	case TFL_MEAN:
		return op_mean(c);
	case TFL_SPACE_TO_BATCH_ND: case TFL_BATCH_TO_SPACE_ND:
		return op_batch_space(c);
	default:
		return op_unary(c);
	}
}

/* Float operands must be float32; index operands (shapes, axes) stay int32. */
