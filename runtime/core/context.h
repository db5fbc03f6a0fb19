/* SPDX-License-Identifier: MIT */
#ifndef QACCEL_CONTEXT_H
#define QACCEL_CONTEXT_H

#include "qaccel.h"
#include "runtime/backend/backend.h"

struct qaccel_ctx {
	struct qaccel_ctx_options opts;
	enum qaccel_backend_kind kind;
	const struct qaccel_backend_ops *ops;
	void *state;
};

#endif /* QACCEL_CONTEXT_H */
