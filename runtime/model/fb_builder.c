// SPDX-License-Identifier: MIT
/* Back-to-front flatbuffers builder; see fb_builder.h. */
#include "fb_builder.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Flatbuffers are little-endian; scalars are copied as the host holds them. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "fb_builder writes host-order scalars");

/* Offsets are 32-bit: refuse to grow past what they can span. */
#define FBB_MAX_SIZE ((size_t)1 << 31)

void fbb_init(struct fbb *b)
{
	memset(b, 0, sizeof(*b));
	b->max_align = 4;
}

void fbb_release(struct fbb *b)
{
	free(b->buf);
	memset(b, 0, sizeof(*b));
}

static size_t used(const struct fbb *b)
{
	return b->cap - b->head;
}

/* Makes room for n more bytes in front of the data. */
static bool reserve(struct fbb *b, size_t n)
{
	size_t cap, len;
	uint8_t *nb;

	if (b->failed)
		return false;
	if (n <= b->head)
		return true;
	len = used(b);
	if (n > FBB_MAX_SIZE - len) {
		b->failed = true;
		return false;
	}
	cap = b->cap ? b->cap : 1024;
	while (cap - len < n)
		cap *= 2;
	nb = malloc(cap);
	if (!nb) {
		b->failed = true;
		return false;
	}
	if (len)
		memcpy(nb + cap - len, b->buf + b->head, len);
	free(b->buf);
	b->buf = nb;
	b->head = cap - len;
	b->cap = cap;
	return true;
}

static void prepend(struct fbb *b, const void *p, size_t n)
{
	if (!n || !reserve(b, n))
		return;
	b->head -= n;
	if (p)
		memcpy(b->buf + b->head, p, n);
	else
		memset(b->buf + b->head, 0, n);
}

/* Pads so that, once n more bytes are prepended, the end offset is aligned. */
static void align_for(struct fbb *b, size_t n, size_t align)
{
	size_t pad = (align - (used(b) + n) % align) % align;

	if (align > b->max_align)
		b->max_align = align;
	prepend(b, NULL, pad);
}

static void prepend_u32(struct fbb *b, uint32_t v)
{
	align_for(b, 4, 4);
	prepend(b, &v, 4);
}

/* A uoffset written now, pointing at r: the distance between them. */
static void prepend_ref(struct fbb *b, fbb_ref r)
{
	align_for(b, 4, 4);
	if (r == 0 || r > used(b) + 4) {	/* not built yet: a misuse */
		b->failed = true;
		return;
	}
	prepend_u32(b, (uint32_t)(used(b) + 4 - r));
}

static bool no_table(struct fbb *b)
{
	if (b->in_table)
		b->failed = true;
	return !b->failed;
}

fbb_ref fbb_vector(struct fbb *b, const void *data, size_t elem_size,
		   size_t count, size_t align)
{
	size_t bytes;

	if (!no_table(b))
		return 0;
	if (count > UINT32_MAX / (elem_size ? elem_size : 1)) {
		b->failed = true;
		return 0;
	}
	bytes = elem_size * count;
	if (align < 4)
		align = 4;
	align_for(b, bytes, align);
	prepend(b, data, bytes);
	prepend_u32(b, (uint32_t)count);
	return (fbb_ref)used(b);
}

fbb_ref fbb_string(struct fbb *b, const char *s)
{
	size_t n = strlen(s);

	if (!no_table(b))
		return 0;
	align_for(b, n + 1, 4);
	prepend(b, NULL, 1);	/* the NUL terminator */
	prepend(b, s, n);
	prepend_u32(b, (uint32_t)n);
	return (fbb_ref)used(b);
}

fbb_ref fbb_ref_vector(struct fbb *b, const fbb_ref *refs, size_t count)
{
	if (!no_table(b))
		return 0;
	align_for(b, count * 4, 4);
	for (size_t i = count; i-- > 0;)
		prepend_ref(b, refs[i]);
	prepend_u32(b, (uint32_t)count);
	return (fbb_ref)used(b);
}

void fbb_table_start(struct fbb *b)
{
	if (!no_table(b))
		return;
	b->in_table = true;
	b->table_start = used(b);
	b->num_fields = 0;
	memset(b->field_at, 0, sizeof(b->field_at));
}

static void add_scalar(struct fbb *b, int field, const void *v, size_t n)
{
	if (!b->in_table || field < 0 || field >= FBB_MAX_FIELDS) {
		b->failed = true;
		return;
	}
	align_for(b, n, n);
	prepend(b, v, n);
	b->field_at[field] = (fbb_ref)used(b);
	if (field >= b->num_fields)
		b->num_fields = field + 1;
}

void fbb_add_u8(struct fbb *b, int field, uint8_t v, uint8_t def)
{
	if (v != def)
		add_scalar(b, field, &v, 1);
}

void fbb_add_i32(struct fbb *b, int field, int32_t v, int32_t def)
{
	if (v != def)
		add_scalar(b, field, &v, 4);
}

void fbb_add_u32(struct fbb *b, int field, uint32_t v, uint32_t def)
{
	if (v != def)
		add_scalar(b, field, &v, 4);
}

void fbb_add_f32(struct fbb *b, int field, float v, float def)
{
	if (memcmp(&v, &def, 4))
		add_scalar(b, field, &v, 4);
}

void fbb_add_ref(struct fbb *b, int field, fbb_ref r)
{
	if (!b->in_table || field < 0 || field >= FBB_MAX_FIELDS) {
		b->failed = true;
		return;
	}
	prepend_ref(b, r);
	b->field_at[field] = (fbb_ref)used(b);
	if (field >= b->num_fields)
		b->num_fields = field + 1;
}

fbb_ref fbb_table_end(struct fbb *b)
{
	uint16_t vt[2 + FBB_MAX_FIELDS];
	size_t table, vt_pos, obj_size;
	int32_t soff;

	if (!b->in_table || b->failed) {
		b->failed = true;
		return 0;
	}
	b->in_table = false;
	/* The table begins with the signed offset to its vtable. */
	prepend_u32(b, 0);
	table = used(b);
	obj_size = table - b->table_start;
	if (obj_size > UINT16_MAX) {
		b->failed = true;
		return 0;
	}
	vt[0] = (uint16_t)(4 + 2 * b->num_fields);
	vt[1] = (uint16_t)obj_size;
	for (int f = 0; f < b->num_fields; f++)
		vt[2 + f] = b->field_at[f] ? (uint16_t)(table - b->field_at[f]) : 0;
	/* The vtable sits just before its table: 2-byte alignment suffices. */
	align_for(b, vt[0], 2);
	prepend(b, vt, vt[0]);
	if (b->failed)
		return 0;
	vt_pos = used(b);
	/* table - vtable, as addresses from the start of the final buffer. */
	soff = (int32_t)(vt_pos - table);
	memcpy(b->buf + b->cap - table, &soff, 4);
	return (fbb_ref)table;
}

int fbb_finish(struct fbb *b, fbb_ref root, const char ident[4], uint8_t **out,
	       size_t *size)
{
	bool misuse = b->in_table || root == 0;
	int ret = -ENOMEM;

	*out = NULL;
	*size = 0;
	if (misuse)
		b->failed = true;
	/* Root offset plus identifier, with the whole aligned to the largest
	 * alignment any object asked for. */
	align_for(b, 8, b->max_align);
	prepend(b, ident, 4);
	prepend_ref(b, root);
	if (!b->failed) {
		*size = used(b);
		*out = malloc(*size);
		if (*out) {
			memcpy(*out, b->buf + b->head, *size);
			ret = 0;
		}
	} else if (misuse) {
		ret = -EINVAL;
	}
	fbb_release(b);
	return ret;
}
