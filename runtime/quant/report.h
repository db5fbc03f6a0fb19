/* SPDX-License-Identifier: MIT */
/*
 * The quantization report: per layer the chosen range, scale and zero
 * point, the weight scales, and the SQNR of the int8 output against float;
 * the model outputs' SQNR. Written as a text table, as JSON for tools, and
 * as an SVG bar chart of per-layer SQNR.
 */
#ifndef QACCEL_QUANT_REPORT_H
#define QACCEL_QUANT_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "quant_plan.h"
#include "sqnr.h"

struct report_info {
	const char *model_path;
	const char *method;	/* "minmax", "percentile:99.9"... */
	bool per_tensor;
	bool float_io;
	size_t samples;
	const struct qp_plan *plan;
	const struct sqnr_acc *acc;	/* per float tensor */
};

/*
 * path names the text report; the JSON goes to path.json and the plot to
 * path.svg, or if path ends in .txt, .json or .svg, to the same stem with
 * each extension. Each file is written whole or not at all.
 */
int report_write(const char *path, const struct report_info *ri, char *err,
		 size_t errlen);

/* Writes data to path through a temporary file in the same folder and a rename. */
int write_file_atomic(const char *path, const void *data, size_t size, char *err,
		      size_t errlen);

#endif /* QACCEL_QUANT_REPORT_H */
