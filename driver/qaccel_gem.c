// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Buffers: shmem GEM objects, counted per device (debugfs), created by
 * BO_CREATE, described by BO_INFO (imported ones too) and waited on by
 * BO_WAIT. Handles, close, mmap and PRIME come from the DRM core and the
 * shmem helpers.
 */
#include <linux/dma-resv.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/drm_utils.h>

#include "qaccel_drv.h"

static void qaccel_gem_free(struct drm_gem_object *obj)
{
	struct qaccel_device *qdev = to_qaccel_device(obj->dev);

	drm_gem_shmem_free(to_drm_gem_shmem_obj(obj));
	atomic_dec(&qdev->bos);
}

/*
 * A mapping of a buffer is a mapping of its shmem file: pages come on
 * first touch, as for any shared memory, instead of the shmem helper's
 * mmap, which allocates and pins every page of the buffer up front. The
 * engine pins the pages (vmap) only while a job holds the buffer. The
 * mapping keeps the file, not the GEM object, alive; the reference the
 * DRM core took for the mapping is dropped here, as shmem's vm_ops will
 * never drop it.
 */
static int qaccel_gem_mmap(struct drm_gem_object *obj,
			   struct vm_area_struct *vma)
{
	int ret;

	if (obj->import_attach)
		return drm_gem_shmem_object_mmap(obj, vma);
	if (is_cow_mapping(vma->vm_flags))
		return -EINVAL;

	/* The fake offset of the DRM file (or dma-buf) becomes a file offset. */
	vma->vm_pgoff -= drm_vma_node_start(&obj->vma_node);
	vma_set_file(vma, obj->filp);
	vma->vm_private_data = NULL;
	ret = call_mmap(obj->filp, vma);
	if (ret)
		return ret;
	vma->vm_flags |= VM_DONTEXPAND;
	drm_gem_object_put(obj);
	return 0;
}

static const struct drm_gem_object_funcs qaccel_gem_funcs = {
	.free = qaccel_gem_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = qaccel_gem_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/* Every object of this device, made here or imported, is counted. */
struct drm_gem_object *qaccel_gem_create_object(struct drm_device *drm,
						size_t size)
{
	struct qaccel_bo *bo = kzalloc(sizeof(*bo), GFP_KERNEL);

	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->base.base.funcs = &qaccel_gem_funcs;
	atomic_inc(&to_qaccel_device(drm)->bos);
	return &bo->base.base;
}

int qaccel_ioctl_bo_create(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct drm_qaccel_bo_create *args = data;
	struct drm_gem_shmem_object *shmem;
	int ret;

	if (args->flags) {
		drm_dbg(drm, "BO_CREATE: flags %#x\n", args->flags);
		return -EINVAL;
	}
	if (!args->size || args->size > QACCEL_MAX_BO_SIZE) {
		drm_dbg(drm, "BO_CREATE: size %llu\n", args->size);
		return -EINVAL;
	}

	shmem = drm_gem_shmem_create(drm, args->size);
	if (IS_ERR(shmem))
		return PTR_ERR(shmem);
	ret = drm_gem_create_mmap_offset(&shmem->base);
	if (!ret)
		ret = drm_gem_handle_create(file, &shmem->base, &args->handle);
	if (!ret)
		args->mmap_offset = drm_vma_node_offset_addr(&shmem->base.vma_node);
	/* The handle holds the object now, or nothing does. */
	drm_gem_object_put(&shmem->base);
	return ret;
}

int qaccel_ioctl_bo_wait(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct drm_qaccel_bo_wait *args = data;
	struct drm_gem_object *obj;
	long ret;

	if (args->flags) {
		drm_dbg(drm, "BO_WAIT: flags %#x\n", args->flags);
		return -EINVAL;
	}
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj) {
		drm_dbg(drm, "BO_WAIT: no handle %u\n", args->handle);
		return -ENOENT;
	}
	/* Reads are waited for too: idle means no job uses the buffer. */
	ret = dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_READ, true,
				    drm_timeout_abs_to_jiffies(args->timeout_ns));
	drm_gem_object_put(obj);
	if (!ret)
		return -ETIMEDOUT;
	return ret < 0 ? ret : 0;
}

int qaccel_ioctl_bo_info(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct drm_qaccel_bo_info *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->flags) {
		drm_dbg(drm, "BO_INFO: flags %#x\n", args->flags);
		return -EINVAL;
	}
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj) {
		drm_dbg(drm, "BO_INFO: no handle %u\n", args->handle);
		return -ENOENT;
	}
	/* An imported buffer gets its offset on first use. */
	ret = drm_gem_create_mmap_offset(obj);
	if (!ret) {
		args->size = obj->size;
		args->mmap_offset = drm_vma_node_offset_addr(&obj->vma_node);
	}
	drm_gem_object_put(obj);
	return ret;
}
