// SPDX-License-Identifier: MIT
/*
 * Contexts: one opened backend. AUTO tries drm, then opencl, then cpu, and
 * takes the first whose device is present.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "error.h"

static int ctx_open_kind(struct qaccel_ctx *ctx, enum qaccel_backend_kind kind)
{
	const struct qaccel_backend_ops *ops = qaccel_backend_lookup(kind);
	int ret;

	if (!ops)
		return qaccel_set_error(-ENODEV, "backend '%s' is not built into this libqaccel",
					qaccel_backend_kind_name(kind));
	ret = ops->open(&ctx->opts, &ctx->state);
	if (ret)
		return ret;
	ctx->ops = ops;
	ctx->kind = kind;
	return 0;
}

int qaccel_ctx_create(const struct qaccel_ctx_options *opts,
		      struct qaccel_ctx **out)
{
	static const enum qaccel_backend_kind auto_order[] = {
		QACCEL_BACKEND_DRM, QACCEL_BACKEND_OPENCL, QACCEL_BACKEND_CPU,
	};
	struct qaccel_ctx *ctx;
	int ret = -ENODEV;

	if (!out)
		return qaccel_set_error(-EINVAL, "qaccel_ctx_create: out is NULL");
	*out = NULL;
	if (opts && (opts->struct_size < offsetof(struct qaccel_ctx_options, backend) +
		     sizeof(opts->backend) || opts->backend > QACCEL_BACKEND_OPENCL ||
		     opts->threads < 0))
		return qaccel_set_error(-EINVAL, "qaccel_ctx_create: bad options");
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return qaccel_set_error(-ENOMEM, "out of memory");
	ctx->opts.struct_size = sizeof(ctx->opts);
	if (opts)
		memcpy(&ctx->opts, opts, opts->struct_size < sizeof(ctx->opts) ?
		       opts->struct_size : sizeof(ctx->opts));
	ctx->opts.struct_size = sizeof(ctx->opts);

	if (ctx->opts.backend != QACCEL_BACKEND_AUTO) {
		ret = ctx_open_kind(ctx, ctx->opts.backend);
	} else {
		for (size_t i = 0; i < sizeof(auto_order) / sizeof(auto_order[0]); i++) {
			ret = ctx_open_kind(ctx, auto_order[i]);
			if (!ret)
				break;
			if (ctx->opts.verbose)
				fprintf(stderr, "qaccel: auto: no %s backend: %s\n",
					qaccel_backend_kind_name(auto_order[i]),
					qaccel_last_error());
		}
	}
	if (ret) {
		free(ctx);
		return ret;
	}
	qaccel_clear_error();
	*out = ctx;
	return 0;
}

void qaccel_ctx_destroy(struct qaccel_ctx *ctx)
{
	if (!ctx)
		return;
	ctx->ops->close(ctx->state);
	free(ctx);
}

const char *qaccel_ctx_backend_name(const struct qaccel_ctx *ctx)
{
	return qaccel_backend_kind_name(ctx->kind);
}

const char *qaccel_ctx_device_name(const struct qaccel_ctx *ctx)
{
	return ctx->ops->device_name(ctx->state);
}

const char *qaccel_backend_kind_name(enum qaccel_backend_kind kind)
{
	switch (kind) {
	case QACCEL_BACKEND_AUTO:
		return "auto";
	case QACCEL_BACKEND_REF:
		return "ref";
	case QACCEL_BACKEND_CPU:
		return "cpu";
	case QACCEL_BACKEND_DRM:
		return "drm";
	case QACCEL_BACKEND_OPENCL:
		return "opencl";
	}
	return "unknown";
}
