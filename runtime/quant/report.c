// SPDX-License-Identifier: MIT
/* Report writers: text, JSON and SVG, each built in memory then written atomically. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Plot geometry, in SVG user units. */
#define PLOT_BAR 14
#define PLOT_LEFT 50
#define PLOT_TOP 40
#define PLOT_HEIGHT 240
#define PLOT_MIN_WIDTH 720

int write_file_atomic(const char *path, const void *data, size_t size, char *err,
		      size_t errlen)
{
	size_t len = strlen(path) + 16;
	char *tmp = malloc(len);
	int fd, ret = 0;
	FILE *f;

	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(tmp, len, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(tmp);
		return ret;
	}
	f = fdopen(fd, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fflush(f) || fsync(fileno(f))) {
		ret = -EIO;
		snprintf(err, errlen, "%s: write failed: %s", tmp, strerror(errno));
	}
	if (f ? fclose(f) : close(fd))
		if (!ret) {
			ret = -EIO;
			snprintf(err, errlen, "%s: write failed: %s", tmp, strerror(errno));
		}
	/* mkstemp makes 0600; a model is an ordinary file. */
	if (!ret && chmod(tmp, 0644) == 0 && rename(tmp, path)) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	}
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

/* Layers in operator order: the operators whose output was measured or planned. */
static int layer_output(const struct report_info *ri, int op)
{
	return ri->plan->fm->ops[op].outputs[0];
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.9g", v);
	else
		fputs("null", f);
}

static void text_report(FILE *f, const struct report_info *ri)
{
	const struct tfl_model *m = ri->plan->fm;

	fprintf(f, "qaccel quantize: %s\nmethod %s, %s weights, %s input/output, %zu calibration samples\n\n",
		ri->model_path, ri->method, ri->per_tensor ? "per-tensor" : "per-channel",
		ri->float_io ? "float32" : "int8", ri->samples);
	fprintf(f, "%3s  %-18s %-24s %-24s %-12s %5s  %-22s %8s\n", "#", "operator", "output",
		"range", "scale", "zp", "weight scales", "SQNR dB");
	for (int i = 0; i < m->num_ops; i++) {
		int t = layer_output(ri, i);
		const struct qp_tensor *q = &ri->plan->t[t];
		char range[64], ws[64] = "-", name[25];
		float wmin, wmax;

		snprintf(name, sizeof(name), "%s", m->tensors[t].name);
		snprintf(range, sizeof(range), "[%.5g, %.5g]%s", q->lo, q->hi, q->fixed ? "*" : "");
		qp_weight_scale_span(ri->plan, i, ri->per_tensor, &wmin, &wmax);
		if (wmax > 0.0f)
			snprintf(ws, sizeof(ws), "[%.3g, %.3g]", wmin, wmax);
		fprintf(f, "%3d  %-18s %-24s %-24s %-12.6g %5d  %-22s ", i, tfl_op_name(m->ops[i].code),
			name, range, q->scale, q->zero_point, ws);
		if (ri->acc[t].measured)
			fprintf(f, "%8.2f\n", sqnr_db(&ri->acc[t]));
		else
			fprintf(f, "%8s\n", "-");
	}
	fprintf(f, "\n* prescribed by the operator (TFLite's fixed output parameters)\n");
	for (int k = 0; k < m->num_outputs; k++) {
		int t = m->outputs[k];

		fprintf(f, "model output '%s': SQNR %.2f dB\n", m->tensors[t].name,
			sqnr_db(&ri->acc[t]));
	}
}

static void json_report(FILE *f, const struct report_info *ri)
{
	const struct tfl_model *m = ri->plan->fm;

	fputs("{\n  \"model\": ", f);
	json_str(f, ri->model_path);
	fputs(",\n  \"method\": ", f);
	json_str(f, ri->method);
	fprintf(f, ",\n  \"per_tensor\": %s,\n  \"float_io\": %s,\n  \"samples\": %zu,\n  \"output_sqnr_db\": ",
		ri->per_tensor ? "true" : "false", ri->float_io ? "true" : "false", ri->samples);
	/* The first model output's, for tools that want one number. */
	json_num(f, sqnr_db(&ri->acc[m->outputs[0]]));
	fputs(",\n  \"layers\": [", f);
	for (int i = 0; i < m->num_ops; i++) {
		int t = layer_output(ri, i);
		const struct qp_tensor *q = &ri->plan->t[t];
		float wmin, wmax;

		qp_weight_scale_span(ri->plan, i, ri->per_tensor, &wmin, &wmax);
		fprintf(f, "%s\n    {\"index\": %d, \"op\": \"%s\", \"output\": ", i ? "," : "", i,
			tfl_op_name(m->ops[i].code));
		json_str(f, m->tensors[t].name);
		fputs(", \"min\": ", f);
		json_num(f, q->lo);
		fputs(", \"max\": ", f);
		json_num(f, q->hi);
		fprintf(f, ", \"scale\": %.9g, \"zero_point\": %d, \"fixed\": %s, \"weight_scale_min\": ",
			q->scale, q->zero_point, q->fixed ? "true" : "false");
		json_num(f, wmax > 0.0f ? wmin : NAN);
		fputs(", \"weight_scale_max\": ", f);
		json_num(f, wmax > 0.0f ? wmax : NAN);
		fputs(", \"sqnr_db\": ", f);
		json_num(f, ri->acc[t].measured ? sqnr_db(&ri->acc[t]) : NAN);
		fputc('}', f);
	}
	fputs("\n  ],\n  \"outputs\": [", f);
	for (int k = 0; k < m->num_outputs; k++) {
		int t = m->outputs[k];

		fprintf(f, "%s\n    {\"name\": ", k ? "," : "");
		json_str(f, m->tensors[t].name);
		fputs(", \"sqnr_db\": ", f);
		json_num(f, sqnr_db(&ri->acc[t]));
		fputc('}', f);
	}
	fputs("\n  ]\n}\n", f);
}

static void svg_text(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
}

static void svg_report(FILE *f, const struct report_info *ri)
{
	const struct tfl_model *m = ri->plan->fm;
	/* Wide enough for the title and legend on small models too. */
	int w = PLOT_LEFT + m->num_ops * PLOT_BAR + 20, h = PLOT_TOP + PLOT_HEIGHT + 40;
	double top = 60.0;

	if (w < PLOT_MIN_WIDTH)
		w = PLOT_MIN_WIDTH;
	for (int i = 0; i < m->num_ops; i++) {
		double v = sqnr_db(&ri->acc[layer_output(ri, i)]);

		if (isfinite(v) && v > top)
			top = ceil(v / 10.0) * 10.0;
	}
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"10\">\n",
		w, h);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n<text x=\"%d\" y=\"20\" font-size=\"13\">Per-layer SQNR (dB), int8 vs float, %s: ",
		w, h, PLOT_LEFT, ri->method);
	svg_text(f, ri->model_path);
	fputs("</text>\n", f);
	for (int db = 0; db <= (int)top; db += 10) {
		double y = PLOT_TOP + PLOT_HEIGHT - db / top * PLOT_HEIGHT;

		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n",
			PLOT_LEFT, w - 10, y, y, PLOT_LEFT - 4, y + 3, db);
	}
	for (int i = 0; i < m->num_ops; i++) {
		int t = layer_output(ri, i);
		double v = sqnr_db(&ri->acc[t]), bh;
		int x = PLOT_LEFT + i * PLOT_BAR;

		if (!ri->acc[t].measured)
			continue;
		bh = isfinite(v) ? fmax(0.0, fmin(v, top)) / top * PLOT_HEIGHT : PLOT_HEIGHT;
		fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%d %s ",
			x + 1, PLOT_TOP + PLOT_HEIGHT - bh, PLOT_BAR - 2, bh,
			v < 20.0 ? "#d9534f" : v < 30.0 ? "#f0ad4e" : "#4a90d9", i,
			tfl_op_name(m->ops[i].code));
		svg_text(f, m->tensors[t].name);
		fprintf(f, ": %.2f dB</title></rect>\n", v);
		if (m->num_ops <= 80 || i % 5 == 0)
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
				x + PLOT_BAR / 2, PLOT_TOP + PLOT_HEIGHT + 14, i);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\">layer (operator index); red below 20 dB, orange below 30</text>\n</svg>\n",
		PLOT_LEFT, PLOT_TOP + PLOT_HEIGHT + 32);
}

static int emit(const char *path, void (*fn)(FILE *, const struct report_info *),
		const struct report_info *ri, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret;

	if (!f) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	fn(f, ri);
	if (fclose(f)) {
		free(buf);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = write_file_atomic(path, buf, len, err, errlen);
	free(buf);
	return ret;
}

int report_write(const char *path, const struct report_info *ri, char *err,
		 size_t errlen)
{
	static const char *const exts[] = { ".txt", ".json", ".svg" };
	size_t n = strlen(path), stem = n;
	char *txt, *json, *svg;
	int ret = -ENOMEM;

	for (int i = 0; i < 3; i++) {
		size_t e = strlen(exts[i]);

		if (n > e && !strcmp(path + n - e, exts[i]))
			stem = n - e;
	}
	txt = malloc(n + 8);
	json = malloc(n + 8);
	svg = malloc(n + 8);
	if (txt && json && svg) {
		/* "FILE" -> FILE, FILE.json, FILE.svg; "R.json" -> R.txt, R.json, R.svg */
		snprintf(txt, n + 8, stem == n ? "%.*s" : "%.*s.txt", (int)stem, path);
		snprintf(json, n + 8, "%.*s.json", (int)stem, path);
		snprintf(svg, n + 8, "%.*s.svg", (int)stem, path);
		ret = emit(txt, text_report, ri, err, errlen);
		if (!ret)
			ret = emit(json, json_report, ri, err, errlen);
		if (!ret)
			ret = emit(svg, svg_report, ri, err, errlen);
	} else {
		snprintf(err, errlen, "out of memory");
	}
	free(txt);
	free(json);
	free(svg);
	return ret;
}
