// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Jobs on drm_sched: one scheduler in front of the engine, which runs one
 * job at a time; the timeout handler resets the engine, which stops the
 * job that ran too long, and lets the queue go on.
 */
#include <linux/dma-fence.h>
#include <linux/slab.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "qaccel_drv.h"

static void qaccel_file_release(struct kref *ref)
{
	kfree(container_of(ref, struct qaccel_file, ref));
}

void qaccel_file_put(struct qaccel_file *qfile)
{
	kref_put(&qfile->ref, qaccel_file_release);
}

/* Undoes what SUBMIT set up; also for a job that never got queued. */
void qaccel_job_put_resources(struct qaccel_job *job)
{
	u32 i;

	for (i = 0; i < job->mapped; i++)
		drm_gem_shmem_vunmap(to_drm_gem_shmem_obj(job->bos[i]),
				     &job->maps[i]);
	for (i = 0; i < job->num_bos; i++)
		if (job->bos[i])
			drm_gem_object_put(job->bos[i]);
	kvfree(job->stream);
	kvfree(job->views);
	kvfree(job->maps);
	kvfree(job->bos);
	/* Until the engine initialises it, the fence is bare memory. */
	if (job->hw_fence && job->hw_fence->ops)
		dma_fence_put(job->hw_fence);
	else
		kfree(job->hw_fence);
	if (job->qfile)
		qaccel_file_put(job->qfile);
}

static struct dma_fence *qaccel_job_run(struct drm_sched_job *sched_job)
{
	struct qaccel_job *job = to_qaccel_job(sched_job);

	return qaccel_engine_run(&job->qdev->engine, job);
}

static enum drm_gpu_sched_stat
qaccel_job_timedout(struct drm_sched_job *sched_job)
{
	struct qaccel_job *job = to_qaccel_job(sched_job);
	struct qaccel_device *qdev = job->qdev;

	/*
	 * Park the queue, stop the job on the engine (its fences get
	 * -ETIMEDOUT), then let the queue go on with the next job.
	 */
	drm_sched_stop(&qdev->sched, sched_job);
	if (qaccel_engine_reset(&qdev->engine, job))
		drm_dbg(&qdev->drm, "job %llu timed out: engine reset\n",
			sched_job->s_fence->finished.seqno);
	drm_sched_start(&qdev->sched, true);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void qaccel_job_free(struct drm_sched_job *sched_job)
{
	struct qaccel_job *job = to_qaccel_job(sched_job);
	struct qaccel_device *qdev = job->qdev;
	struct qaccel_file *qfile = job->qfile;

	/* The file may be closed: the job's reference keeps qfile. */
	kref_get(&qfile->ref);
	drm_sched_job_cleanup(sched_job);
	qaccel_job_put_resources(job);
	kfree(job);
	atomic_dec(&qfile->jobs);
	wake_up(&qfile->room);
	qaccel_file_put(qfile);
	if (atomic_dec_and_test(&qdev->jobs))
		wake_up(&qdev->jobs_freed);
}

static const struct drm_sched_backend_ops qaccel_sched_ops = {
	.run_job = qaccel_job_run,
	.timedout_job = qaccel_job_timedout,
	.free_job = qaccel_job_free,
};

void qaccel_sched_update_timeout(struct qaccel_device *qdev)
{
	WRITE_ONCE(qdev->sched.timeout, msecs_to_jiffies(qaccel_timeout_ms()));
}

int qaccel_sched_init(struct qaccel_device *qdev)
{
	/*
	 * One job on the engine at a time: a timeout names the one running.
	 * Kbuild says which drm_sched_init() this kernel has.
	 */
#ifdef QACCEL_SCHED_INIT_ARGS
	const struct drm_sched_init_args args = {
		.ops = &qaccel_sched_ops,
		.credit_limit = 1,
		.timeout = msecs_to_jiffies(qaccel_timeout_ms()),
		.name = QACCEL_DRIVER_NAME,
		.dev = qdev->drm.dev,
	};

	return drm_sched_init(&qdev->sched, &args);
#else
	return drm_sched_init(&qdev->sched, &qaccel_sched_ops, 1, 0,
			      msecs_to_jiffies(qaccel_timeout_ms()), NULL, NULL,
			      QACCEL_DRIVER_NAME, qdev->drm.dev);
#endif
}

void qaccel_sched_fini(struct qaccel_device *qdev)
{
	drm_sched_fini(&qdev->sched);
}
