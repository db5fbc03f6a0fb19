// SPDX-License-Identifier: MIT
/* Calibration .npy files and folders. */
#include "calib.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runtime/io/npy.h"

static void shape_str(char *buf, size_t len, const int64_t *d, int rank)
{
	size_t o = 0;

	o += (size_t)snprintf(buf, len, "[");
	for (int i = 0; i < rank && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%lld", i ? "," : "",
				      (long long)d[i]);
	if (o < len)
		snprintf(buf + o, len - o, "]");
}

static bool same_dims(const int64_t *a, const int32_t *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* Samples in a (one, or a batch), or -1 if its shape does not fit the input. */
static long samples_in(const struct npy_array *a, const struct tfl_tensor *in)
{
	int r = in->rank;

	if (a->rank == r && same_dims(a->shape, in->shape, r))
		return 1;
	if (a->rank == r + 1 && same_dims(a->shape + 1, in->shape, r))
		return (long)a->shape[0];
	/* [N] + input shape without its leading batch of 1 */
	if (r >= 1 && in->shape[0] == 1 && a->rank == r &&
	    same_dims(a->shape + 1, in->shape + 1, r - 1))
		return (long)a->shape[0];
	return -1;
}

static int add_file(const char *path, const struct tfl_tensor *in, size_t max,
		    struct calib_set *cs, char *err, size_t errlen)
{
	struct npy_array a;
	char got[128], want[128];
	int64_t in_dims[TFL_MAX_RANK];
	size_t take;
	long n;
	int ret = npy_load(path, &a, err, errlen);
	float *grown;

	if (ret) {
		size_t l = strlen(err);

		snprintf(err + l, errlen > l ? errlen - l : 0,
			 " (calibration data must be float32, like input '%s')", in->name);
		return ret;
	}
	for (int i = 0; i < in->rank; i++)
		in_dims[i] = in->shape[i];
	shape_str(got, sizeof(got), a.shape, a.rank);
	shape_str(want, sizeof(want), in_dims, in->rank);
	if (a.dtype != NPY_F32) {
		snprintf(err, errlen, "%s: type %s, but the model input '%s' is float32",
			 path, npy_dtype_descr(a.dtype), in->name);
		ret = -EINVAL;
	} else if ((n = samples_in(&a, in)) < 0) {
		snprintf(err, errlen,
			 "%s: shape %s does not match the model input '%s' %s (expected [N]+%s or one sample)",
			 path, got, in->name, want, want);
		ret = -EINVAL;
	}
	if (ret)
		goto out;
	take = (size_t)n;
	if (max && cs->count + take > max)
		take = max - cs->count;
	for (size_t i = 0; i < take * cs->elems; i++)
		if (!isfinite(((const float *)a.data)[i])) {
			snprintf(err, errlen, "%s: sample %zu holds a NaN or infinity", path,
				 i / cs->elems);
			ret = -EINVAL;
			goto out;
		}
	if (!take)
		goto out;
	grown = realloc(cs->data, (cs->count + take) * cs->elems * sizeof(float));
	if (!grown) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	cs->data = grown;
	memcpy(cs->data + cs->count * cs->elems, a.data, take * cs->elems * sizeof(float));
	cs->count += take;
out:
	npy_free(&a);
	return ret;
}

static int is_npy(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && !strcmp(d->d_name + n - 4, ".npy");
}

int calib_load(const char *path, const struct tfl_tensor *input,
	       size_t max_samples, struct calib_set *cs, char *err, size_t errlen)
{
	struct stat st;
	int64_t e = tfl_tensor_elems(input);
	int ret = 0;

	memset(cs, 0, sizeof(*cs));
	if (e <= 0) {
		snprintf(err, errlen, "model input '%s' has no fixed size", input->name);
		return -EINVAL;
	}
	cs->elems = (size_t)e;
	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode)) {
		struct dirent **list;
		int n = scandir(path, &list, is_npy, alphasort);

		if (n < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			char file[4096];

			if (!ret && (!max_samples || cs->count < max_samples)) {
				snprintf(file, sizeof(file), "%s/%s", path, list[i]->d_name);
				ret = add_file(file, input, max_samples, cs, err, errlen);
			}
			free(list[i]);
		}
		free(list);
	} else {
		ret = add_file(path, input, max_samples, cs, err, errlen);
	}
	if (!ret && !cs->count) {
		snprintf(err, errlen, "%s: the calibration set is empty (no samples)", path);
		ret = -EINVAL;
	}
	if (ret)
		calib_free(cs);
	return ret;
}

void calib_free(struct calib_set *cs)
{
	free(cs->data);
	memset(cs, 0, sizeof(*cs));
}
