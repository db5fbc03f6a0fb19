// SPDX-License-Identifier: MIT
/* `qaccel quantize`: options to struct qaccel_quantize_options. */
#include "quantize_cmd.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qaccel.h"

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "qaccel quantize: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nusage:\n" QUANTIZE_USAGE);
	return 2;
}

static int parse_method(const char *s, struct qaccel_quantize_options *o)
{
	char *end;

	if (!strcmp(s, "minmax"))
		o->method = QACCEL_CALIB_MINMAX;
	else if (!strcmp(s, "mse"))
		o->method = QACCEL_CALIB_MSE;
	else if (!strcmp(s, "entropy"))
		o->method = QACCEL_CALIB_ENTROPY;
	else if (!strncmp(s, "percentile:", 11)) {
		o->method = QACCEL_CALIB_PERCENTILE;
		errno = 0;
		o->percentile = strtod(s + 11, &end);
		if (errno || end == s + 11 || *end ||
		    !(o->percentile > 50.0 && o->percentile <= 100.0))
			return -1;
	} else {
		return -1;
	}
	return 0;
}

int cmd_quantize(int argc, char **argv)
{
	/* mse by default: on the bundled networks it is never worse than minmax. */
	struct qaccel_quantize_options o = { .struct_size = sizeof(o), .progress = 1,
					     .method = QACCEL_CALIB_MSE };
	const char *model = NULL, *calib = NULL, *out = NULL;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = !strcmp(a, "--calib") || !strcmp(a, "-o") || !strcmp(a, "--method") ||
			     !strcmp(a, "--io") || !strcmp(a, "--max-samples") ||
			     !strcmp(a, "--report");

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage:\n" QUANTIZE_USAGE);
			return 0;
		}
		if (takes && !v)
			return usage_error("%s needs a value", a);
		if (!strcmp(a, "--calib")) {
			calib = v;
		} else if (!strcmp(a, "-o")) {
			out = v;
		} else if (!strcmp(a, "--method")) {
			if (parse_method(v, &o))
				return usage_error("unknown method '%s' (minmax, percentile:P with 50 < P <= 100, mse, entropy)", v);
		} else if (!strcmp(a, "--io")) {
			if (strcmp(v, "int8") && strcmp(v, "float"))
				return usage_error("--io takes int8 or float, not '%s'", v);
			o.float_io = !strcmp(v, "float");
		} else if (!strcmp(a, "--max-samples")) {
			char *end;
			long long n = strtoll(v, &end, 10);

			if (end == v || *end || n <= 0)
				return usage_error("--max-samples takes a positive number, not '%s'", v);
			o.max_samples = (size_t)n;
		} else if (!strcmp(a, "--report")) {
			o.report_path = v;
		} else if (!strcmp(a, "--per-tensor")) {
			o.per_tensor = 1;
			continue;
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown option '%s'", a);
		} else if (!model) {
			model = a;
			continue;
		} else {
			return usage_error("unexpected argument '%s'", a);
		}
		i++;
	}
	if (!model || !calib || !out)
		return usage_error("%s", "FLOAT.tflite, --calib and -o are required");
	if (qaccel_quantize_file(model, calib, out, &o)) {
		fprintf(stderr, "qaccel quantize: %s\n", qaccel_last_error());
		return 1;
	}
	return 0;
}
