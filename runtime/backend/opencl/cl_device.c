// SPDX-License-Identifier: MIT
/*
 * OpenCL devices: every device of every platform the ICD loader knows, the
 * one a --device spec names, its integer dot-product path and the launch
 * shapes built into its program.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_internal.h"

#define QCL_MAX_PLATFORMS 16
#define QCL_MAX_DEVICES 64

static bool has_ext(const char *exts, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strstr(exts, name); p; p = strstr(p + 1, name))
		if ((p == exts || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

/* The signed 4x8-bit dot product, if the device has one. */
static enum qcl_dot probe_dot(cl_device_id id)
{
	char exts[8192] = "";

	if (clGetDeviceInfo(id, CL_DEVICE_EXTENSIONS, sizeof(exts) - 1, exts, NULL))
		return QCL_DOT_NONE;
	if (has_ext(exts, "cl_khr_integer_dot_product")) {
		/* dot(char4, char4), not only the packed uint form. */
		cl_bitfield caps = 0;

		if (!clGetDeviceInfo(id, CL_DEVICE_INTEGER_DOT_PRODUCT_CAPABILITIES_KHR,
				     sizeof(caps), &caps, NULL) &&
		    (caps & CL_DEVICE_INTEGER_DOT_PRODUCT_INPUT_4x8BIT_KHR))
			return QCL_DOT_KHR;
	}
	if (has_ext(exts, "cl_arm_integer_dot_product_int8"))
		return QCL_DOT_ARM;
	return QCL_DOT_NONE;
}

/*
 * Launch shapes: on a CPU (PoCL) a work-item's 4 x 6 tile of int
 * accumulators fills the vector registers and small work-groups spread
 * best over cores (measured with make bench); GPUs want many work-items
 * per group and a smaller tile per item.
 */
static void pick_tuning(cl_device_id id, struct qcl_tuning *t)
{
	cl_device_type type = 0;
	size_t max_wg = 0;

	clGetDeviceInfo(id, CL_DEVICE_TYPE, sizeof(type), &type, NULL);
	clGetDeviceInfo(id, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof(max_wg), &max_wg, NULL);
	if (type & CL_DEVICE_TYPE_CPU) {
		*t = (struct qcl_tuning){ 4, 6, 2, 2, 64 };
	} else {
		*t = (struct qcl_tuning){ 4, 4, 8, 8, 64 };
	}
	while (max_wg && t->gemm_wg_x * t->gemm_wg_y > max_wg) {
		if (t->gemm_wg_x > 1)
			t->gemm_wg_x /= 2;
		else
			t->gemm_wg_y /= 2;
	}
	if (max_wg && t->lws > max_wg)
		t->lws = max_wg;
}

static void describe(cl_platform_id p, cl_device_id d, struct qcl_device *dev)
{
	char pname[128] = "", dname[128] = "";

	memset(dev, 0, sizeof(*dev));
	dev->platform = p;
	dev->id = d;
	clGetPlatformInfo(p, CL_PLATFORM_NAME, sizeof(pname) - 1, pname, NULL);
	clGetDeviceInfo(d, CL_DEVICE_NAME, sizeof(dname) - 1, dname, NULL);
	clGetDeviceInfo(d, CL_DRIVER_VERSION, sizeof(dev->driver) - 1, dev->driver, NULL);
	clGetDeviceInfo(d, CL_DEVICE_VERSION, sizeof(dev->version) - 1, dev->version, NULL);
	snprintf(dev->name, sizeof(dev->name), "%s / %s", pname, dname);
	dev->dot = probe_dot(d);
	pick_tuning(d, &dev->tune);
}

int qcl_list_devices(struct qcl_device *out, int max)
{
	cl_platform_id plats[QCL_MAX_PLATFORMS];
	cl_uint np = 0;
	int n = 0;

	if (clGetPlatformIDs(QCL_MAX_PLATFORMS, plats, &np) != CL_SUCCESS)
		return 0;
	if (np > QCL_MAX_PLATFORMS)
		np = QCL_MAX_PLATFORMS;
	for (cl_uint i = 0; i < np; i++) {
		cl_device_id devs[QCL_MAX_DEVICES];
		cl_uint nd = 0;

		if (clGetDeviceIDs(plats[i], CL_DEVICE_TYPE_ALL, QCL_MAX_DEVICES, devs,
				   &nd) != CL_SUCCESS)
			continue;
		if (nd > QCL_MAX_DEVICES)
			nd = QCL_MAX_DEVICES;
		for (cl_uint j = 0; j < nd && n < max; j++)
			describe(plats[i], devs[j], &out[n++]);
	}
	return n;
}

static bool contains_nocase(const char *hay, const char *needle, size_t n)
{
	for (; *hay; hay++) {
		size_t i = 0;

		while (i < n && hay[i] &&
		       tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

/* ",dot=off|emulate" options after the selector. */
static int parse_options(const char *opt, struct qcl_device *dev)
{
	while (opt && *opt) {
		const char *end = strchr(opt + 1, ',');
		size_t n = end ? (size_t)(end - opt) : strlen(opt);

		if (n == 8 && !strncmp(opt, ",dot=off", n))
			dev->dot = QCL_DOT_NONE;
		else if (n == 12 && !strncmp(opt, ",dot=emulate", n))
			dev->dot = QCL_DOT_EMULATE;
		else
			return -EINVAL;
		opt = end;
	}
	return 0;
}

int qcl_pick_device(const char *spec, struct qcl_device *dev)
{
	struct qcl_device *all = calloc(QCL_MAX_DEVICES, sizeof(*all));
	const char *opt = spec ? strchr(spec, ',') : NULL;
	size_t sel_len = spec ? (opt ? (size_t)(opt - spec) : strlen(spec)) : 0;
	int n, pick = -1, ret = -ENODEV;

	if (!all)
		return -ENOMEM;
	n = qcl_list_devices(all, QCL_MAX_DEVICES);
	if (!sel_len) {
		for (int i = 0; i < n && pick < 0; i++) {
			cl_device_type type = 0;

			clGetDeviceInfo(all[i].id, CL_DEVICE_TYPE, sizeof(type), &type, NULL);
			if (type & CL_DEVICE_TYPE_GPU)
				pick = i;
		}
		if (pick < 0 && n > 0)
			pick = 0;
	} else if (isdigit((unsigned char)spec[0])) {
		char *end;
		long v = strtol(spec, &end, 10);

		if ((size_t)(end - spec) != sel_len) {
			ret = -EINVAL;
			goto out;
		}
		if (v < n)
			pick = (int)v;
	} else {
		for (int i = 0; i < n && pick < 0; i++)
			if (contains_nocase(all[i].name, spec, sel_len))
				pick = i;
	}
	if (pick < 0)
		goto out;
	*dev = all[pick];
	ret = parse_options(opt, dev);
out:
	free(all);
	return ret;
}

void qcl_build_options(const struct qcl_device *dev, char *buf, size_t len)
{
	static const char *const dot[] = {
		[QCL_DOT_NONE] = "",
		[QCL_DOT_KHR] = " -DQCL_DOT_KHR",
		[QCL_DOT_ARM] = " -DQCL_DOT_ARM",
		[QCL_DOT_EMULATE] = " -DQCL_DOT_EMULATE",
	};
	const struct qcl_tuning *t = &dev->tune;

	snprintf(buf, len, "-cl-std=CL1.2 -DGEMM_TM=%u -DGEMM_TN=%u -DGEMM_WG_X=%u "
		 "-DGEMM_WG_Y=%u%s", t->gemm_tm, t->gemm_tn, t->gemm_wg_x,
		 t->gemm_wg_y, dot[dev->dot]);
}
