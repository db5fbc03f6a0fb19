// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the cpu engine against the reference. Inputs are
 * fuzz_stream's (fuzz_stream.h); a stream the validator accepts runs on
 * the reference engine and, on copies of the same buffers, on the cpu
 * engine at every instruction-set level this CPU runs, with two threads
 * and every command split. Any byte of any buffer that differs afterwards
 * is a bug (the cpu backend promises the reference's bytes on every
 * input), and ASan/UBSan watch the optimised kernels on shapes and
 * parameters no unit test chose.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_stream.h"
#include "runtime/cpu/cpu.h"

static struct cpu_engine engines[CPU_ISA_COUNT];
static bool have[CPU_ISA_COUNT];

static void engines_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	for (int l = 0; l < CPU_ISA_COUNT; l++) {
		const struct cpu_isa *isa = cpu_isa_get(l);

		have[l] = isa && !cpu_engine_init(&engines[l], isa, 2);
		if (have[l])
			engines[l].split_min = 0;
	}
}

static uint64_t elems(const struct qaccel_tensor *t)
{
	return (uint64_t)t->dims[0] * t->dims[1] * t->dims[2] * t->dims[3];
}

static bool overlap(const struct qaccel_tensor *a, const struct qaccel_tensor *b)
{
	return a->ref.buf == b->ref.buf && a->ref.offset < b->ref.offset + elems(b) &&
	       b->ref.offset < a->ref.offset + elems(a);
}

/* An elementwise operand that is the output itself: read before written. */
static bool same(const struct qaccel_tensor *a, const struct qaccel_tensor *b)
{
	return a->ref.buf == b->ref.buf && a->ref.offset == b->ref.offset &&
	       !memcmp(a->dims, b->dims, sizeof(a->dims));
}

/*
 * Whether a command's output shares bytes with what it reads (other than
 * an elementwise operand in place): the validator allows it and leaves the
 * result to each engine's loop order (runtime/ref/validate.c), so engines
 * may differ there and only memory safety is checked. Refs without a
 * tensor (bias, multipliers, tables) count when in the output's buffer.
 */
/* A weighted command's output against its input, filter and refs. */
static bool weighted(const struct qaccel_tensor *in, const struct qaccel_tensor *f,
		     const struct qaccel_tensor *out, const struct qaccel_ref *bias,
		     const struct qaccel_requant *rq)
{
	return overlap(out, in) || overlap(out, f) || bias->buf == out->ref.buf ||
	       rq->params.buf == out->ref.buf;
}

/* An elementwise operand overlapping the output other than in place. */
static bool partly(const struct qaccel_tensor *out, const struct qaccel_tensor *in)
{
	return overlap(out, in) && !same(out, in);
}

/*
 * Whether a command's output shares bytes with what it reads (other than
 * an elementwise operand in place): the validator allows it and leaves the
 * result to each engine's loop order (runtime/ref/validate.c), so engines
 * may differ there and only memory safety is checked. Refs without a
 * tensor (bias, multipliers, tables) count when in the output's buffer.
 */
static bool aliases(const struct qaccel_cmd_header *h)
{
	const void *c = h;

	switch (h->opcode) {
	case QACCEL_OP_CONV_2D: {
		const struct qaccel_cmd_conv2d *k = c;

		return weighted(&k->input, &k->filter, &k->output, &k->bias, &k->requant);
	}
	case QACCEL_OP_DEPTHWISE_CONV_2D: {
		const struct qaccel_cmd_dwconv2d *k = c;

		return weighted(&k->input, &k->filter, &k->output, &k->bias, &k->requant);
	}
	case QACCEL_OP_FULLY_CONNECTED: {
		const struct qaccel_cmd_fc *k = c;

		return weighted(&k->input, &k->filter, &k->output, &k->bias, &k->requant);
	}
	case QACCEL_OP_ADD:
	case QACCEL_OP_SUB:
	case QACCEL_OP_MUL: {
		const struct qaccel_cmd_binary *k = c;

		return partly(&k->output, &k->input1) || partly(&k->output, &k->input2);
	}
	case QACCEL_OP_LUT: {
		const struct qaccel_cmd_lut *k = c;

		return partly(&k->output, &k->input) || k->table.buf == k->output.ref.buf;
	}
	case QACCEL_OP_REQUANTIZE: {
		const struct qaccel_cmd_requantize *k = c;

		return partly(&k->output, &k->input);
	}
	case QACCEL_OP_MAX_POOL_2D:
	case QACCEL_OP_AVERAGE_POOL_2D: {
		const struct qaccel_cmd_pool2d *k = c;

		return overlap(&k->output, &k->input);
	}
	case QACCEL_OP_SOFTMAX: {
		const struct qaccel_cmd_softmax *k = c;

		return overlap(&k->output, &k->input);
	}
	case QACCEL_OP_SOFTMAX_F32: {
		const struct qaccel_cmd_softmax_f32 *k = c;

		return overlap(&k->output, &k->input) || k->exp_table.buf == k->output.ref.buf;
	}
	case QACCEL_OP_PAD: {
		const struct qaccel_cmd_pad *k = c;

		return overlap(&k->output, &k->input);
	}
	case QACCEL_OP_MEAN: {
		const struct qaccel_cmd_mean *k = c;

		return overlap(&k->output, &k->input);
	}
	case QACCEL_OP_MEAN_F32: {
		const struct qaccel_cmd_mean_f32 *k = c;

		return overlap(&k->output, &k->input);
	}
	default:
		return false;	/* COPY: the validator refuses overlaps */
	}
}

static bool stream_aliases(const void *stream)
{
	const struct qaccel_stream_header *h = stream;
	const uint8_t *p = (const uint8_t *)stream + sizeof(*h);

	for (uint32_t i = 0; i < h->num_cmds; i++) {
		const struct qaccel_cmd_header *c = (const void *)p;

		if (aliases(c))
			return true;
		p += c->size;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qaccel_buf_view want[FUZZ_MAX_BUFS], got[FUZZ_MAX_BUFS];
	struct qaccel_validate_error e;
	struct fuzz_input in;
	bool alias;

	engines_init();
	if (fuzz_input_parse(data, size, &in))
		return 0;
	if (qaccel_validate(in.stream, in.len, in.sizes, in.n, &e)) {
		free(in.stream);
		return 0;
	}
	for (uint32_t i = 0; i < in.n; i++) {
		want[i].ptr = malloc(in.sizes[i] ? in.sizes[i] : 1);
		got[i].ptr = malloc(in.sizes[i] ? in.sizes[i] : 1);
		want[i].size = got[i].size = in.sizes[i];
		fuzz_fill(want[i].ptr, in.sizes[i], in.seed + i);
	}
	alias = stream_aliases(in.stream);
	qaccel_exec_stream(in.stream, want, NULL, NULL);
	for (int l = 0; l < CPU_ISA_COUNT; l++) {
		if (!have[l])
			continue;
		for (uint32_t i = 0; i < in.n; i++)
			fuzz_fill(got[i].ptr, in.sizes[i], in.seed + i);
		if (cpu_exec_stream(&engines[l], in.stream, got, NULL))
			continue;	/* out of memory: nothing to compare */
		for (uint32_t i = 0; i < in.n && !alias; i++)
			if (memcmp(got[i].ptr, want[i].ptr, in.sizes[i]))
				__builtin_trap();
	}
	for (uint32_t i = 0; i < in.n; i++) {
		free(want[i].ptr);
		free(got[i].ptr);
	}
	free(in.stream);
	return 0;
}
