// SPDX-License-Identifier: MIT
/*
 * Models: compile once at load, upload constants once, then each run only
 * writes inputs into the arena, submits the stream, and reads outputs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "error.h"
#include "runtime/compiler/compile.h"
#include "runtime/compiler/quant_math.h"
#include "runtime/ref/qaccel_ref.h"

struct qaccel_model {
	struct qaccel_ctx *ctx;
	struct qc_program prog;
	struct qaccel_bo *stream;
	struct qaccel_bo *bufs[QC_NUM_BUFS];
};

/*
 * A backend's failure: what failed, then the backend's own message when it
 * left one (the drm backend says what the driver or device reported).
 */
static int backend_error(const struct qaccel_backend_ops *ops, int ret,
			 const char *what)
{
	char msg[400];

	snprintf(msg, sizeof(msg), "%s", qaccel_last_error());
	return qaccel_set_error(ret, "%s backend: %s (%s)", ops->name, what,
				msg[0] ? msg : strerror(-ret));
}

static int model_upload(struct qaccel_model *m)
{
	const struct qaccel_backend_ops *ops = m->ctx->ops;
	void *st = m->ctx->state;
	/* Zero-sized buffers are not allowed anywhere; keep one byte. */
	size_t consts = m->prog.consts_size ? m->prog.consts_size : 1;
	size_t arena = m->prog.arena_size ? m->prog.arena_size : 1;
	uint64_t sizes[QC_NUM_BUFS] = { consts, arena };
	struct qaccel_validate_error verr;
	int ret;

	ret = qaccel_validate(m->prog.stream, m->prog.stream_size, sizes,
			      QC_NUM_BUFS, &verr);
	if (ret)
		return qaccel_set_error(ret, "compiler bug: stream rejected at byte %u (command %u): %s",
					verr.offset, verr.cmd_index, verr.reason);
	qaccel_clear_error();
	ret = ops->bo_create(st, m->prog.stream_size, &m->stream);
	if (!ret)
		ret = ops->bo_create(st, consts, &m->bufs[QC_BUF_CONSTS]);
	if (!ret)
		ret = ops->bo_create(st, arena, &m->bufs[QC_BUF_ARENA]);
	if (ret)
		return backend_error(ops, ret, "cannot allocate buffers");
	memcpy(m->stream->map, m->prog.stream, m->prog.stream_size);
	if (m->prog.consts_size)
		memcpy(m->bufs[QC_BUF_CONSTS]->map, m->prog.consts, m->prog.consts_size);
	/* Neither the constants nor the stream change after this. */
	if (ops->bo_seal) {
		ops->bo_seal(st, m->bufs[QC_BUF_CONSTS]);
		ops->bo_seal(st, m->stream);
	}
	memset(m->bufs[QC_BUF_ARENA]->map, 0, arena);
	return 0;
}

int qaccel_model_load_memory(struct qaccel_ctx *ctx, const void *data,
			     size_t size, struct qaccel_model **out)
{
	struct qaccel_model *m;
	char err[256] = "";
	int ret;

	if (!ctx || !data || !out)
		return qaccel_set_error(-EINVAL, "qaccel_model_load_memory: NULL argument");
	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return qaccel_set_error(-ENOMEM, "out of memory");
	m->ctx = ctx;
	ret = qc_compile_tflite(data, size, &m->prog, err, sizeof(err));
	if (ret) {
		free(m);
		return qaccel_set_error(ret, "%s", err);
	}
	ret = model_upload(m);
	if (ret) {
		qaccel_model_free(m);
		return ret;
	}
	qaccel_clear_error();
	*out = m;
	return 0;
}

int qaccel_model_load_file(struct qaccel_ctx *ctx, const char *path,
			   struct qaccel_model **out)
{
	FILE *f;
	long len;
	void *buf;
	int ret;

	if (!path)
		return qaccel_set_error(-EINVAL, "qaccel_model_load_file: NULL path");
	f = fopen(path, "rb");
	if (!f)
		return qaccel_set_error(-errno, "%s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return qaccel_set_error(-EIO, "%s: cannot determine size", path);
	}
	buf = malloc(len ? (size_t)len : 1);
	if (!buf) {
		fclose(f);
		return qaccel_set_error(-ENOMEM, "%s: out of memory", path);
	}
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return qaccel_set_error(-EIO, "%s: read error", path);
	}
	fclose(f);
	ret = qaccel_model_load_memory(ctx, buf, (size_t)len, out);
	free(buf);
	if (ret) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", qaccel_last_error());
		return qaccel_set_error(ret, "%s: %s", path, msg);
	}
	return 0;
}

void qaccel_model_free(struct qaccel_model *m)
{
	if (!m)
		return;
	for (int i = 0; i < QC_NUM_BUFS; i++)
		if (m->bufs[i])
			m->ctx->ops->bo_destroy(m->ctx->state, m->bufs[i]);
	if (m->stream)
		m->ctx->ops->bo_destroy(m->ctx->state, m->stream);
	qc_program_free(&m->prog);
	free(m);
}

int qaccel_model_num_inputs(const struct qaccel_model *m)
{
	return m ? m->prog.num_inputs : -EINVAL;
}

int qaccel_model_num_outputs(const struct qaccel_model *m)
{
	return m ? m->prog.num_outputs : -EINVAL;
}

static int io_info(const struct qc_io *io, int n, int index,
		   struct qaccel_tensor_info *info, const char *what)
{
	if (!info || index < 0 || index >= n)
		return qaccel_set_error(-EINVAL, "%s %d does not exist (model has %d)",
					what, index, n);
	*info = io[index].info;
	return 0;
}

int qaccel_model_input_info(const struct qaccel_model *m, int index,
			    struct qaccel_tensor_info *info)
{
	if (!m)
		return qaccel_set_error(-EINVAL, "NULL model");
	return io_info(m->prog.inputs, m->prog.num_inputs, index, info, "input");
}

int qaccel_model_output_info(const struct qaccel_model *m, int index,
			     struct qaccel_tensor_info *info)
{
	if (!m)
		return qaccel_set_error(-EINVAL, "NULL model");
	return io_info(m->prog.outputs, m->prog.num_outputs, index, info, "output");
}

int qaccel_model_set_input(struct qaccel_model *m, int index, const void *data,
			   size_t bytes)
{
	const struct qc_io *io;
	int8_t *dst;

	if (!m || !data || index < 0 || index >= m->prog.num_inputs)
		return qaccel_set_error(-EINVAL, "set_input: no input %d", index);
	io = &m->prog.inputs[index];
	if (bytes != io->info.bytes)
		return qaccel_set_error(-EINVAL, "input %d '%s' takes %zu bytes, got %zu",
					index, io->info.name, io->info.bytes, bytes);
	dst = (int8_t *)m->bufs[QC_BUF_ARENA]->map + io->arena_offset;
	if (io->host_float) {
		const float *src = data;

		for (size_t i = 0; i < io->elems; i++)
			dst[i] = qc_quantize_f32(src[i], io->q_scale, io->q_zero_point);
	} else {
		memcpy(dst, data, bytes);
	}
	return 0;
}

int qaccel_model_run(struct qaccel_model *m)
{
	int ret;

	if (!m)
		return qaccel_set_error(-EINVAL, "run: NULL model");
	qaccel_clear_error();
	ret = m->ctx->ops->submit(m->ctx->state, m->stream, m->prog.stream_size,
				  m->bufs, QC_NUM_BUFS);
	if (ret)
		return backend_error(m->ctx->ops, ret, "run failed");
	return 0;
}

int qaccel_model_get_output(const struct qaccel_model *m, int index, void *data,
			    size_t bytes)
{
	const struct qc_io *io;
	const int8_t *src;

	if (!m || !data || index < 0 || index >= m->prog.num_outputs)
		return qaccel_set_error(-EINVAL, "get_output: no output %d", index);
	io = &m->prog.outputs[index];
	if (bytes != io->info.bytes)
		return qaccel_set_error(-EINVAL, "output %d '%s' has %zu bytes, buffer holds %zu",
					index, io->info.name, io->info.bytes, bytes);
	src = (const int8_t *)m->bufs[QC_BUF_ARENA]->map + io->arena_offset;
	if (io->host_float) {
		float *dst = data;

		for (size_t i = 0; i < io->elems; i++)
			dst[i] = qc_dequantize_s8(src[i], io->q_scale, io->q_zero_point);
	} else {
		memcpy(data, src, bytes);
	}
	return 0;
}

size_t qaccel_model_arena_size(const struct qaccel_model *m)
{
	return m ? m->prog.arena_size : 0;
}
