// SPDX-License-Identifier: MIT
/* Float element-wise operators: broadcast arithmetic, activations, softmax, mean. */
#include <math.h>

#include "fkernels.h"

size_t fk_elems(const struct fk_shape *s)
{
	size_t n = 1;

	for (int i = 0; i < s->rank; i++)
		n *= (size_t)s->d[i];
	return n;
}

/* Row-major strides of s, 0 where a dimension of 1 is broadcast against out. */
static void bcast_strides(const struct fk_shape *s, const struct fk_shape *so,
			  size_t *st)
{
	size_t step = 1;

	for (int i = so->rank - 1; i >= 0; i--) {
		st[i] = s->d[i] == 1 && so->d[i] != 1 ? 0 : step;
		step *= (size_t)s->d[i];
	}
}

void fk_binary(enum fk_binop op, const float *a, const struct fk_shape *sa,
	       const float *b, const struct fk_shape *sb, const struct fk_shape *so,
	       int act, float *out)
{
	size_t sta[FK_MAX_RANK], stb[FK_MAX_RANK], n = fk_elems(so);
	int idx[FK_MAX_RANK] = { 0 };
	size_t ia = 0, ib = 0;

	bcast_strides(sa, so, sta);
	bcast_strides(sb, so, stb);
	for (size_t i = 0; i < n; i++) {
		float x = a[ia], y = b[ib];
		float r = op == FK_ADD ? x + y : op == FK_SUB ? x - y : x * y;

		out[i] = fk_activate(r, act);
		/* Odometer step over out's index, moving both operands along. */
		for (int k = so->rank - 1; k >= 0; k--) {
			ia += sta[k];
			ib += stb[k];
			if (++idx[k] < so->d[k])
				break;
			ia -= sta[k] * (size_t)so->d[k];
			ib -= stb[k] * (size_t)so->d[k];
			idx[k] = 0;
		}
	}
}

void fk_unary(enum fk_unop op, const float *in, size_t n, float alpha, float *out)
{
	for (size_t i = 0; i < n; i++) {
		float x = in[i], r;

		switch (op) {
		case FK_RELU:
			r = fk_activate(x, FK_ACT_RELU);
			break;
		case FK_RELU6:
			r = fk_activate(x, FK_ACT_RELU6);
			break;
		case FK_LEAKY_RELU:
			r = x > 0.0f ? x : alpha * x;
			break;
		case FK_LOGISTIC:
			r = 1.0f / (1.0f + expf(-x));
			break;
		case FK_TANH:
			r = tanhf(x);
			break;
		default:	/* FK_HARD_SWISH */
			r = x * fk_activate(x + 3.0f, FK_ACT_RELU6) / 6.0f;
			break;
		}
		out[i] = r;
	}
}

void fk_softmax(const float *in, size_t rows, int depth, float beta, float *out)
{
	for (size_t r = 0; r < rows; r++, in += depth, out += depth) {
		float mx = in[0];
		double sum = 0.0;

		for (int i = 1; i < depth; i++)
			mx = in[i] > mx ? in[i] : mx;
		for (int i = 0; i < depth; i++) {
			out[i] = expf(beta * (in[i] - mx));
			sum += out[i];
		}
		for (int i = 0; i < depth; i++)
			out[i] = (float)(out[i] / sum);
	}
}

void fk_mean(const float *in, const struct fk_shape *s, const bool *reduce,
	     float *out)
{
	size_t n = fk_elems(s), count = 1, out_n = 1, st[FK_MAX_RANK];
	int idx[FK_MAX_RANK] = { 0 };
	size_t step = 1, o = 0;

	/* Strides of each input axis in the output (0 for reduced axes). */
	for (int i = s->rank - 1; i >= 0; i--) {
		st[i] = reduce[i] ? 0 : step;
		if (reduce[i])
			count *= (size_t)s->d[i];
		else
			step *= (size_t)s->d[i];
	}
	out_n = step;
	for (size_t i = 0; i < out_n; i++)
		out[i] = 0.0f;
	for (size_t i = 0; i < n; i++) {
		out[o] += in[i];
		for (int k = s->rank - 1; k >= 0; k--) {
			o += st[k];
			if (++idx[k] < s->d[k])
				break;
			o -= st[k] * (size_t)s->d[k];
			idx[k] = 0;
		}
	}
	for (size_t i = 0; i < out_n; i++)
		out[i] /= (float)count;
}
