/* SPDX-License-Identifier: MIT */
/*
 * A bounds-checked reader for the flatbuffers binary format: every offset
 * read from the file is checked against the file before it is followed, so
 * a truncated or hostile file yields an error, never an out-of-bounds read.
 */
#ifndef QACCEL_FB_READER_H
#define QACCEL_FB_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fb_buf {
	const uint8_t *data;
	size_t size;
	bool bad;		/* set by any out-of-bounds reference */
};

/* A table: its position, and its vtable's position and length. */
struct fb_table {
	size_t pos;
	size_t vt;
	uint16_t vt_size;
	bool present;
};

struct fb_vec {
	size_t pos;		/* first element */
	uint32_t len;
	bool present;
};

struct fb_table fb_root(struct fb_buf *b);
bool fb_has(const struct fb_table *t, int field);
uint8_t fb_u8(struct fb_buf *b, const struct fb_table *t, int field, uint8_t def);
int32_t fb_i32(struct fb_buf *b, const struct fb_table *t, int field, int32_t def);
uint32_t fb_u32(struct fb_buf *b, const struct fb_table *t, int field, uint32_t def);
uint64_t fb_u64(struct fb_buf *b, const struct fb_table *t, int field, uint64_t def);
float fb_f32(struct fb_buf *b, const struct fb_table *t, int field, float def);
struct fb_table fb_table_field(struct fb_buf *b, const struct fb_table *t, int field);
/* A vector of elem_size-byte scalars or of offsets (elem_size 4). */
struct fb_vec fb_vec_field(struct fb_buf *b, const struct fb_table *t, int field,
			   size_t elem_size);
/* Element i of a vector of tables. */
struct fb_table fb_vec_table(struct fb_buf *b, const struct fb_vec *v, uint32_t i);
int32_t fb_vec_i32(struct fb_buf *b, const struct fb_vec *v, uint32_t i);
int64_t fb_vec_i64(struct fb_buf *b, const struct fb_vec *v, uint32_t i);
float fb_vec_f32(struct fb_buf *b, const struct fb_vec *v, uint32_t i);
/* A string field as a NUL-terminated malloc'd copy ("" if absent), or NULL. */
char *fb_string_dup(struct fb_buf *b, const struct fb_table *t, int field);

#endif /* QACCEL_FB_READER_H */
