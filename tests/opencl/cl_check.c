// SPDX-License-Identifier: MIT
/*
 * cl_check: conformance-style checks of the opencl backend, after the
 * manner of the OpenCL CTS. For every OpenCL device found (and, for each,
 * the other integer dot-product path: emulated where the device has none),
 * every command, COUNT random cases (shapes, zero points, multipliers,
 * rounding modes, clamps, offsets) run through the backend and through the
 * reference kernels; every byte of every buffer must be equal. TAP, one
 * line per device and command; a failure prints the seed, the case and the
 * parameters, and `--op NAME --seed S --case I` runs that case alone.
 *
 *   cl_check [--count N] [--long] [--seed S] [--device SPEC] [--op NAME]
 *            [--case I]
 *   cl_check --build-info [--device SPEC]   where the program came from
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_gen.h"
#include "runtime/backend/opencl/cl_internal.h"
#include "runtime/ref/qaccel_ref.h"

#define QUICK_COUNT 40		/* per command and device variant: CI */
#define LONG_COUNT 400		/* --long: boards, and a release */
#define MAX_VARIANTS 32

void cg_seed(uint64_t seed);

struct opts {
	uint64_t seed;
	long count;
	long only_case;		/* -1: all */
	int big;
	int build_info;
	const char *device;
	uint32_t only_op;	/* 0: all */
};

/* The seed of one case: its own, so any case replays without the others. */
static uint64_t case_seed(uint64_t seed, uint32_t op, long i)
{
	return seed ^ ((uint64_t)op << 48) ^ ((uint64_t)i * 0x9e3779b97f4a7c15ull);
}

/* Runs c on the reference; the buffers' final bytes go to want[]. */
static void run_ref(const struct cg_case *c, uint8_t **want)
{
	struct qaccel_buf_view views[CG_MAX_BUFS];

	for (uint32_t i = 0; i < c->nbufs; i++) {
		want[i] = malloc(c->size[i] + 64);
		memcpy(want[i], c->data[i], c->size[i]);
		views[i].ptr = want[i];
		views[i].size = c->size[i];
	}
	qaccel_exec_cmd(c->hdr, views);
}

/* Runs c on the backend; 0 and got[] filled, or -errno. */
static int run_cl(const struct qaccel_backend_ops *ops, void *st,
		  const struct cg_case *c, uint8_t **got)
{
	struct qaccel_bo *bos[CG_MAX_BUFS] = { 0 }, *stream = NULL;
	struct qaccel_stream_header h = {
		.magic = QACCEL_STREAM_MAGIC, .version = QACCEL_ISA_VERSION,
		.num_cmds = 1,
	};
	uint32_t size = (uint32_t)sizeof(h) + c->hdr->size;
	int ret = ops->bo_create(st, size, &stream);

	for (uint32_t i = 0; i < c->nbufs && !ret; i++) {
		ret = ops->bo_create(st, c->size[i], &bos[i]);
		if (!ret)
			memcpy(bos[i]->map, c->data[i], c->size[i]);
	}
	if (!ret) {
		h.size = size;
		memcpy(stream->map, &h, sizeof(h));
		memcpy((uint8_t *)stream->map + sizeof(h), c->hdr, c->hdr->size);
		ret = ops->submit(st, stream, size, bos, c->nbufs);
	}
	for (uint32_t i = 0; i < c->nbufs; i++) {
		if (!ret) {
			got[i] = malloc(c->size[i]);
			memcpy(got[i], bos[i]->map, c->size[i]);
		}
		ops->bo_destroy(st, bos[i]);
	}
	ops->bo_destroy(st, stream);
	return ret;
}

/* 0 if every byte matches; else prints where the first difference is. */
static int compare(const struct cg_case *c, uint8_t **want, uint8_t **got)
{
	for (uint32_t b = 0; b < c->nbufs; b++)
		for (uint64_t i = 0; i < c->size[b]; i++)
			if (want[b][i] != got[b][i]) {
				printf("#   buffer %u byte %llu: reference %d, opencl %d\n", b,
				       (unsigned long long)i, (int8_t)want[b][i],
				       (int8_t)got[b][i]);
				return -1;
			}
	return 0;
}

/* One case; 0 pass, 1 mismatch or error (described). */
static int check_case(const struct qaccel_backend_ops *ops, void *st,
		      const struct opts *o, const char *spec, uint32_t op, long i)
{
	uint8_t *want[CG_MAX_BUFS] = { 0 }, *got[CG_MAX_BUFS] = { 0 };
	struct qaccel_validate_error err;
	struct cg_case c;
	char desc[1024];
	int ret, bad;

	cg_seed(case_seed(o->seed, op, i));
	if (cg_make(op, o->big, &c)) {
		printf("#   %s case %ld: the generator made no valid command\n",
		       qaccel_opcode_name(op), i);
		return 1;
	}
	{
		struct qaccel_stream_header h = { QACCEL_STREAM_MAGIC, QACCEL_ISA_VERSION,
						  (uint32_t)sizeof(h) + c.hdr->size, 1, 0,
						  { 0 } };
		uint64_t s[64];

		memcpy(s, &h, sizeof(h));
		memcpy((uint8_t *)s + sizeof(h), c.hdr, c.hdr->size);
		ret = qaccel_validate(s, h.size, c.size, c.nbufs, &err);
	}
	if (!ret) {
		run_ref(&c, want);
		ret = run_cl(ops, st, &c, got);
	}
	bad = ret || compare(&c, want, got);
	if (bad) {
		cg_describe(&c, desc, sizeof(desc));
		if (ret)
			printf("#   %s: %s (%d)\n", ret && !want[0] ? "rejected by the validator" :
			       "the backend failed", ret && !want[0] ? err.reason : "submit", ret);
		printf("#   FAIL %s\n#   replay: cl_check --device '%s' --op %s --seed 0x%llx"
		       " --case %ld%s\n", desc, spec, qaccel_opcode_name(op),
		       (unsigned long long)o->seed, i, o->big ? " --long" : "");
	}
	for (uint32_t b = 0; b < c.nbufs; b++) {
		free(want[b]);
		free(got[b]);
	}
	cg_free(&c);
	return bad;
}

static int parse(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .seed = 0x51ca5eed, .count = QUICK_COUNT, .only_case = -1 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end = NULL;

		if (!strcmp(a, "--build-info")) {
			o->build_info = 1;
			continue;
		}
		if (!strcmp(a, "--long")) {
			o->big = 1;
			o->count = LONG_COUNT;
			continue;
		}
		if (!v)
			return -1;
		i++;
		if (!strcmp(a, "--count")) {
			o->count = strtol(v, &end, 0);
		} else if (!strcmp(a, "--seed")) {
			o->seed = strtoull(v, &end, 0);
		} else if (!strcmp(a, "--case")) {
			o->only_case = strtol(v, &end, 0);
		} else if (!strcmp(a, "--device")) {
			o->device = v;
		} else if (!strcmp(a, "--op")) {
			for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++)
				if (!strcmp(v, qaccel_opcode_name(op)))
					o->only_op = op;
			if (!o->only_op)
				return -1;
		} else {
			return -1;
		}
		if (end && (*end || end == v))
			return -1;
	}
	return o->count < 1 ? -1 : 0;
}

/* Device specs to run: the one asked for, or every device and its other path. */
static int variants(const struct opts *o, char specs[][64])
{
	static struct qcl_device devs[MAX_VARIANTS / 2];
	int n = 0, nd;

	if (o->device) {
		snprintf(specs[n++], 64, "%s", o->device);
		return n;
	}
	nd = qcl_list_devices(devs, MAX_VARIANTS / 2);
	for (int d = 0; d < nd; d++) {
		snprintf(specs[n++], 64, "%d", d);
		snprintf(specs[n++], 64, "%d,%s", d, devs[d].dot == QCL_DOT_NONE ?
			 "dot=emulate" : "dot=off");
	}
	return n;
}

/* One line for tests of the program cache: opens the device once. */
static int build_info(const struct qaccel_backend_ops *ops, const char *device)
{
	struct qaccel_ctx_options co = { .struct_size = sizeof(co),
					 .backend = QACCEL_BACKEND_OPENCL, .device = device };
	struct qcl_build_info bi;
	void *st = NULL;

	if (!ops || ops->open(&co, &st) || qaccel_opencl_build_info(st, &bi)) {
		printf("no device\n");
		return 1;
	}
	printf("from_cache %d rejected %d build_ms %.1f\n", bi.from_cache,
	       bi.cache_rejected, bi.build_ms);
	ops->close(st);
	return 0;
}

int main(int argc, char **argv)
{
	const struct qaccel_backend_ops *ops = qaccel_backend_lookup(QACCEL_BACKEND_OPENCL);
	static char specs[MAX_VARIANTS][64];
	long total = 0, failed_total = 0;
	struct opts o;
	int nv, t = 0;

	if (parse(argc, argv, &o)) {
		fprintf(stderr, "usage: cl_check [--count N] [--long] [--seed S] "
			"[--device SPEC] [--op NAME] [--case I]\n");
		return 2;
	}
	if (o.build_info)
		return build_info(ops, o.device);
	nv = variants(&o, specs);
	if (!ops || !nv) {
		printf("1..0 # SKIP no OpenCL device found\n");
		return 0;
	}
	printf("1..%d\n", nv * (o.only_op ? 1 : QACCEL_OP_COUNT - 1));
	printf("# seed 0x%llx, %ld cases per command%s\n", (unsigned long long)o.seed,
	       o.only_case >= 0 ? 1 : o.count, o.big ? ", long mode shapes" : "");
	for (int v = 0; v < nv; v++) {
		struct qaccel_ctx_options co = { .struct_size = sizeof(co),
						 .backend = QACCEL_BACKEND_OPENCL,
						 .device = specs[v] };
		void *st = NULL;
		int ret = ops->open(&co, &st);

		if (!ret)
			printf("# device '%s': %s\n", specs[v], ops->device_name(st));
		for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
			long first = o.only_case >= 0 ? o.only_case : 0;
			long last = o.only_case >= 0 ? o.only_case + 1 : o.count, failed = 0;

			if (o.only_op && op != o.only_op)
				continue;
			if (ret) {
				printf("not ok %d - device '%s' %s: cannot open (%d)\n", ++t,
				       specs[v], qaccel_opcode_name(op), ret);
				failed_total++;
				continue;
			}
			for (long i = first; i < last; i++)
				failed += check_case(ops, st, &o, specs[v], op, i);
			total += last - first;
			failed_total += failed;
			printf("%sok %d - device '%s' %s: %ld of %ld cases bit-exact\n",
			       failed ? "not " : "", ++t, specs[v], qaccel_opcode_name(op),
			       last - first - failed, last - first);
			fflush(stdout);
		}
		if (!ret)
			ops->close(st);
	}
	printf("# %ld cases, %ld failed\n", total, failed_total);
	return failed_total ? 1 : 0;
}
