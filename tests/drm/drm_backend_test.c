// SPDX-License-Identifier: MIT
/*
 * The drm backend on a live qaccel device (run in the test VM by
 * mk/72-vm-golden.mk; skips where there is no device): auto picks it, the
 * device line names it, results equal the ref backend's byte for byte
 * (also from threads sharing one context), a run allocates no buffer and
 * freeing a model leaves none behind (debugfs), and a job the driver fails
 * or times out (fault injection) is an error with a message, after which
 * the next run works; below the model API, a stream or buffer the device
 * refuses gets the reason (the validator's rule and byte, the limit).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "qaccel.h"
#include "runtime/backend/backend.h"
#include "tests/drm/copy_stream.h"

#define PARAMS "/sys/module/qaccel/parameters/"
/*
 * The driver's job timeout while these tests run: under TCG the engine is
 * emulated, and a network in one job may outlast the default on a busy
 * host; the hang test sets a short one for itself.
 */
#define RUN_TIMEOUT_MS 30000
#define HANG_TIMEOUT_MS 300

static const char *model_path(const char *name)
{
	static char path[2][256];
	static int which;
	const char *dir = access("/golden/models", R_OK) ? "tests/golden/models" :
			  "/golden/models";

	which ^= 1;
	snprintf(path[which], sizeof(path[which]), "%s/%s", dir, name);
	return path[which];
}

static struct qaccel_ctx *open_ctx(enum qaccel_backend_kind kind)
{
	struct qaccel_ctx_options o = { .struct_size = sizeof(o), .backend = kind };
	struct qaccel_ctx *ctx = NULL;

	if (qaccel_ctx_create(&o, &ctx))
		return NULL;
	return ctx;
}

/* Deterministic input bytes, different per seed. */
static void fill(int8_t *p, size_t n, unsigned int seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (int8_t)x;
	}
}

/* One sample through m: 0 and out filled, or the run's -errno. */
static int infer(struct qaccel_model *m, unsigned int seed, int8_t *out)
{
	struct qaccel_tensor_info ii, oi;
	int8_t *in;
	int ret;

	qaccel_model_input_info(m, 0, &ii);
	qaccel_model_output_info(m, 0, &oi);
	in = malloc(ii.bytes);
	if (!in)
		return -ENOMEM;
	fill(in, ii.bytes, seed);
	ret = qaccel_model_set_input(m, 0, in, ii.bytes);
	free(in);
	if (!ret)
		ret = qaccel_model_run(m);
	if (!ret)
		ret = qaccel_model_get_output(m, 0, out, oi.bytes);
	return ret;
}

/* The ref backend's output for one sample of a model. */
static int ref_output(const char *path, unsigned int seed, int8_t *out)
{
	struct qaccel_ctx *ctx = open_ctx(QACCEL_BACKEND_REF);
	struct qaccel_model *m;
	int ret;

	if (!ctx)
		return -ENODEV;
	ret = qaccel_model_load_file(ctx, path, &m);
	if (!ret) {
		ret = infer(m, seed, out);
		qaccel_model_free(m);
	}
	qaccel_ctx_destroy(ctx);
	return ret;
}

static int write_param(const char *name, long v)
{
	char p[128];
	FILE *f;
	int ret;

	snprintf(p, sizeof(p), PARAMS "%s", name);
	f = fopen(p, "w");
	if (!f)
		return -errno;
	ret = fprintf(f, "%ld\n", v) < 0;
	return fclose(f) || ret ? -EIO : 0;
}

static long read_param(const char *name)
{
	char p[128];
	long v = -1;
	FILE *f;

	snprintf(p, sizeof(p), PARAMS "%s", name);
	f = fopen(p, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* "bos N" from the device's debugfs state, or -1. */
static long live_bos(void)
{
	char line[128], p[96];
	long v = -1;

	for (int minor = 0; minor < 256 && v < 0; minor++) {
		FILE *f;

		snprintf(p, sizeof(p), "/sys/kernel/debug/dri/%d/qaccel_state", minor);
		f = fopen(p, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "bos %ld", &v) == 1)
				break;
		fclose(f);
	}
	return v;
}

/*
 * live_bos() once it equals want, or its last value after 5 s: a finished
 * job drops its buffer references a little after its fence signals.
 */
static long bos_settle(long want)
{
	long v = live_bos();

	for (int i = 0; i < 500 && v != want; i++) {
		usleep(10000);
		v = live_bos();
	}
	return v;
}

/* live_bos() once two reads 20 ms apart agree (other files' jobs done). */
static long bos_steady(void)
{
	long v = live_bos(), prev = -2;

	for (int i = 0; i < 250 && v != prev; i++) {
		usleep(20000);
		prev = v;
		v = live_bos();
	}
	return v;
}

FIXTURE(drm) {
	struct qaccel_ctx *ctx;
	struct qaccel_model *m;
	int8_t want[10], got[10];
};

FIXTURE_SETUP(drm)
{
	self->ctx = open_ctx(QACCEL_BACKEND_DRM);
	self->m = NULL;
	ASSERT_NE(self->ctx, NULL) TH_LOG("%s", qaccel_last_error());
	ASSERT_EQ(qaccel_model_load_file(self->ctx, model_path("digits.tflite"),
					 &self->m), 0) TH_LOG("%s", qaccel_last_error());
	ASSERT_EQ(ref_output(model_path("digits.tflite"), 7, self->want), 0);
}

FIXTURE_TEARDOWN(drm)
{
	qaccel_model_free(self->m);
	if (self->ctx)
		qaccel_ctx_destroy(self->ctx);
}

TEST_F(drm, auto_picks_drm_and_names_the_device)
{
	struct qaccel_ctx *ctx = open_ctx(QACCEL_BACKEND_AUTO);
	const char *name;

	ASSERT_NE(ctx, NULL);
	ASSERT_STREQ(qaccel_ctx_backend_name(ctx), "drm");
	name = qaccel_ctx_device_name(ctx);
	TH_LOG("%s", name);
	ASSERT_EQ(strncmp(name, "qaccel at /dev/", 15), 0);
	ASSERT_NE(strstr(name, "ABI 1"), NULL);
	ASSERT_NE(strstr(name, "job timeout"), NULL);
	qaccel_ctx_destroy(ctx);
}

TEST_F(drm, same_bytes_as_ref)
{
	static const char *const models[] = { "digits.tflite", "mobilenet_v2.tflite" };

	for (size_t k = 0; k < sizeof(models) / sizeof(models[0]); k++) {
		struct qaccel_tensor_info oi;
		struct qaccel_model *m;
		int8_t *want, *got;

		ASSERT_EQ(qaccel_model_load_file(self->ctx, model_path(models[k]), &m), 0);
		qaccel_model_output_info(m, 0, &oi);
		want = malloc(oi.bytes);
		got = malloc(oi.bytes);
		for (unsigned int seed = 1; seed <= 5; seed++) {
			ASSERT_EQ(ref_output(model_path(models[k]), seed, want), 0);
			ASSERT_EQ(infer(m, seed, got), 0) TH_LOG("%s", qaccel_last_error());
			ASSERT_EQ(memcmp(got, want, oi.bytes), 0)
				TH_LOG("%s, input %u: drm differs from ref", models[k], seed);
		}
		free(want);
		free(got);
		qaccel_model_free(m);
	}
}

TEST_F(drm, load_makes_three_buffers_runs_and_free_leak_none)
{
	long before = bos_steady(), loaded, after_runs;
	struct qaccel_model *m;

	if (before < 0)
		SKIP(return, "no qaccel_state in debugfs");
	ASSERT_EQ(qaccel_model_load_file(self->ctx, model_path("digits.tflite"), &m), 0);
	/* stream, constants, arena: weights are uploaded once, here */
	loaded = bos_settle(before + 3);
	ASSERT_EQ(loaded, before + 3);
	for (int i = 0; i < 10; i++)
		ASSERT_EQ(infer(m, 7, self->got), 0);
	after_runs = bos_settle(loaded);
	ASSERT_EQ(after_runs, loaded);
	ASSERT_EQ(memcmp(self->got, self->want, sizeof(self->want)), 0);
	qaccel_model_free(m);
	ASSERT_EQ(bos_settle(before), before);
}

TEST_F(drm, failed_job_is_an_error_then_runs_resume)
{
	int ret;

	if (write_param("fault_fail", 1))
		SKIP(return, "cannot write " PARAMS "fault_fail (root, qaccel.ko)");
	ret = infer(self->m, 7, self->got);
	write_param("fault_fail", 0);
	ASSERT_EQ(ret, -EIO);
	TH_LOG("%s", qaccel_last_error());
	ASSERT_NE(strstr(qaccel_last_error(), "drm backend: run failed"), NULL);
	ASSERT_NE(strstr(qaccel_last_error(), "the job failed"), NULL);
	ASSERT_EQ(infer(self->m, 7, self->got), 0) TH_LOG("%s", qaccel_last_error());
	ASSERT_EQ(memcmp(self->got, self->want, sizeof(self->want)), 0);
}

TEST_F(drm, timed_out_job_is_an_error_then_runs_resume)
{
	long timeout = read_param("timeout_ms");
	int ret;

	if (timeout < 0 || write_param("timeout_ms", HANG_TIMEOUT_MS) ||
	    write_param("fault_hang", 1))
		SKIP(return, "cannot write " PARAMS "fault_hang (root, qaccel.ko)");
	ret = infer(self->m, 7, self->got);
	write_param("fault_hang", 0);
	write_param("timeout_ms", timeout);
	ASSERT_EQ(ret, -ETIMEDOUT);
	TH_LOG("%s", qaccel_last_error());
	ASSERT_NE(strstr(qaccel_last_error(), "timeout"), NULL);
	ASSERT_EQ(infer(self->m, 7, self->got), 0) TH_LOG("%s", qaccel_last_error());
	ASSERT_EQ(memcmp(self->got, self->want, sizeof(self->want)), 0);
}

/*
 * Below the model API (which never submits what its validator refused):
 * the backend's own answers to a stream and buffers the device refuses.
 */
TEST(backend_says_why_the_device_refuses)
{
	const struct qaccel_backend_ops *ops = qaccel_backend_lookup(QACCEL_BACKEND_DRM);
	struct qaccel_ctx_options o = { .struct_size = sizeof(o) };
	struct qaccel_bo *stream, *data, *huge;
	uint32_t n;
	void *st;

	ASSERT_NE(ops, NULL);
	ASSERT_EQ(ops->open(&o, &st), 0);
	ASSERT_EQ(ops->bo_create(st, 4096, &stream), 0);
	ASSERT_EQ(ops->bo_create(st, 64, &data), 0);

	/* Good first: the byte is copied. */
	n = copy_stream(stream->map, 8);
	((uint8_t *)data->map)[0] = 42;
	ASSERT_EQ(ops->submit(st, stream, n, &data, 1), 0) TH_LOG("%s", qaccel_last_error());
	ASSERT_EQ(((uint8_t *)data->map)[8], 42);

	/* Past the buffer's end (the kernel checks its page-rounded size). */
	n = copy_stream(stream->map, 8192);
	ASSERT_LT(ops->submit(st, stream, n, &data, 1), 0);
	TH_LOG("%s", qaccel_last_error());
	ASSERT_NE(strstr(qaccel_last_error(), "the stream is invalid at byte 32"), NULL);

	((struct qaccel_stream_header *)stream->map)->magic ^= 1;
	ASSERT_LT(ops->submit(st, stream, n, &data, 1), 0);
	ASSERT_NE(strstr(qaccel_last_error(), "invalid at byte 0"), NULL);

	ASSERT_EQ(ops->submit(st, stream, 2u << 20, &data, 1), -EINVAL);
	ASSERT_EQ(ops->bo_create(st, (size_t)1 << 40, &huge), -E2BIG);
	ASSERT_NE(strstr(qaccel_last_error(), "this device's largest is"), NULL);

	ops->bo_destroy(st, data);
	ops->bo_destroy(st, stream);
	ops->close(st);
}

struct worker {
	struct qaccel_ctx *ctx;
	unsigned int id;
	int errors;
	char why[256];
};

#define WORKERS 4
#define RUNS 25

static void *work(void *arg)
{
	struct worker *w = arg;
	struct qaccel_model *m;
	int8_t want[10], got[10];

	if (qaccel_model_load_file(w->ctx, model_path("digits.tflite"), &m)) {
		snprintf(w->why, sizeof(w->why), "%s", qaccel_last_error());
		w->errors++;
		return NULL;
	}
	for (unsigned int i = 0; i < RUNS; i++) {
		unsigned int seed = w->id * 1000 + i % 3;

		if (ref_output(model_path("digits.tflite"), seed, want) ||
		    infer(m, seed, got)) {
			snprintf(w->why, sizeof(w->why), "%s", qaccel_last_error());
			w->errors++;
		} else if (memcmp(got, want, sizeof(got))) {
			snprintf(w->why, sizeof(w->why), "run %u differs from ref", i);
			w->errors++;
		}
	}
	qaccel_model_free(m);
	return NULL;
}

TEST_F_TIMEOUT(drm, threads_share_one_context, 120)
{
	struct worker w[WORKERS];
	pthread_t t[WORKERS];

	for (unsigned int i = 0; i < WORKERS; i++) {
		w[i] = (struct worker){ .ctx = self->ctx, .id = i + 1 };
		ASSERT_EQ(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (unsigned int i = 0; i < WORKERS; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(w[i].errors, 0) TH_LOG("thread %u: %s", i, w[i].why);
	}
}

static long saved_timeout = -1;

/* At exit (the harness ends with exit()): the driver's timeout as it was. */
static void restore_timeout(void)
{
	if (saved_timeout >= 0)
		write_param("timeout_ms", saved_timeout);
}

/* Without a device there is nothing to test here: say so once. */
int main(int argc, char **argv)
{
	struct qaccel_ctx *ctx = open_ctx(QACCEL_BACKEND_DRM);

	if (!ctx) {
		printf("1..0 # SKIP %s\n", qaccel_last_error());
		return 0;
	}
	qaccel_ctx_destroy(ctx);
	saved_timeout = read_param("timeout_ms");
	if (saved_timeout >= 0 && !atexit(restore_timeout))
		write_param("timeout_ms", RUN_TIMEOUT_MS);
	return test_harness_run(argc, argv);
}
