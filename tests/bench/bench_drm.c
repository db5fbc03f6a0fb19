// SPDX-License-Identifier: MIT
/*
 * make bench-vm: what the driver costs, measured on a live qaccel device
 * (in the test VM; also runs on a board). Every number comes with its
 * peer from the same run:
 *
 *   - a null job (one 1-byte COPY) submitted and waited for, beside a
 *     DRM_IOCTL_VERSION round trip, the floor of any ioctl;
 *   - BO_CREATE + mmap + first write + munmap + GEM_CLOSE per second,
 *     beside the same with anonymous memory;
 *   - model latency on the drm backend beside the cpu backend.
 *
 *   bench_drm [MODEL_DIR]      (default tests/golden/models)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "qaccel.h"
#include "tests/driver/qaccel_dev.h"
#include "tests/drm/copy_stream.h"
#include "tests/bench/bench_time.h"

#define MAX_SAMPLES 4000
#define BUDGET_S 1.0		/* seconds per measurement, at most */

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n ? v[n / 2] : 0;
}

/* Median microseconds of fn over up to MAX_SAMPLES calls in BUDGET_S. */
static double time_us(int (*fn)(void *), void *arg, int *runs, int *err)
{
	static double t[MAX_SAMPLES];
	double start = now_s();
	int n = 0;

	*err = 0;
	while (n < MAX_SAMPLES && (n < 20 || now_s() - start < BUDGET_S)) {
		double s = now_s();
		int ret = fn(arg);

		if (ret) {
			*err = ret;
			break;
		}
		t[n++] = (now_s() - s) * 1e6;
	}
	*runs = n;
	return median(t, n);
}

struct job {
	int fd;
	struct qd_bo data, stream;
	struct drm_qaccel_buf_entry ent;
	struct drm_qaccel_submit sub;
	uint32_t syncobj;
};

static int do_version(void *arg)
{
	struct job *j = arg;
	struct drm_version v = { 0 };

	return qd_ioctl(j->fd, DRM_IOCTL_VERSION, &v);
}

static int do_submit_syncobj(void *arg)
{
	struct job *j = arg;
	struct drm_qaccel_submit s = j->sub;

	s.out_syncobj = j->syncobj;
	if (qd_submit_raw(j->fd, &s))
		return -errno;
	return drmSyncobjWait(j->fd, &j->syncobj, 1, INT64_MAX, 0, NULL) ? -errno : 0;
}

static int do_submit_bo_wait(void *arg)
{
	struct job *j = arg;
	struct drm_qaccel_submit s = j->sub;
	int ret = qd_submit_raw(j->fd, &s);

	return ret ? ret : qd_bo_wait(j->fd, j->data.handle, 10000 * QD_NS_PER_MS);
}

static void print_us(const char *what, double us, int runs, int err)
{
	if (err)
		printf("  %-44s failed: %s\n", what, strerror(-err));
	else
		printf("  %-44s %10.1f us  (median of %d)\n", what, us, runs);
}

static void bench_ioctls(int fd)
{
	struct job j = { .fd = fd };
	struct qaccel_validate_error verr;
	uint64_t size = 64;
	uint32_t n;
	int runs, err;
	double us;

	if (qd_bo_upload(fd, NULL, 4096, &j.data) ||
	    qd_bo_upload(fd, NULL, 4096, &j.stream) ||
	    drmSyncobjCreate(fd, 0, &j.syncobj)) {
		printf("  cannot set up the null job: %s\n", strerror(errno));
		return;
	}
	n = copy_stream(j.stream.map, 8);
	if (qaccel_validate(j.stream.map, n, &size, 1, &verr)) {
		printf("  null job rejected by the validator: %s\n", verr.reason);
		return;
	}
	j.ent = (struct drm_qaccel_buf_entry){ .handle = j.data.handle,
		.flags = DRM_QACCEL_BUF_READ | DRM_QACCEL_BUF_WRITE };
	j.sub = (struct drm_qaccel_submit){ .stream_handle = j.stream.handle,
		.stream_size = n, .buf_count = 1, .bufs = (uintptr_t)&j.ent,
		.buf_entry_size = sizeof(j.ent) };
	j.data.map[0] = 42;

	printf("round trips\n");
	us = time_us(do_version, &j, &runs, &err);
	print_us("DRM_IOCTL_VERSION (the floor)", us, runs, err);
	us = time_us(do_submit_syncobj, &j, &runs, &err);
	print_us("null job: SUBMIT + out-syncobj wait", us, runs, err);
	us = time_us(do_submit_bo_wait, &j, &runs, &err);
	print_us("null job: SUBMIT + BO_WAIT", us, runs, err);
	if (!err && j.data.map[8] != 42)
		printf("  null job did not copy its byte: results above are void\n");

	drmSyncobjDestroy(fd, j.syncobj);
	qd_bo_free(fd, &j.stream);
	qd_bo_free(fd, &j.data);
}

/*
 * One buffer made, mapped, written once and released: a GEM object, or
 * (fd < 0) anonymous memory, the floor any mapping pays.
 */
static int one_buffer(int fd, size_t size)
{
	struct qd_bo b;
	void *p;
	int ret;

	if (fd < 0) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
		*(volatile uint8_t *)p = 1;
		return munmap(p, size) ? -errno : 0;
	}
	ret = qd_bo_upload(fd, NULL, size, &b);
	if (ret)
		return ret;
	*(volatile uint8_t *)b.map = 1;
	qd_bo_free(fd, &b);
	return 0;
}

static void bench_bos(int fd)
{
	static const size_t sizes[] = { 4096, 1 << 20 };

	printf("buffers made, mapped, written once and released, per second\n");
	printf("  %-10s %24s %28s\n", "size", "GEM: BO_CREATE, mmap,", "anonymous: mmap, munmap");
	printf("  %-10s %24s %28s\n", "", "munmap, GEM_CLOSE", "(the floor)");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		double rate[2];
		int ret = 0;

		for (int k = 0; k < 2 && !ret; k++) {
			double start = now_s(), el = 0;
			long n = 0;

			do {
				ret = one_buffer(k ? -1 : fd, sizes[i]);
				n += !ret;
			} while (!ret && (el = now_s() - start) < BUDGET_S);
			rate[k] = el > 0 ? (double)n / el : 0;
		}
		if (ret)
			printf("  %7zu KiB  failed: %s\n", sizes[i] >> 10, strerror(-ret));
		else
			printf("  %6zu KiB %24.0f %28.0f\n", sizes[i] >> 10, rate[0], rate[1]);
	}
}

/* Median ms per run of a model on a backend; negative errno if none. */
static double model_ms(const char *path, enum qaccel_backend_kind kind, int *runs)
{
	static double t[MAX_SAMPLES];
	struct qaccel_ctx_options o = { .struct_size = sizeof(o), .backend = kind };
	struct qaccel_tensor_info ii;
	struct qaccel_ctx *ctx;
	struct qaccel_model *m;
	double start;
	void *in;
	int n = 0, ret;

	ret = qaccel_ctx_create(&o, &ctx);
	if (ret)
		return ret;
	ret = qaccel_model_load_file(ctx, path, &m);
	if (ret) {
		qaccel_ctx_destroy(ctx);
		return ret;
	}
	qaccel_model_input_info(m, 0, &ii);
	in = calloc(1, ii.bytes);
	qaccel_model_set_input(m, 0, in, ii.bytes);
	ret = qaccel_model_run(m);	/* warm-up */
	start = now_s();
	while (!ret && n < MAX_SAMPLES && (n < 5 || now_s() - start < 2 * BUDGET_S)) {
		double s = now_s();

		ret = qaccel_model_run(m);
		t[n++] = (now_s() - s) * 1e3;
	}
	free(in);
	qaccel_model_free(m);
	qaccel_ctx_destroy(ctx);
	*runs = n;
	return ret ? ret : median(t, n);
}

static void bench_models(const char *dir)
{
	static const struct { const char *name, *file; } models[] = {
		{ "mobilenet_v2 0.35 96x96", "mobilenet_v2.tflite" },
		{ "digits CNN 8x8", "digits.tflite" },
	};

	printf("model latency, median ms per run (%ld CPU online, each backend's default threads)\n",
	       sysconf(_SC_NPROCESSORS_ONLN));
	printf("  %-26s %12s %12s %9s\n", "model", "cpu", "drm", "drm/cpu");
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		char path[512];
		int rc, rd;
		double c, d;

		snprintf(path, sizeof(path), "%s/%s", dir, models[i].file);
		c = model_ms(path, QACCEL_BACKEND_CPU, &rc);
		d = model_ms(path, QACCEL_BACKEND_DRM, &rd);
		if (c < 0 || d < 0) {
			printf("  %-26s failed: %s\n", models[i].name, qaccel_last_error());
			continue;
		}
		printf("  %-26s %12.3f %12.3f %9.2f\n", models[i].name, c, d, d / c);
	}
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/golden/models";
	struct qaccel_ctx_options o = { .struct_size = sizeof(o),
					.backend = QACCEL_BACKEND_DRM };
	struct qaccel_ctx *ctx;
	int fd;

	if (qaccel_ctx_create(&o, &ctx)) {
		printf("bench_drm: %s\n", qaccel_last_error());
		return 1;
	}
	printf("device: %s\n", qaccel_ctx_device_name(ctx));
	qaccel_ctx_destroy(ctx);
	fd = qd_open();
	if (fd < 0) {
		printf("bench_drm: no qaccel render node under /dev/dri\n");
		return 1;
	}
	bench_ioctls(fd);
	bench_bos(fd);
	close(fd);
	bench_models(dir);
	return 0;
}
