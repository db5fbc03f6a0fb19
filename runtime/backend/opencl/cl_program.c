// SPDX-License-Identifier: MIT
/*
 * The program: every kernel of opencl_kernels/ in one build per device.
 * Binaries are cached on disk, one file per (platform and device name,
 * device and driver version, build options, source hash), under
 * $XDG_CACHE_HOME/qaccel/opencl (~/.cache when unset), so a second process
 * builds nothing. An entry is trusted only if its header, its key and the
 * checksum of its binary all match and the driver accepts it; anything
 * else is rebuilt from source and written again (atomically, by rename).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cl_internal.h"

#define CACHE_MAGIC "QACLBIN1"

/* File layout: this header, the key, then the binary. */
struct cache_header {
	char magic[8];
	uint32_t key_len;
	uint32_t reserved;
	uint64_t bin_len;
	uint64_t bin_hash;
};

static uint64_t fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ull

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0755) && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int qcl_cache_dir(char *buf, size_t len)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	/* The XDG rule: only an absolute XDG_CACHE_HOME counts. */
	if (x && x[0] == '/')
		n = snprintf(buf, len, "%s/qaccel/opencl", x);
	else if (home && home[0] == '/')
		n = snprintf(buf, len, "%s/.cache/qaccel/opencl", home);
	else
		return -ENOENT;
	return n > 0 && (size_t)n < len ? 0 : -ENAMETOOLONG;
}

/* The key names everything the binary depends on. */
static char *cache_key(const struct qcl_device *dev, const char *opts)
{
	uint64_t src = fnv1a(qaccel_opencl_source, qaccel_opencl_source_len, FNV_INIT);
	size_t n = strlen(dev->name) + strlen(dev->driver) + strlen(dev->version) +
		   strlen(opts) + 64;
	char *key = malloc(n);

	if (key)
		snprintf(key, n, "%s\n%s\n%s\n%s\nsrc %016llx\n", dev->name,
			 dev->version, dev->driver, opts, (unsigned long long)src);
	return key;
}

/* The entry's binary if every check passes, else NULL. */
static unsigned char *cache_read(const char *path, const char *key, size_t *len)
{
	struct cache_header h;
	unsigned char *bin = NULL;
	size_t key_len = strlen(key);
	char *k = NULL;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	if (fread(&h, sizeof(h), 1, f) != 1 || memcmp(h.magic, CACHE_MAGIC, 8) ||
	    h.key_len != key_len || h.reserved || !h.bin_len || h.bin_len > (1u << 30))
		goto bad;
	k = malloc(key_len);
	bin = malloc(h.bin_len);
	if (!k || !bin || fread(k, 1, key_len, f) != key_len || memcmp(k, key, key_len) ||
	    fread(bin, 1, h.bin_len, f) != h.bin_len || fgetc(f) != EOF ||
	    fnv1a(bin, h.bin_len, FNV_INIT) != h.bin_hash)
		goto bad;
	free(k);
	fclose(f);
	*len = h.bin_len;
	return bin;
bad:
	free(k);
	free(bin);
	fclose(f);
	return NULL;
}

static void cache_write(const char *path, const char *key, const unsigned char *bin,
			size_t len)
{
	struct cache_header h = { .key_len = (uint32_t)strlen(key), .bin_len = len,
				  .bin_hash = fnv1a(bin, len, FNV_INIT) };
	char tmp[4200];
	FILE *f;
	int ok;

	memcpy(h.magic, CACHE_MAGIC, 8);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "wb");
	if (!f)
		return;
	ok = fwrite(&h, sizeof(h), 1, f) == 1 &&
	     fwrite(key, 1, h.key_len, f) == h.key_len &&
	     fwrite(bin, 1, len, f) == len;
	ok = !fclose(f) && ok;
	/* A failed write leaves no entry: the next run builds again. */
	if (!ok || rename(tmp, path))
		unlink(tmp);
}

/* The device binary of a built program, malloc'd. */
static unsigned char *program_binary(cl_program prog, size_t *len)
{
	unsigned char *bin;

	if (clGetProgramInfo(prog, CL_PROGRAM_BINARY_SIZES, sizeof(*len), len, NULL) ||
	    !*len)
		return NULL;
	bin = malloc(*len);
	if (bin && clGetProgramInfo(prog, CL_PROGRAM_BINARIES, sizeof(bin), &bin, NULL)) {
		free(bin);
		return NULL;
	}
	return bin;
}

static cl_program build_from_binary(struct qcl_state *st, const unsigned char *bin,
				    size_t len, const char *opts)
{
	cl_int status = CL_SUCCESS, err = CL_SUCCESS;
	cl_program p = clCreateProgramWithBinary(st->ctx, 1, &st->dev.id, &len, &bin,
						 &status, &err);

	if (!p)
		return NULL;
	if (err || status || clBuildProgram(p, 1, &st->dev.id, opts, NULL, NULL)) {
		clReleaseProgram(p);
		return NULL;
	}
	return p;
}

static int build_from_source(struct qcl_state *st, const char *opts, cl_program *out)
{
	const char *src = qaccel_opencl_source;
	cl_int err = CL_SUCCESS;
	cl_program p = clCreateProgramWithSource(st->ctx, 1, &src,
						 &qaccel_opencl_source_len, &err);

	if (!p)
		return -ENOMEM;
	err = clBuildProgram(p, 1, &st->dev.id, opts, NULL, NULL);
	if (err) {
		char log[4096] = "";

		clGetProgramBuildInfo(p, st->dev.id, CL_PROGRAM_BUILD_LOG, sizeof(log) - 1,
				      log, NULL);
		fprintf(stderr, "qaccel: opencl: building the kernels for %s failed (%d):\n%s\n",
			st->dev.name, err, log);
		clReleaseProgram(p);
		return -EIO;
	}
	*out = p;
	return 0;
}

int qcl_program_load(struct qcl_state *st)
{
	char opts[512], dir[4000], path[4096];
	unsigned char *bin = NULL;
	size_t len = 0;
	double t0 = now_ms();
	char *key;
	int ret = 0, have_dir;

	qcl_build_options(&st->dev, opts, sizeof(opts));
	key = cache_key(&st->dev, opts);
	if (!key)
		return -ENOMEM;
	have_dir = !qcl_cache_dir(dir, sizeof(dir)) &&
		   (size_t)snprintf(path, sizeof(path), "%s/%016llx.bin", dir,
				    (unsigned long long)fnv1a(key, strlen(key), FNV_INIT)) <
			   sizeof(path);
	memset(&st->build, 0, sizeof(st->build));
	if (have_dir) {
		bin = cache_read(path, key, &len);
		if (bin)
			st->prog = build_from_binary(st, bin, len, opts);
		st->build.cache_rejected = !st->prog && !access(path, F_OK);
		st->build.from_cache = st->prog != NULL;
		free(bin);
		bin = NULL;
	}
	if (!st->prog) {
		ret = build_from_source(st, opts, &st->prog);
		if (!ret && have_dir && !mkdir_p(dir)) {
			bin = program_binary(st->prog, &len);
			if (bin)
				cache_write(path, key, bin, len);
			free(bin);
		}
	}
	st->build.build_ms = now_ms() - t0;
	free(key);
	return ret;
}
