// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * debugfs: dri/<minor>/qaccel_state, one "key value" line each, so tests
 * can check that nothing leaks (live buffers, jobs, open files) and count
 * engine resets.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <drm/drm_debugfs.h>
#include <drm/drm_file.h>

#include "qaccel_drv.h"

static int qaccel_state_show(struct seq_file *m, void *unused)
{
	struct drm_info_node *node = m->private;
	struct qaccel_device *qdev = to_qaccel_device(node->minor->dev);
	struct qaccel_engine *eng = &qdev->engine;

	seq_printf(m, "bos %d\n", atomic_read(&qdev->bos));
	seq_printf(m, "jobs %d\n", atomic_read(&qdev->jobs));
	seq_printf(m, "files %d\n", atomic_read(&qdev->files));
	seq_printf(m, "resets %d\n", atomic_read(&eng->resets));
	seq_printf(m, "timeout_ms %u\n", qaccel_timeout_ms());
	seq_printf(m, "engine_busy %d\n", READ_ONCE(eng->cur) ? 1 : 0);
	return 0;
}

static const struct drm_info_list qaccel_debugfs_list[] = {
	{ "qaccel_state", qaccel_state_show, 0, NULL },
};

void qaccel_debugfs_init(struct drm_minor *minor)
{
	drm_debugfs_create_files(qaccel_debugfs_list,
				 ARRAY_SIZE(qaccel_debugfs_list),
				 minor->debugfs_root, minor);
}
