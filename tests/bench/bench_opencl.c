// SPDX-License-Identifier: MIT
/*
 * make bench (opencl part): throughput of qaccel's int8 GEMM
 * (FULLY_CONNECTED) and int8 convolution (CONV_2D) on the OpenCL device,
 * beside CLBlast's SGEMM on the same device and the same GEMM shapes (a
 * convolution's shape is its im2col GEMM), measured in the same run; and
 * how long a process spends loading the program: cold (empty cache) and
 * in a second process running a model (cache filled by the first).
 *
 *   bench_opencl [--device SPEC] [--model FILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime/backend/opencl/cl_internal.h"
#include "runtime/core/context.h"
#include <clblast_c.h>	/* after cl_internal.h: OpenCL 1.2 API */

#include "tests/bench/bench_time.h"

#define RUNS 5

/* A one-command stream and its buffers on the backend. */
struct bench_job {
	const struct qaccel_backend_ops *ops;
	void *st;
	struct qaccel_bo *stream, *bo[5];
	uint32_t nbo, size;
};

static struct qaccel_bo *job_buf(struct bench_job *j, size_t size, struct qaccel_ref *r)
{
	struct qaccel_bo *b;

	if (j->ops->bo_create(j->st, size, &b))
		return NULL;
	for (size_t i = 0; i < size; i++)
		((uint8_t *)b->map)[i] = (uint8_t)(rand() >> 7);
	r->buf = j->nbo;
	r->offset = 0;
	j->bo[j->nbo++] = b;
	return b;
}

static void job_tensor(struct bench_job *j, struct qaccel_tensor *t, uint32_t n,
		       uint32_t h, uint32_t w, uint32_t c)
{
	t->dims[0] = n;
	t->dims[1] = h;
	t->dims[2] = w;
	t->dims[3] = c;
	t->zero_point = 3;
	job_buf(j, (size_t)n * h * w * c, &t->ref);
}

static void job_epilogue(struct bench_job *j, struct qaccel_ref *bias,
			 struct qaccel_requant *rq, uint32_t oc)
{
	struct qaccel_bo *q = job_buf(j, 8, &rq->params);

	((int32_t *)q->map)[0] = 1 << 30;
	((int32_t *)q->map)[1] = -8;
	rq->count = 1;
	job_buf(j, 4ull * oc, bias);
}

/* Median milliseconds of one submit, after a warm-up. */
static double job_time(struct bench_job *j, const void *cmd, uint32_t cmd_size)
{
	struct qaccel_stream_header h = { QACCEL_STREAM_MAGIC, QACCEL_ISA_VERSION,
					  (uint32_t)sizeof(h) + cmd_size, 1, 0, { 0 } };
	double t[RUNS];

	if (j->ops->bo_create(j->st, h.size, &j->stream))
		return -1;
	memcpy(j->stream->map, &h, sizeof(h));
	memcpy((uint8_t *)j->stream->map + sizeof(h), cmd, cmd_size);
	if (j->ops->submit(j->st, j->stream, h.size, j->bo, j->nbo))
		return -1;
	for (int i = 0; i < RUNS; i++) {
		double s = now_ms();

		j->ops->submit(j->st, j->stream, h.size, j->bo, j->nbo);
		t[i] = now_ms() - s;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

static void job_free(struct bench_job *j)
{
	for (uint32_t i = 0; i < j->nbo; i++)
		j->ops->bo_destroy(j->st, j->bo[i]);
	j->ops->bo_destroy(j->st, j->stream);
	j->nbo = 0;
	j->stream = NULL;
}

static double qaccel_fc_ms(const struct qaccel_backend_ops *ops, void *st,
			   uint32_t m, uint32_t n, uint32_t k)
{
	struct bench_job j = { ops, st, NULL, { 0 }, 0, 0 };
	struct qaccel_cmd_fc c = { .hdr = { QACCEL_OP_FULLY_CONNECTED, sizeof(c) } };
	double ms;

	job_tensor(&j, &c.input, 1, 1, m, k);
	job_tensor(&j, &c.filter, 1, 1, n, k);
	c.filter.zero_point = 0;
	job_tensor(&j, &c.output, 1, 1, m, n);
	job_epilogue(&j, &c.bias, &c.requant, n);
	c.clamp = (struct qaccel_clamp){ -128, 127 };
	ms = job_time(&j, &c, sizeof(c));
	job_free(&j);
	return ms;
}

/* SAME-padded stride-1 convolution of an HxWxIC image to OC channels. */
static double qaccel_conv_ms(const struct qaccel_backend_ops *ops, void *st,
			     uint32_t hw, uint32_t ic, uint32_t oc, uint32_t kk)
{
	struct bench_job j = { ops, st, NULL, { 0 }, 0, 0 };
	struct qaccel_cmd_conv2d c = { .hdr = { QACCEL_OP_CONV_2D, sizeof(c) } };
	double ms;

	job_tensor(&j, &c.input, 1, hw, hw, ic);
	job_tensor(&j, &c.filter, oc, kk, kk, ic);
	c.filter.zero_point = 0;
	job_tensor(&j, &c.output, 1, hw, hw, oc);
	job_epilogue(&j, &c.bias, &c.requant, oc);
	c.win = (struct qaccel_window){ 1, 1, 1, 1, kk / 2, kk / 2 };
	c.clamp = (struct qaccel_clamp){ -128, 127 };
	ms = job_time(&j, &c, sizeof(c));
	job_free(&j);
	return ms;
}

/* CLBlast's context: one for the run, since CLBlast compiles per context. */
static cl_context blast_ctx;
static cl_command_queue blast_q;

/* CLBlast SGEMM, C = A * B^T, on its own context on the same device. */
static double sgemm_ms(cl_device_id dev, size_t m, size_t n, size_t k)
{
	cl_context ctx = blast_ctx;
	cl_command_queue q;
	float *host = malloc(4 * (m > n ? m : n) * k);
	cl_mem a = NULL, b = NULL, c = NULL;
	double t[RUNS], ms = -1;

	if (!blast_ctx) {
		blast_ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, NULL);
		blast_q = blast_ctx ? clCreateCommandQueue(blast_ctx, dev, 0, NULL) : NULL;
	}
	ctx = blast_ctx;
	q = blast_q;
	if (!q || !host)
		goto out;
	for (size_t i = 0; i < (m > n ? m : n) * k; i++)
		host[i] = (float)(rand() % 255 - 127);
	a = clCreateBuffer(ctx, CL_MEM_COPY_HOST_PTR, 4 * m * k, host, NULL);
	b = clCreateBuffer(ctx, CL_MEM_COPY_HOST_PTR, 4 * n * k, host, NULL);
	c = clCreateBuffer(ctx, CL_MEM_READ_WRITE, 4 * m * n, NULL, NULL);
	for (int i = -1; i < RUNS; i++) {
		double s = now_ms();

		if (CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeYes,
				 m, n, k, 1.0f, a, 0, k, b, 0, k, 0.0f, c, 0, n, &q, NULL) !=
		    CLBlastSuccess)
			goto out;
		clFinish(q);
		if (i >= 0)
			t[i] = now_ms() - s;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	ms = t[RUNS / 2];
out:
	if (a)
		clReleaseMemObject(a);
	if (b)
		clReleaseMemObject(b);
	if (c)
		clReleaseMemObject(c);
	free(host);
	return ms;
}

static void row(const char *what, double gop, double ms_q, double ms_s)
{
	printf("%-34s %10.1f %10.1f %10.1f %10.1f %8.2fx\n", what, ms_q, gop / ms_q * 1e3,
	       ms_s, ms_s > 0 ? gop / ms_s * 1e3 : 0, ms_s > 0 ? ms_s / ms_q : 0);
}

/* In a child process: load and run a model, print the program load time. */
static void model_build_ms(const char *device, const char *model, const char *label)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct qaccel_ctx_options o = { .struct_size = sizeof(o),
						.backend = QACCEL_BACKEND_OPENCL,
						.device = device };
		struct qaccel_ctx *ctx;
		struct qaccel_model *m;
		struct qcl_build_info bi;
		double s = now_ms();

		if (qaccel_ctx_create(&o, &ctx) || qaccel_model_load_file(ctx, model, &m) ||
		    qaccel_model_run(m) || qaccel_opencl_build_info(ctx->state, &bi)) {
			printf("  %-44s failed: %s\n", label, qaccel_last_error());
			_exit(1);
		}
		printf("  %-44s %8.1f ms in program builds (%s), %.1f ms to the first result\n",
		       label, bi.build_ms, bi.from_cache ? "binary from the cache" :
		       "built from source", now_ms() - s);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	const struct qaccel_backend_ops *ops = qaccel_backend_lookup(QACCEL_BACKEND_OPENCL);
	static const struct { uint32_t m, n, k; } gemms[] = {
		{ 256, 256, 256 }, { 512, 512, 512 }, { 1024, 1024, 1024 },
	};
	static const struct { uint32_t hw, ic, oc, kk; } convs[] = {
		{ 56, 64, 64, 3 }, { 28, 128, 128, 3 }, { 14, 256, 256, 3 }, { 28, 128, 256, 1 },
	};
	const char *device = NULL, *model = "tests/golden/models/mobilenet_v2.tflite";
	struct qaccel_ctx_options o = { .struct_size = sizeof(o),
					.backend = QACCEL_BACKEND_OPENCL };
	char label[128], tmpl[] = "/tmp/qaccel-bench-XXXXXX";
	void *st;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--device"))
			device = argv[i + 1];
		else if (!strcmp(argv[i], "--model"))
			model = argv[i + 1];
	}
	o.device = device;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* First, while this process has not touched OpenCL: the children fork
	 * from a process without driver threads. */
	printf("Program load, %s on the opencl backend:\n", model);
	if (mkdtemp(tmpl)) {
		setenv("XDG_CACHE_HOME", tmpl, 1);
		model_build_ms(device, model, "first process, empty cache:");
		model_build_ms(device, model, "second process, same cache:");
		if (fork() == 0) {
			execlp("rm", "rm", "-rf", tmpl, (char *)NULL);
			_exit(1);
		}
		wait(NULL);
	}
	printf("\n");
	if (!ops || ops->open(&o, &st)) {
		printf("opencl: no device, nothing to measure\n");
		return 0;
	}
	printf("OpenCL device: %s\n\n", ops->device_name(st));
	printf("%-34s %10s %10s %10s %10s %9s\n", "int8 (qaccel) vs fp32 (CLBlast)",
	       "qaccel ms", "GOP/s", "SGEMM ms", "GFLOP/s", "ratio");
	for (size_t i = 0; i < sizeof(gemms) / sizeof(gemms[0]); i++) {
		double gop = 2.0 * gemms[i].m * gemms[i].n * gemms[i].k / 1e9;

		snprintf(label, sizeof(label), "GEMM %ux%ux%u", gemms[i].m, gemms[i].n,
			 gemms[i].k);
		row(label, gop, qaccel_fc_ms(ops, st, gemms[i].m, gemms[i].n, gemms[i].k),
		    sgemm_ms(((struct qcl_state *)st)->dev.id, gemms[i].m, gemms[i].n,
			     gemms[i].k));
	}
	for (size_t i = 0; i < sizeof(convs) / sizeof(convs[0]); i++) {
		uint32_t m = convs[i].hw * convs[i].hw, k = convs[i].kk * convs[i].kk * convs[i].ic;
		double gop = 2.0 * m * convs[i].oc * k / 1e9;

		snprintf(label, sizeof(label), "conv %ux%ux%u -> %u, %ux%u", convs[i].hw,
			 convs[i].hw, convs[i].ic, convs[i].oc, convs[i].kk, convs[i].kk);
		row(label, gop, qaccel_conv_ms(ops, st, convs[i].hw, convs[i].ic, convs[i].oc,
					       convs[i].kk),
		    sgemm_ms(((struct qcl_state *)st)->dev.id, m, convs[i].oc, k));
	}
	ops->close(st);
	printf("\nratio: qaccel int8 operations per second over CLBlast fp32 ones; a\n"
	       "convolution's SGEMM is its im2col GEMM (the im2col itself not counted).\n");

	return 0;
}
