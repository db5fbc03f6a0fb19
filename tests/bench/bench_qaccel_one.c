// SPDX-License-Identifier: MIT
/*
 * One qaccel measurement for tests/bench/bench_cpu.py, in its own process
 * so that its peak memory is its own:
 *
 *   bench_qaccel_one MODEL ref|cpu THREADS RUNS
 *
 * prints "median_ms min_ms peak_rss_kib base_rss_kib first_ms": latency of
 * qaccel_model_run() after one warm-up run (loading excluded), the peak
 * resident set of the process, its resident set before the model was
 * loaded (what the program itself costs), and the latency of the first
 * run after loading (the warm-up: weight packing and first touches
 * included), which a one-shot `qaccel run` pays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qaccel.h"
#include "tests/bench/bench_time.h"

static long rss_kib(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * 4;
}

/*
 * The process's own peak resident set (VmHWM). Not getrusage's ru_maxrss:
 * that keeps the peak of the process this one was forked from across
 * exec, so a small model would show the Python bench's size.
 */
static long peak_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

int main(int argc, char **argv)
{
	struct qaccel_ctx_options o = { .struct_size = sizeof(o) };
	struct qaccel_tensor_info ii;
	struct qaccel_ctx *ctx;
	struct qaccel_model *m;
	int runs;
	double *t, first;
	long base;
	void *in;

	if (argc != 5) {
		fprintf(stderr, "usage: bench_qaccel_one MODEL ref|cpu THREADS RUNS\n");
		return 2;
	}
	o.backend = !strcmp(argv[2], "ref") ? QACCEL_BACKEND_REF : QACCEL_BACKEND_CPU;
	o.threads = atoi(argv[3]);
	runs = atoi(argv[4]);
	if (runs < 1 || runs > 100000)
		return 2;
	base = rss_kib();
	if (qaccel_ctx_create(&o, &ctx) || qaccel_model_load_file(ctx, argv[1], &m)) {
		fprintf(stderr, "bench_qaccel_one: %s\n", qaccel_last_error());
		return 1;
	}
	qaccel_model_input_info(m, 0, &ii);
	in = calloc(1, ii.bytes);
	t = calloc((size_t)runs, sizeof(*t));
	if (!in || !t)
		return 1;
	for (size_t i = 0; i < ii.bytes; i++)
		((unsigned char *)in)[i] = (unsigned char)(i * 37 + 11);
	qaccel_model_set_input(m, 0, in, ii.bytes);
	first = now_ms();
	if (qaccel_model_run(m))	/* warm-up: packs weights, touches memory */
		return 1;
	first = now_ms() - first;
	for (int i = 0; i < runs; i++) {
		double s = now_ms();

		if (qaccel_model_run(m))
			return 1;
		t[i] = now_ms() - s;
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	printf("%.4f %.4f %ld %ld %.4f\n", t[runs / 2], t[0], peak_kib(), base, first);
	qaccel_model_free(m);
	qaccel_ctx_destroy(ctx);
	free(in);
	free(t);
	return 0;
}
