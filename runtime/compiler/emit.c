// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "uapi/qaccel_cmd.h"

int qc_bytes_append(struct qc_bytes *b, const void *data, size_t size,
		    size_t align, size_t *offset)
{
	size_t start = (b->size + align - 1) & ~(align - 1);
	size_t need = start + size;

	if (need < start)
		return -ENOMEM;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *p;

		while (cap < need)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p)
			return -ENOMEM;
		b->data = p;
		b->cap = cap;
	}
	memset(b->data + b->size, 0, start - b->size);
	if (data)
		memcpy(b->data + start, data, size);
	else
		memset(b->data + start, 0, size);
	b->size = need;
	if (offset)
		*offset = start;
	return 0;
}

void qc_bytes_free(struct qc_bytes *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

int qc_stream_init(struct qc_stream *s)
{
	struct qaccel_stream_header h = { 0 };

	memset(s, 0, sizeof(*s));
	return qc_bytes_append(&s->bytes, &h, sizeof(h), 8, NULL);
}

int qc_stream_emit(struct qc_stream *s, uint32_t opcode, void *cmd, uint32_t size)
{
	struct qaccel_cmd_header *hdr = cmd;

	hdr->opcode = opcode;
	hdr->size = size;
	if (s->num_cmds >= QACCEL_MAX_CMDS)
		return -E2BIG;
	s->num_cmds++;
	return qc_bytes_append(&s->bytes, cmd, size, 8, NULL);
}

int qc_stream_finish(struct qc_stream *s)
{
	struct qaccel_stream_header h = {
		.magic = QACCEL_STREAM_MAGIC,
		.version = QACCEL_ISA_VERSION,
		.size = (uint32_t)s->bytes.size,
		.num_cmds = s->num_cmds,
	};

	if (s->bytes.size > QACCEL_MAX_STREAM_SIZE)
		return -E2BIG;
	memcpy(s->bytes.data, &h, sizeof(h));
	return 0;
}

static int by_size_desc(const void *a, const void *b)
{
	const struct qc_arena_item *x = *(const struct qc_arena_item *const *)a;
	const struct qc_arena_item *y = *(const struct qc_arena_item *const *)b;

	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return x->first - y->first;
}

size_t qc_plan_arena(struct qc_arena_item *items, size_t n, size_t align)
{
	struct qc_arena_item **order = malloc(n * sizeof(*order) + 1);
	size_t total = 0;

	if (!order)
		return (size_t)-1;
	for (size_t i = 0; i < n; i++)
		order[i] = &items[i];
	qsort(order, n, sizeof(*order), by_size_desc);
	for (size_t i = 0; i < n; i++) {
		struct qc_arena_item *it = order[i];
		size_t off = 0;
		int moved = 1;

		/* Slide past every placed, live-at-the-same-time item we hit. */
		while (moved) {
			moved = 0;
			for (size_t j = 0; j < i; j++) {
				struct qc_arena_item *o = order[j];

				if (o->last < it->first || it->last < o->first)
					continue;
				if (off < o->offset + o->size && o->offset < off + it->size) {
					off = (o->offset + o->size + align - 1) & ~(align - 1);
					moved = 1;
				}
			}
		}
		it->offset = off;
		if (off + it->size > total)
			total = off + it->size;
	}
	free(order);
	return total;
}
