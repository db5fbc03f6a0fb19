// SPDX-License-Identifier: MIT
/*
 * make bench: median latency and peak memory of the bundled models on each
 * backend this machine has. Each measurement runs in its own child process
 * so that peak RSS belongs to that model and backend alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qaccel.h"
#include "tests/bench/bench_time.h"

struct result {
	double median_ms, min_ms;
	long peak_kib;
	size_t arena;
	int ok;
};

static void measure(const char *path, enum qaccel_backend_kind kind, int runs,
		    struct result *r)
{
	struct qaccel_ctx_options o = { .struct_size = sizeof(o), .backend = kind };
	struct qaccel_ctx *ctx;
	struct qaccel_model *m;
	struct qaccel_tensor_info ii;
	double *t = calloc(runs, sizeof(double));
	void *in;

	memset(r, 0, sizeof(*r));
	if (qaccel_ctx_create(&o, &ctx))
		return;
	if (qaccel_model_load_file(ctx, path, &m)) {
		qaccel_ctx_destroy(ctx);
		return;
	}
	qaccel_model_input_info(m, 0, &ii);
	in = calloc(1, ii.bytes);
	qaccel_model_set_input(m, 0, in, ii.bytes);
	qaccel_model_run(m);	/* warm-up */
	for (int i = 0; i < runs; i++) {
		double s = now_ms();

		qaccel_model_run(m);
		t[i] = now_ms() - s;
	}
	qsort(t, runs, sizeof(double), cmp_double);
	r->median_ms = t[runs / 2];
	r->min_ms = t[0];
	r->arena = qaccel_model_arena_size(m);
	r->ok = 1;
	qaccel_model_free(m);
	qaccel_ctx_destroy(ctx);
	free(in);
	free(t);
}

int main(int argc, char **argv)
{
	static const struct { const char *name, *path; int runs; } models[] = {
		{ "mobilenet_v2 0.35 96x96", "tests/golden/models/mobilenet_v2.tflite", 11 },
		{ "digits CNN 8x8", "tests/golden/models/digits.tflite", 201 },
	};
	static const enum qaccel_backend_kind kinds[] = {
		QACCEL_BACKEND_REF, QACCEL_BACKEND_CPU, QACCEL_BACKEND_DRM,
		QACCEL_BACKEND_OPENCL,
	};
	int scale = argc > 1 ? atoi(argv[1]) : 1;

	printf("%-26s %-8s %12s %12s %12s %12s\n", "model", "backend", "median ms",
	       "min ms", "peak RSS KiB", "arena bytes");
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			int fd[2];
			struct result r;
			pid_t pid;

			if (pipe(fd))
				return 1;
			pid = fork();
			if (pid == 0) {
				struct rusage ru;

				close(fd[0]);
				measure(models[i].path, kinds[k], models[i].runs * scale, &r);
				getrusage(RUSAGE_SELF, &ru);
				r.peak_kib = ru.ru_maxrss;
				if (write(fd[1], &r, sizeof(r)) != sizeof(r))
					_exit(1);
				_exit(0);
			}
			close(fd[1]);
			if (read(fd[0], &r, sizeof(r)) != sizeof(r))
				r.ok = 0;
			close(fd[0]);
			waitpid(pid, NULL, 0);
			if (!r.ok) {
				printf("%-26s %-8s %12s\n", models[i].name,
				       qaccel_backend_kind_name(kinds[k]), "unavailable");
				continue;
			}
			printf("%-26s %-8s %12.3f %12.3f %12ld %12zu\n", models[i].name,
			       qaccel_backend_kind_name(kinds[k]), r.median_ms, r.min_ms,
			       r.peak_kib, r.arena);
		}
	}
	printf("\nOne thread; the cpu backend runs the reference kernels until the\n"
	       "optimised ones land. Latency excludes loading; peak RSS includes it.\n");
	return 0;
}
