// SPDX-License-Identifier: MIT
#include "fb_reader.h"

#include <stdlib.h>
#include <string.h>

static bool fb_in(struct fb_buf *b, size_t pos, size_t len)
{
	if (pos > b->size || len > b->size - pos) {
		b->bad = true;
		return false;
	}
	return true;
}

static uint32_t rd32(struct fb_buf *b, size_t pos)
{
	uint32_t v = 0;

	if (fb_in(b, pos, 4))
		memcpy(&v, b->data + pos, 4);
	return v;
}

static uint16_t rd16(struct fb_buf *b, size_t pos)
{
	uint16_t v = 0;

	if (fb_in(b, pos, 2))
		memcpy(&v, b->data + pos, 2);
	return v;
}

static struct fb_table fb_table_at(struct fb_buf *b, size_t pos)
{
	struct fb_table t = { 0 };
	int64_t vt;

	if (!fb_in(b, pos, 4))
		return t;
	vt = (int64_t)pos - (int32_t)rd32(b, pos);
	if (vt < 0 || !fb_in(b, (size_t)vt, 4))
		return t;
	t.vt_size = rd16(b, (size_t)vt);
	if (t.vt_size < 4 || (t.vt_size & 1) || !fb_in(b, (size_t)vt, t.vt_size)) {
		b->bad = true;
		return t;
	}
	t.pos = pos;
	t.vt = (size_t)vt;
	t.present = true;
	return t;
}

struct fb_table fb_root(struct fb_buf *b)
{
	return fb_table_at(b, rd32(b, 0));
}

/* Position of a field's value, or 0 when the field is absent. */
static size_t fb_field(struct fb_buf *b, const struct fb_table *t, int field,
		       size_t len)
{
	uint16_t off;

	if (!t->present || 4 + 2 * (size_t)field + 2 > t->vt_size)
		return 0;
	off = rd16(b, t->vt + 4 + 2 * field);
	if (!off || !fb_in(b, t->pos + off, len))
		return 0;
	return t->pos + off;
}

bool fb_has(const struct fb_table *t, int field)
{
	return t->present && 4 + 2 * (size_t)field + 2 <= t->vt_size;
}

uint8_t fb_u8(struct fb_buf *b, const struct fb_table *t, int field, uint8_t def)
{
	size_t p = fb_field(b, t, field, 1);

	return p ? b->data[p] : def;
}

uint32_t fb_u32(struct fb_buf *b, const struct fb_table *t, int field, uint32_t def)
{
	size_t p = fb_field(b, t, field, 4);

	return p ? rd32(b, p) : def;
}

int32_t fb_i32(struct fb_buf *b, const struct fb_table *t, int field, int32_t def)
{
	return (int32_t)fb_u32(b, t, field, (uint32_t)def);
}

uint64_t fb_u64(struct fb_buf *b, const struct fb_table *t, int field, uint64_t def)
{
	size_t p = fb_field(b, t, field, 8);
	uint64_t v;

	if (!p)
		return def;
	memcpy(&v, b->data + p, 8);
	return v;
}

float fb_f32(struct fb_buf *b, const struct fb_table *t, int field, float def)
{
	size_t p = fb_field(b, t, field, 4);
	float f;

	if (!p)
		return def;
	memcpy(&f, b->data + p, 4);
	return f;
}

/* Follows the uoffset stored at pos. */
static size_t fb_deref(struct fb_buf *b, size_t pos)
{
	uint32_t off = rd32(b, pos);
	size_t target = pos + off;

	if (target < pos || !fb_in(b, target, 4))
		return 0;
	return target;
}

struct fb_table fb_table_field(struct fb_buf *b, const struct fb_table *t, int field)
{
	size_t p = fb_field(b, t, field, 4);
	struct fb_table none = { 0 };
	size_t target;

	if (!p)
		return none;
	target = fb_deref(b, p);
	return target ? fb_table_at(b, target) : none;
}

struct fb_vec fb_vec_field(struct fb_buf *b, const struct fb_table *t, int field,
			   size_t elem_size)
{
	struct fb_vec v = { 0 };
	size_t p = fb_field(b, t, field, 4), target;

	if (!p)
		return v;
	target = fb_deref(b, p);
	if (!target)
		return v;
	v.len = rd32(b, target);
	if (!fb_in(b, target + 4, (size_t)v.len * elem_size)) {
		v.len = 0;
		return v;
	}
	v.pos = target + 4;
	v.present = true;
	return v;
}

struct fb_table fb_vec_table(struct fb_buf *b, const struct fb_vec *v, uint32_t i)
{
	struct fb_table none = { 0 };
	size_t target;

	if (i >= v->len)
		return none;
	target = fb_deref(b, v->pos + 4 * (size_t)i);
	return target ? fb_table_at(b, target) : none;
}

int32_t fb_vec_i32(struct fb_buf *b, const struct fb_vec *v, uint32_t i)
{
	return i < v->len ? (int32_t)rd32(b, v->pos + 4 * (size_t)i) : 0;
}

int64_t fb_vec_i64(struct fb_buf *b, const struct fb_vec *v, uint32_t i)
{
	int64_t x = 0;

	if (i < v->len && fb_in(b, v->pos + 8 * (size_t)i, 8))
		memcpy(&x, b->data + v->pos + 8 * (size_t)i, 8);
	return x;
}

float fb_vec_f32(struct fb_buf *b, const struct fb_vec *v, uint32_t i)
{
	uint32_t u = i < v->len ? rd32(b, v->pos + 4 * (size_t)i) : 0;
	float f;

	memcpy(&f, &u, 4);
	return f;
}

char *fb_string_dup(struct fb_buf *b, const struct fb_table *t, int field)
{
	struct fb_vec v = fb_vec_field(b, t, field, 1);
	char *s = malloc((size_t)v.len + 1);

	if (!s)
		return NULL;
	if (v.len)
		memcpy(s, b->data + v.pos, v.len);
	s[v.len] = '\0';
	return s;
}
