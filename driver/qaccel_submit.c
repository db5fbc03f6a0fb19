// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * SUBMIT: look up the buffer table, copy the command stream out of its
 * buffer and validate the copy against the table's sizes (so userspace
 * cannot change it afterwards), map the buffers for the engine, then queue
 * the job behind its in-syncobj and the buffers' implicit fences.
 */
#include <linux/dma-resv.h>
#include <linux/iosys-map.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>

#include "qaccel_drv.h"

/* The entry size userspace may name: this one, or a grown one. */
#define QACCEL_MAX_ENTRY_SIZE	4096

static int qaccel_submit_check_args(struct drm_device *drm,
				    const struct drm_qaccel_submit *args)
{
	if (args->flags || args->pad) {
		drm_dbg(drm, "SUBMIT: flags %#x pad %#x\n", args->flags,
			args->pad);
		return -EINVAL;
	}
	if (args->buf_count > QACCEL_MAX_BUFFERS || !args->stream_size ||
	    args->stream_size > QACCEL_MAX_STREAM_SIZE) {
		drm_dbg(drm, "SUBMIT: %u buffers, stream of %u bytes\n",
			args->buf_count, args->stream_size);
		return -EINVAL;
	}
	if (args->buf_entry_size < sizeof(struct drm_qaccel_buf_entry) ||
	    args->buf_entry_size > QACCEL_MAX_ENTRY_SIZE) {
		drm_dbg(drm, "SUBMIT: buffer entries of %u bytes\n",
			args->buf_entry_size);
		return -EINVAL;
	}
	if (args->stream_offset % 8) {
		drm_dbg(drm, "SUBMIT: stream at %u\n", args->stream_offset);
		return -EINVAL;
	}
	return 0;
}

/* Looks up the buffer table into job->bos; *write gets each WRITE flag. */
static int qaccel_submit_lookup(struct drm_device *drm, struct drm_file *file,
				const struct drm_qaccel_submit *args,
				struct qaccel_job *job, bool *write)
{
	u8 __user *ubufs = u64_to_user_ptr(args->bufs);
	struct drm_qaccel_buf_entry ent;
	u32 i, k;
	int ret;

	for (i = 0; i < args->buf_count; i++) {
		ret = copy_struct_from_user(&ent, sizeof(ent),
					    ubufs + (size_t)i * args->buf_entry_size,
					    args->buf_entry_size);
		if (ret) {
			drm_dbg(drm, "SUBMIT: entry %u unreadable (%d)\n", i,
				ret);
			return ret == -EFAULT ? -EFAULT : -EINVAL;
		}
		if (!ent.flags || ent.flags & ~(DRM_QACCEL_BUF_READ |
						DRM_QACCEL_BUF_WRITE)) {
			drm_dbg(drm, "SUBMIT: entry %u flags %#x\n", i,
				ent.flags);
			return -EINVAL;
		}
		write[i] = ent.flags & DRM_QACCEL_BUF_WRITE;
		job->bos[i] = drm_gem_object_lookup(file, ent.handle);
		if (!job->bos[i]) {
			drm_dbg(drm, "SUBMIT: entry %u: no handle %u\n", i,
				ent.handle);
			return -ENOENT;
		}
		for (k = 0; k < i; k++) {
			if (job->bos[k] == job->bos[i]) {
				drm_dbg(drm, "SUBMIT: entries %u and %u name one buffer\n",
					k, i);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Copies the stream into job->stream; the buffer must not be in the table. */
static int qaccel_submit_copy_stream(struct drm_device *drm,
				     struct drm_file *file,
				     const struct drm_qaccel_submit *args,
				     struct qaccel_job *job)
{
	struct drm_gem_shmem_object *shmem;
	struct drm_gem_object *obj;
	struct iosys_map map;
	int ret;
	u32 i;

	obj = drm_gem_object_lookup(file, args->stream_handle);
	if (!obj) {
		drm_dbg(drm, "SUBMIT: no stream handle %u\n",
			args->stream_handle);
		return -ENOENT;
	}
	ret = -EINVAL;
	for (i = 0; i < job->num_bos; i++) {
		if (job->bos[i] == obj) {
			drm_dbg(drm, "SUBMIT: stream buffer is entry %u\n", i);
			goto out_put;
		}
	}
	if ((u64)args->stream_offset + args->stream_size > obj->size) {
		drm_dbg(drm, "SUBMIT: stream %u+%u past its buffer (%zu)\n",
			args->stream_offset, args->stream_size, obj->size);
		goto out_put;
	}
	ret = -ENOMEM;
	job->stream = kvmalloc(args->stream_size, GFP_KERNEL);
	if (!job->stream)
		goto out_put;
	shmem = to_drm_gem_shmem_obj(obj);
	ret = drm_gem_shmem_vmap(shmem, &map);
	if (ret)
		goto out_put;
	iosys_map_memcpy_from(job->stream, &map, args->stream_offset,
			      args->stream_size);
	drm_gem_shmem_vunmap(shmem, &map);
	job->stream_size = args->stream_size;
out_put:
	drm_gem_object_put(obj);
	return ret;
}

/* Validates the copy, then maps every buffer for the engine. */
static int qaccel_submit_prepare(struct drm_device *drm,
				 struct drm_qaccel_submit *args,
				 struct qaccel_job *job)
{
	struct qaccel_validate_error err = { 0 };
	u64 *sizes;
	int ret;
	u32 i;

	sizes = kvcalloc(job->num_bos + 1, sizeof(*sizes), GFP_KERNEL);
	if (!sizes)
		return -ENOMEM;
	for (i = 0; i < job->num_bos; i++)
		sizes[i] = job->bos[i]->size;
	ret = qaccel_validate(job->stream, job->stream_size, sizes,
			      job->num_bos, &err);
	kvfree(sizes);
	if (ret) {
		args->error_offset = err.offset;
		drm_dbg(drm, "SUBMIT: stream rejected at byte %u: %s (%d)\n",
			err.offset, err.reason ? err.reason : "?", ret);
		return ret;
	}

	for (i = 0; i < job->num_bos; i++) {
		ret = drm_gem_shmem_vmap(to_drm_gem_shmem_obj(job->bos[i]),
					 &job->maps[i]);
		if (ret)
			return ret;
		job->mapped++;
		job->views[i].ptr = job->maps[i].vaddr;
		job->views[i].size = job->bos[i]->size;
	}
	return 0;
}

/*
 * Waits on the in-syncobj and on the buffers' fences, then queues the job
 * and publishes its fence in the buffers and the out-syncobj.
 */
static int qaccel_submit_queue(struct qaccel_device *qdev,
			       struct drm_file *file,
			       struct drm_qaccel_submit *args,
			       struct qaccel_job *job, const bool *write)
{
	struct qaccel_file *qfile = file->driver_priv;
	struct drm_syncobj *out_sync = NULL;
	struct ww_acquire_ctx ctx;
	struct dma_fence *fence;
	int ret;
	u32 i;

	ret = drm_sched_job_init(&job->base, &qfile->entity, qfile);
	if (ret)
		return ret;
	if (args->in_syncobj) {
		ret = drm_syncobj_find_fence(file, args->in_syncobj, 0, 0,
					     &fence);
		if (ret) {
			drm_dbg(&qdev->drm, "SUBMIT: in-syncobj %u: %d\n",
				args->in_syncobj, ret);
			goto err_cleanup;
		}
		ret = drm_sched_job_add_dependency(&job->base, fence);
		if (ret)
			goto err_cleanup;
	}
	if (args->out_syncobj) {
		out_sync = drm_syncobj_find(file, args->out_syncobj);
		if (!out_sync) {
			drm_dbg(&qdev->drm, "SUBMIT: no out-syncobj %u\n",
				args->out_syncobj);
			ret = -ENOENT;
			goto err_cleanup;
		}
	}

	ret = drm_gem_lock_reservations(job->bos, job->num_bos, &ctx);
	if (ret)
		goto err_put_sync;
	for (i = 0; i < job->num_bos; i++) {
		ret = dma_resv_reserve_fences(job->bos[i]->resv, 1);
		if (!ret)
			ret = drm_sched_job_add_implicit_dependencies(&job->base,
								      job->bos[i],
								      write[i]);
		if (ret)
			goto err_unlock;
	}

	/* Nothing fails from here on: a fault taken is a fault injected. */
	qaccel_take_faults(&job->hang, &job->fail);
	mutex_lock(&qdev->push_lock);
	qaccel_sched_update_timeout(qdev);
	drm_sched_job_arm(&job->base);
	fence = &job->base.s_fence->finished;
	for (i = 0; i < job->num_bos; i++)
		dma_resv_add_fence(job->bos[i]->resv, fence,
				   write[i] ? DMA_RESV_USAGE_WRITE :
				   DMA_RESV_USAGE_READ);
	args->seqno = fence->seqno;
	if (out_sync)
		drm_syncobj_replace_fence(out_sync, fence);
	drm_gem_unlock_reservations(job->bos, job->num_bos, &ctx);
	atomic_inc(&qdev->jobs);
	atomic_inc(&qfile->jobs);
	/* Once pushed, the job may run and be freed at any time. */
	drm_sched_entity_push_job(&job->base);
	mutex_unlock(&qdev->push_lock);

	if (out_sync)
		drm_syncobj_put(out_sync);
	return 0;

err_unlock:
	drm_gem_unlock_reservations(job->bos, job->num_bos, &ctx);
err_put_sync:
	if (out_sync)
		drm_syncobj_put(out_sync);
err_cleanup:
	drm_sched_job_cleanup(&job->base);
	return ret;
}

int qaccel_ioctl_submit(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct qaccel_device *qdev = to_qaccel_device(drm);
	struct qaccel_file *qfile = file->driver_priv;
	struct drm_qaccel_submit *args = data;
	struct qaccel_job *job;
	bool *write = NULL;
	u32 n = args->buf_count;
	int ret;

	args->error_offset = 0;
	args->seqno = 0;
	ret = qaccel_submit_check_args(drm, args);
	if (ret)
		return ret;
	ret = wait_event_interruptible(qfile->room, atomic_read(&qfile->jobs) <
				       QACCEL_MAX_FILE_JOBS);
	if (ret)
		return ret;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	job->qdev = qdev;
	job->num_bos = n;
	/* One more than needed: n may be 0. */
	job->bos = kvcalloc(n + 1, sizeof(*job->bos), GFP_KERNEL);
	job->maps = kvcalloc(n + 1, sizeof(*job->maps), GFP_KERNEL);
	job->views = kvcalloc(n + 1, sizeof(*job->views), GFP_KERNEL);
	write = kvcalloc(n + 1, sizeof(*write), GFP_KERNEL);
	job->hw_fence = kzalloc(sizeof(*job->hw_fence), GFP_KERNEL);
	ret = -ENOMEM;
	if (!job->bos || !job->maps || !job->views || !write || !job->hw_fence)
		goto err_free;

	ret = qaccel_submit_lookup(drm, file, args, job, write);
	if (!ret)
		ret = qaccel_submit_copy_stream(drm, file, args, job);
	if (!ret)
		ret = qaccel_submit_prepare(drm, args, job);
	if (ret)
		goto err_free;

	kref_get(&qfile->ref);
	job->qfile = qfile;
	ret = qaccel_submit_queue(qdev, file, args, job, write);
	if (ret)
		goto err_free;
	kvfree(write);
	return 0;

err_free:
	qaccel_job_put_resources(job);
	kfree(job);
	kvfree(write);
	return ret;
}
