// SPDX-License-Identifier: MIT
/*
 * The drm backend where there is no qaccel device (this machine; the VM
 * runs the device side, tests/drm/): asking for it fails with -errno and
 * a message naming what was looked at, never a crash; auto falls back and
 * gives the reference bytes; the ABI/ISA check and the device line on
 * made-up QUERY answers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qaccel.h"

#ifdef QACCEL_HAVE_DRM

#include "kselftest_harness.h"
#include "runtime/backend/drm_device.h"
#include "uapi/qaccel_cmd.h"

#define DIGITS "tests/golden/models/digits.tflite"

static int open_drm(const char *device, struct qaccel_ctx **ctx)
{
	struct qaccel_ctx_options o = { .struct_size = sizeof(o),
					.backend = QACCEL_BACKEND_DRM,
					.device = device };

	*ctx = (struct qaccel_ctx *)1;	/* must be reset to NULL on failure */
	return qaccel_ctx_create(&o, ctx);
}

static int contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fprintf(stderr, "# message \"%s\" lacks \"%s\"\n", hay, needle);
	return strstr(hay, needle) != NULL;
}

/* A directory of fake nodes: links to devices that are not DRM. */
FIXTURE(fakedir) {
	char dir[64];
};

FIXTURE_SETUP(fakedir)
{
	strcpy(self->dir, "/tmp/qaccel-drm-test-XXXXXX");
	ASSERT_NE(mkdtemp(self->dir), NULL);
}

FIXTURE_TEARDOWN(fakedir)
{
	static const char *const names[] = { "renderD128", "accel0", "card0",
					     "renderDx" };
	char p[128];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", self->dir, names[i]);
		unlink(p);
	}
	rmdir(self->dir);
}

static void fake_node(const char *dir, const char *name, const char *target)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (symlink(target, p))
		perror(p);
}

TEST(missing_node_names_the_path)
{
	struct qaccel_ctx *ctx;

	ASSERT_EQ(open_drm("/nonexistent/renderD128", &ctx), -ENOENT);
	ASSERT_EQ(ctx, NULL);
	ASSERT_TRUE(contains(qaccel_last_error(), "/nonexistent/renderD128"));
}

TEST(not_a_drm_device)
{
	struct qaccel_ctx *ctx;

	ASSERT_EQ(open_drm("/dev/null", &ctx), -ENODEV);
	ASSERT_EQ(ctx, NULL);
	ASSERT_TRUE(contains(qaccel_last_error(), "/dev/null is not a DRM device"));
}

TEST_F(fakedir, empty_directory)
{
	struct qaccel_ctx *ctx;

	fake_node(self->dir, "card0", "/dev/null");	/* not a render node */
	ASSERT_EQ(open_drm(self->dir, &ctx), -ENODEV);
	ASSERT_EQ(ctx, NULL);
	ASSERT_TRUE(contains(qaccel_last_error(), "no qaccel device"));
	ASSERT_TRUE(contains(qaccel_last_error(), self->dir));
	ASSERT_TRUE(contains(qaccel_last_error(), "qaccel.ko"));
}

TEST_F(fakedir, nodes_of_no_drm_driver)
{
	struct qaccel_ctx *ctx;

	fake_node(self->dir, "renderD128", "/dev/null");
	fake_node(self->dir, "accel0", "/dev/zero");
	fake_node(self->dir, "renderDx", "/dev/null");	/* not a node name */
	ASSERT_EQ(open_drm(self->dir, &ctx), -ENODEV);
	ASSERT_TRUE(contains(qaccel_last_error(), "none of the 2 nodes"));
}

TEST_F(fakedir, environment_names_the_place)
{
	struct qaccel_ctx *ctx;

	ASSERT_EQ(setenv(QACCEL_DRM_DEVICE_ENV, self->dir, 1), 0);
	ASSERT_EQ(open_drm(NULL, &ctx), -ENODEV);
	ASSERT_TRUE(contains(qaccel_last_error(), self->dir));
	/* An explicit device wins over the environment. */
	ASSERT_EQ(open_drm("/dev/null", &ctx), -ENODEV);
	ASSERT_TRUE(contains(qaccel_last_error(), "/dev/null"));
}

/* Runs digits on one sample; 0 and out filled, or -errno. */
static int run_digits(struct qaccel_ctx *ctx, int8_t out[10])
{
	struct qaccel_model *m;
	int8_t in[64];
	int ret;

	for (int i = 0; i < 64; i++)
		in[i] = (int8_t)(i * 37 - 100);
	ret = qaccel_model_load_file(ctx, DIGITS, &m);
	if (ret)
		return ret;
	ret = qaccel_model_set_input(m, 0, in, sizeof(in));
	if (!ret)
		ret = qaccel_model_run(m);
	if (!ret)
		ret = qaccel_model_get_output(m, 0, out, 10);
	qaccel_model_free(m);
	return ret;
}

TEST_F(fakedir, auto_falls_back_and_matches_ref)
{
	struct qaccel_ctx_options o = { .struct_size = sizeof(o),
					.backend = QACCEL_BACKEND_REF };
	struct qaccel_ctx *ctx;
	int8_t want[10], got[10];

	ASSERT_EQ(qaccel_ctx_create(&o, &ctx), 0);
	ASSERT_EQ(run_digits(ctx, want), 0);
	qaccel_ctx_destroy(ctx);

	fake_node(self->dir, "renderD128", "/dev/null");
	ASSERT_EQ(setenv(QACCEL_DRM_DEVICE_ENV, self->dir, 1), 0);
	o.backend = QACCEL_BACKEND_AUTO;
	ASSERT_EQ(qaccel_ctx_create(&o, &ctx), 0);
	ASSERT_STRNE(qaccel_ctx_backend_name(ctx), "drm");
	ASSERT_EQ(qaccel_last_error()[0], '\0');
	ASSERT_EQ(run_digits(ctx, got), 0);
	ASSERT_EQ(memcmp(got, want, sizeof(want)), 0);
	qaccel_ctx_destroy(ctx);
}

static struct drm_qaccel_query_info good_info(void)
{
	struct drm_qaccel_query_info i = {
		.abi_version = QACCEL_DRM_ABI, .isa_version = QACCEL_ISA_VERSION,
		.opcodes_mask = ((1ull << QACCEL_OP_COUNT) - 1) & ~1ull,
		.max_stream_size = 1u << 20, .max_cmds = 4096, .max_buffers = 256,
		.timeout_ms = 500, .max_bo_size = 256ull << 20,
	};

	return i;
}

TEST(query_checks)
{
	struct drm_qaccel_query_info i = good_info();
	char msg[256];

	ASSERT_EQ(qaccel_drm_check_info(&i, sizeof(i), msg, sizeof(msg)), 0);
	/* A kernel with a bigger struct is fine; a smaller one lacks fields. */
	ASSERT_EQ(qaccel_drm_check_info(&i, sizeof(i) + 8, msg, sizeof(msg)), 0);
	ASSERT_EQ(qaccel_drm_check_info(&i, sizeof(i) - 4, msg, sizeof(msg)), -EPROTO);
	ASSERT_TRUE(contains(msg, "older"));

	i.abi_version = QACCEL_DRM_ABI + 1;
	ASSERT_EQ(qaccel_drm_check_info(&i, sizeof(i), msg, sizeof(msg)), -EPROTO);
	ASSERT_TRUE(contains(msg, "ABI 2"));

	i = good_info();
	i.isa_version = QACCEL_ISA_VERSION + 1;
	ASSERT_EQ(qaccel_drm_check_info(&i, sizeof(i), msg, sizeof(msg)), -EPROTO);
	ASSERT_TRUE(contains(msg, "ISA 2"));

	i = good_info();
	i.max_buffers = 0;
	ASSERT_EQ(qaccel_drm_check_info(&i, sizeof(i), msg, sizeof(msg)), -EPROTO);
	ASSERT_TRUE(contains(msg, "zero limit"));
	i = good_info();
	i.max_bo_size = 0;
	ASSERT_EQ(qaccel_drm_check_info(&i, sizeof(i), msg, sizeof(msg)), -EPROTO);
}

TEST(device_line)
{
	struct qaccel_drm_dev d = { .fd = -1, .info = good_info() };
	char want[64];

	strcpy(d.path, "/dev/dri/renderD129");
	strcpy(d.driver_version, "1.2.3 20261125");
	qaccel_drm_describe(&d);
	ASSERT_TRUE(contains(d.desc, "/dev/dri/renderD129"));
	ASSERT_TRUE(contains(d.desc, "driver 1.2.3 20261125"));
	snprintf(want, sizeof(want), "%d of %d opcodes", QACCEL_OP_COUNT - 1,
		 QACCEL_OP_COUNT - 1);
	ASSERT_TRUE(contains(d.desc, want));
	ASSERT_TRUE(contains(d.desc, "job timeout 500 ms"));
	ASSERT_TRUE(contains(d.desc, "256 buffers"));
	ASSERT_TRUE(contains(d.desc, "256 MiB per buffer"));

	d.info.opcodes_mask &= ~(1ull << QACCEL_OP_LUT);
	qaccel_drm_describe(&d);
	snprintf(want, sizeof(want), "%d of %d opcodes", QACCEL_OP_COUNT - 2,
		 QACCEL_OP_COUNT - 1);
	ASSERT_TRUE(contains(d.desc, want));
}

TEST_HARNESS_MAIN

#else /* !QACCEL_HAVE_DRM */

int main(void)
{
	printf("1..0 # SKIP libqaccel built without libdrm (libdrm-dev): no drm backend\n");
	return 0;
}

#endif
