// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * qaccel.ko: module parameters, the DRM driver and its ioctl table, file
 * open/close, and the platform device the module registers for itself
 * (there is no hardware: the engine is simulated).
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_prime.h>

#include "qaccel_drv.h"

/* The scheduler's job timeout; read at every submit. */
static unsigned int timeout_ms = 500;

static int qaccel_timeout_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int ret = kstrtouint(val, 0, &ms);

	if (ret)
		return ret;
	if (ms < 1 || ms > 3600 * 1000)
		return -EINVAL;
	WRITE_ONCE(timeout_ms, ms);
	return 0;
}

static const struct kernel_param_ops qaccel_timeout_ops = {
	.set = qaccel_timeout_set,
	.get = param_get_uint,
};

module_param_cb(timeout_ms, &qaccel_timeout_ops, &timeout_ms, 0644);
MODULE_PARM_DESC(timeout_ms, "job timeout in ms (1..3600000, default 500)");

/* Fault injection: the next N jobs submitted hang / fail. */
static int fault_hang;
module_param(fault_hang, int, 0644);
MODULE_PARM_DESC(fault_hang, "the next N jobs hang until the timeout");

static int fault_fail;
module_param(fault_fail, int, 0644);
MODULE_PARM_DESC(fault_fail, "the next N jobs fail with -EIO");

static DEFINE_SPINLOCK(qaccel_fault_lock);

unsigned int qaccel_timeout_ms(void)
{
	return READ_ONCE(timeout_ms);
}

/* A job takes one fault at most: a hang if one is due, else a failure. */
void qaccel_take_faults(bool *hang, bool *fail)
{
	int n;

	spin_lock(&qaccel_fault_lock);
	n = READ_ONCE(fault_hang);
	*hang = n > 0;
	if (*hang)
		WRITE_ONCE(fault_hang, n - 1);
	n = READ_ONCE(fault_fail);
	*fail = !*hang && n > 0;
	if (*fail)
		WRITE_ONCE(fault_fail, n - 1);
	spin_unlock(&qaccel_fault_lock);
}

static int qaccel_open(struct drm_device *drm, struct drm_file *file)
{
	struct qaccel_device *qdev = to_qaccel_device(drm);
	struct drm_gpu_scheduler *sched = &qdev->sched;
	struct qaccel_file *qfile;
	int ret;

	qfile = kzalloc(sizeof(*qfile), GFP_KERNEL);
	if (!qfile)
		return -ENOMEM;
	kref_init(&qfile->ref);
	qfile->qdev = qdev;
	init_waitqueue_head(&qfile->room);
	ret = drm_sched_entity_init(&qfile->entity, DRM_SCHED_PRIORITY_NORMAL,
				    &sched, 1, NULL);
	if (ret) {
		kfree(qfile);
		return ret;
	}
	atomic_inc(&qdev->files);
	file->driver_priv = qfile;
	return 0;
}

/*
 * Jobs already queued run (or, when the process was killed, are dropped by
 * the scheduler, and the one on the engine is stopped); jobs on the engine
 * hold their own reference to qfile.
 */
static void qaccel_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct qaccel_device *qdev = to_qaccel_device(drm);
	struct qaccel_file *qfile = file->driver_priv;

	/* A killed process's entity is stopped here: nothing more starts. */
	drm_sched_entity_flush(&qfile->entity, MAX_WAIT_SCHED_ENTITY_Q_EMPTY);
	if ((current->flags & PF_EXITING) && current->exit_code == SIGKILL)
		qaccel_engine_kill_file(&qdev->engine, qfile);
	drm_sched_entity_fini(&qfile->entity);
	atomic_dec(&qdev->files);
	qaccel_file_put(qfile);
}

static const struct drm_ioctl_desc qaccel_ioctls[] = {
	DRM_IOCTL_DEF_DRV(QACCEL_QUERY, qaccel_ioctl_query, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QACCEL_BO_CREATE, qaccel_ioctl_bo_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QACCEL_BO_WAIT, qaccel_ioctl_bo_wait,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QACCEL_SUBMIT, qaccel_ioctl_submit, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QACCEL_GET_STATS, qaccel_ioctl_get_stats,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QACCEL_BO_INFO, qaccel_ioctl_bo_info,
			  DRM_RENDER_ALLOW),
};

DEFINE_DRM_GEM_FOPS(qaccel_fops);

static const struct drm_driver qaccel_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ,
	.open = qaccel_open,
	.postclose = qaccel_postclose,
	.ioctls = qaccel_ioctls,
	.num_ioctls = ARRAY_SIZE(qaccel_ioctls),
	.fops = &qaccel_fops,
	.gem_create_object = qaccel_gem_create_object,
	.prime_handle_to_fd = drm_gem_prime_handle_to_fd,
	.prime_fd_to_handle = drm_gem_prime_fd_to_handle,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
	.gem_prime_mmap = drm_gem_prime_mmap,
#ifdef CONFIG_DEBUG_FS
	.debugfs_init = qaccel_debugfs_init,
#endif
	.name = QACCEL_DRIVER_NAME,
	.desc = "qaccel simulated int8 accelerator",
	.date = "20260101",
	.major = QACCEL_ABI_VERSION,
	.minor = 0,
};

static int qaccel_probe(struct platform_device *pdev)
{
	struct qaccel_device *qdev;
	int ret;

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	qdev = devm_drm_dev_alloc(&pdev->dev, &qaccel_drm_driver,
				  struct qaccel_device, drm);
	if (IS_ERR(qdev))
		return PTR_ERR(qdev);
	mutex_init(&qdev->push_lock);
	init_waitqueue_head(&qdev->jobs_freed);
	platform_set_drvdata(pdev, qdev);

	ret = qaccel_engine_init(&qdev->engine);
	if (ret)
		return ret;
	ret = qaccel_sched_init(qdev);
	if (ret)
		goto err_engine;
	ret = drm_dev_register(&qdev->drm, 0);
	if (ret)
		goto err_sched;
	return 0;

err_sched:
	qaccel_sched_fini(qdev);
err_engine:
	qaccel_engine_fini(&qdev->engine);
	return ret;
}

/*
 * No file is open (each holds a module reference), but jobs of files
 * closed mid-job may still be queued or on the engine: the engine ends
 * them at once, and unload waits until the scheduler has freed them.
 */
static int qaccel_remove(struct platform_device *pdev)
{
	struct qaccel_device *qdev = platform_get_drvdata(pdev);

	drm_dev_unregister(&qdev->drm);
	qaccel_engine_stop_all(&qdev->engine);
	wait_event(qdev->jobs_freed, !atomic_read(&qdev->jobs));
	qaccel_sched_fini(qdev);
	qaccel_engine_fini(&qdev->engine);
	mutex_destroy(&qdev->push_lock);
	return 0;
}

static struct platform_driver qaccel_platform_driver = {
	.probe = qaccel_probe,
	.remove = qaccel_remove,
	.driver = {
		.name = QACCEL_DRIVER_NAME,
	},
};

static struct platform_device *qaccel_pdev;

static int __init qaccel_init(void)
{
	int ret = platform_driver_register(&qaccel_platform_driver);

	if (ret)
		return ret;
	qaccel_pdev = platform_device_register_simple(QACCEL_DRIVER_NAME, -1,
						      NULL, 0);
	if (IS_ERR(qaccel_pdev)) {
		ret = PTR_ERR(qaccel_pdev);
		goto err_driver;
	}
	/* Probing is synchronous: no driver data means it failed. */
	if (!platform_get_drvdata(qaccel_pdev)) {
		ret = -ENODEV;
		goto err_device;
	}
	return 0;

err_device:
	platform_device_unregister(qaccel_pdev);
err_driver:
	platform_driver_unregister(&qaccel_platform_driver);
	return ret;
}

static void __exit qaccel_exit(void)
{
	platform_device_unregister(qaccel_pdev);
	platform_driver_unregister(&qaccel_platform_driver);
}

module_init(qaccel_init);
module_exit(qaccel_exit);

MODULE_DESCRIPTION("qaccel: simulated int8 inference accelerator (DRM)");
MODULE_LICENSE("Dual MIT/GPL");
