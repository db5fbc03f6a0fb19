/* SPDX-License-Identifier: MIT */
/*
 * Random valid commands for the OpenCL checker: each operand in its own
 * buffer at a random offset with random slack around it, so a stray write
 * anywhere shows up as a differing byte. Shapes and parameters are drawn
 * from the seeded generator of tests/unit/rng.h.
 */
#ifndef QACCEL_CL_GEN_H
#define QACCEL_CL_GEN_H

#include <stdint.h>

#include "uapi/qaccel_cmd.h"

#define CG_MAX_BUFS 8


/* A command and the initial bytes of its buffers. */
struct cg_case {
	struct qaccel_cmd_header *hdr;	/* the command, hdr->size bytes */
	uint32_t nbufs;
	uint64_t size[CG_MAX_BUFS];
	uint8_t *data[CG_MAX_BUFS];
};

/*
 * Draws a case of opcode op; big allows the long mode's larger shapes.
 * Returns 0, or -1 if no valid command came out (a generator bug).
 */
int cg_make(uint32_t op, int big, struct cg_case *c);
void cg_free(struct cg_case *c);
/* One line naming the shapes and parameters of the command. */
void cg_describe(const struct cg_case *c, char *buf, size_t len);

#endif /* QACCEL_CL_GEN_H */
