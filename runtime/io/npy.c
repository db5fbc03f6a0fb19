// SPDX-License-Identifier: MIT
/*
 * .npy reader and writer. The header is a Python dict literal; this parser
 * accepts exactly the three keys NumPy writes and rejects anything else.
 */
#include "npy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPY_MAX_BYTES ((size_t)1 << 32)

static int npy_fail(char *err, size_t len, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return ret;
}

static const struct {
	const char *descr;
	enum npy_dtype t;
	size_t size;
} npy_types[] = {
	{ "|i1", NPY_I8, 1 }, { "<i1", NPY_I8, 1 }, { "|u1", NPY_U8, 1 },
	{ "<u1", NPY_U8, 1 }, { "<i4", NPY_I32, 4 }, { "<i8", NPY_I64, 8 },
	{ "<f4", NPY_F32, 4 },
};

const char *npy_dtype_descr(enum npy_dtype t)
{
	for (size_t i = 0; i < sizeof(npy_types) / sizeof(npy_types[0]); i++)
		if (npy_types[i].t == t)
			return npy_types[i].descr;
	return "?";
}

/* Finds 'key': in the header and returns the text after the colon. */
static const char *npy_key(const char *h, const char *key)
{
	const char *p = strstr(h, key);

	if (!p)
		return NULL;
	p += strlen(key);
	while (*p == ' ')
		p++;
	if (*p != ':')
		return NULL;
	p++;
	while (*p == ' ')
		p++;
	return p;
}

static int npy_header(const char *h, struct npy_array *a, char *err, size_t errlen)
{
	const char *d = npy_key(h, "'descr'"), *f = npy_key(h, "'fortran_order'");
	const char *s = npy_key(h, "'shape'");
	size_t i;

	if (!d || !f || !s)
		return npy_fail(err, errlen, -EINVAL, "npy header lacks descr, fortran_order or shape");
	for (i = 0; i < sizeof(npy_types) / sizeof(npy_types[0]); i++)
		if (d[0] == '\'' && !strncmp(d + 1, npy_types[i].descr, 3) && d[4] == '\'')
			break;
	if (i == sizeof(npy_types) / sizeof(npy_types[0]))
		return npy_fail(err, errlen, -ENOTSUP,
				"npy dtype %.8s not supported (int8, uint8, int32, int64, float32, little-endian)", d);
	a->dtype = npy_types[i].t;
	a->elem_size = npy_types[i].size;
	if (strncmp(f, "False", 5))
		return npy_fail(err, errlen, -ENOTSUP, "npy array in Fortran order");
	if (*s != '(')
		return npy_fail(err, errlen, -EINVAL, "npy shape is not a tuple");
	s++;
	a->rank = 0;
	a->elems = 1;
	for (;;) {
		char *end;
		long long v;

		while (*s == ' ')
			s++;
		if (*s == ')')
			break;
		if (a->rank == NPY_MAX_RANK)
			return npy_fail(err, errlen, -ENOTSUP, "npy rank above %d", NPY_MAX_RANK);
		errno = 0;
		v = strtoll(s, &end, 10);
		if (end == s || errno || v < 0 || v > (1LL << 31))
			return npy_fail(err, errlen, -EINVAL, "npy shape entry invalid");
		a->shape[a->rank++] = v;
		if (v && a->elems > NPY_MAX_BYTES / (size_t)v)
			return npy_fail(err, errlen, -E2BIG, "npy array too large");
		a->elems *= (size_t)v;
		s = end;
		while (*s == ' ')
			s++;
		if (*s == ',')
			s++;
		else if (*s != ')')
			return npy_fail(err, errlen, -EINVAL, "npy shape malformed");
	}
	if (a->elems > NPY_MAX_BYTES / a->elem_size)
		return npy_fail(err, errlen, -E2BIG, "npy array too large");
	return 0;
}

int npy_parse(const void *buf, size_t size, struct npy_array *a, char *err,
	      size_t errlen)
{
	const uint8_t *b = buf;
	size_t hlen, start, bytes;
	char *h;
	int ret;

	memset(a, 0, sizeof(*a));
	if (size < 10 || memcmp(b, "\x93NUMPY", 6))
		return npy_fail(err, errlen, -EINVAL, "not a .npy file (bad magic)");
	if (b[6] == 1) {
		hlen = b[8] | (b[9] << 8);
		start = 10;
	} else if ((b[6] == 2 || b[6] == 3) && size >= 12) {
		hlen = b[8] | (b[9] << 8) | ((size_t)b[10] << 16) | ((size_t)b[11] << 24);
		start = 12;
	} else {
		return npy_fail(err, errlen, -ENOTSUP, "npy version %u not supported", b[6]);
	}
	if (hlen > size - start || hlen > 65536)
		return npy_fail(err, errlen, -EINVAL, "npy header truncated");
	h = malloc(hlen + 1);
	if (!h)
		return npy_fail(err, errlen, -ENOMEM, "out of memory");
	memcpy(h, b + start, hlen);
	h[hlen] = '\0';
	ret = npy_header(h, a, err, errlen);
	free(h);
	if (ret)
		return ret;
	bytes = a->elems * a->elem_size;
	if (size - start - hlen != bytes)
		return npy_fail(err, errlen, -EINVAL, "npy data holds %zu bytes, shape needs %zu",
				size - start - hlen, bytes);
	a->data = malloc(bytes ? bytes : 1);
	if (!a->data)
		return npy_fail(err, errlen, -ENOMEM, "out of memory");
	memcpy(a->data, b + start + hlen, bytes);
	return 0;
}

int npy_load(const char *path, struct npy_array *a, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	long len;
	void *buf;
	int ret;

	if (!f)
		return npy_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return npy_fail(err, errlen, -EIO, "%s: cannot read", path);
	}
	buf = malloc(len ? (size_t)len : 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return npy_fail(err, errlen, -EIO, "%s: cannot read", path);
	}
	fclose(f);
	ret = npy_parse(buf, (size_t)len, a, err, errlen);
	free(buf);
	if (ret) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", err);
		return npy_fail(err, errlen, ret, "%s: %s", path, msg);
	}
	return 0;
}

int npy_save(const char *path, const struct npy_array *a, char *err, size_t errlen)
{
	char h[256], shape[160] = "";
	size_t n = 0, hl;
	char tmp[4096];
	FILE *f;

	for (int i = 0; i < a->rank; i++)
		n += (size_t)snprintf(shape + n, sizeof(shape) - n, "%lld,%s",
				      (long long)a->shape[i], i + 1 < a->rank ? " " : "");
	if (a->rank > 1)
		shape[n - 1] = '\0';	/* Python writes (2, 3) but (2,) */
	hl = (size_t)snprintf(h, sizeof(h),
			      "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
			      npy_dtype_descr(a->dtype), shape);
	while ((10 + hl + 1) % 64)
		h[hl++] = ' ';
	h[hl++] = '\n';
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f)
		return npy_fail(err, errlen, -errno, "%s: %s", tmp, strerror(errno));
	fwrite("\x93NUMPY\x01\x00", 1, 8, f);
	fputc((int)(hl & 0xff), f);
	fputc((int)(hl >> 8), f);
	fwrite(h, 1, hl, f);
	fwrite(a->data, a->elem_size, a->elems, f);
	if (fclose(f) || rename(tmp, path)) {
		remove(tmp);
		return npy_fail(err, errlen, -EIO, "%s: write failed", path);
	}
	return 0;
}

void npy_free(struct npy_array *a)
{
	free(a->data);
	a->data = NULL;
}
