/* SPDX-License-Identifier: MIT */
/*
 * A small flatbuffers builder (the binary format's facts: little-endian
 * scalars, 32-bit forward offsets, tables that point back to a vtable of
 * 16-bit field offsets). Like flatbuffers' own builders it writes back to
 * front: children first, so every offset stored points forward. Objects are
 * named by their distance from the end of the buffer (fbb_ref).
 *
 * Errors (out of memory, misuse) are sticky: the builder stops writing and
 * fbb_finish() fails, so callers check once at the end.
 */
#ifndef QACCEL_FB_BUILDER_H
#define QACCEL_FB_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t fbb_ref;

#define FBB_MAX_FIELDS 32

struct fbb {
	uint8_t *buf;
	size_t cap;
	size_t head;		/* data lives in buf[head, cap) */
	size_t max_align;
	bool failed;
	/* The table under construction. */
	bool in_table;
	size_t table_start;
	int num_fields;
	fbb_ref field_at[FBB_MAX_FIELDS];
};

void fbb_init(struct fbb *b);
void fbb_release(struct fbb *b);

fbb_ref fbb_string(struct fbb *b, const char *s);
/* A vector of count scalars of elem_size bytes, its data aligned to align. */
fbb_ref fbb_vector(struct fbb *b, const void *data, size_t elem_size,
		   size_t count, size_t align);
/* A vector of offsets to objects built earlier. */
fbb_ref fbb_ref_vector(struct fbb *b, const fbb_ref *refs, size_t count);

void fbb_table_start(struct fbb *b);
/* Scalar fields; a value equal to the schema default is left out. */
void fbb_add_u8(struct fbb *b, int field, uint8_t v, uint8_t def);
void fbb_add_i32(struct fbb *b, int field, int32_t v, int32_t def);
void fbb_add_u32(struct fbb *b, int field, uint32_t v, uint32_t def);
void fbb_add_f32(struct fbb *b, int field, float v, float def);
void fbb_add_ref(struct fbb *b, int field, fbb_ref r);
fbb_ref fbb_table_end(struct fbb *b);

/*
 * Writes the root offset and the 4-character file identifier, and hands the
 * finished bytes over (*out, malloc'd, *size); the builder is released.
 * Returns 0 or -ENOMEM / -EINVAL.
 */
int fbb_finish(struct fbb *b, fbb_ref root, const char ident[4], uint8_t **out,
	       size_t *size);

#endif /* QACCEL_FB_BUILDER_H */
