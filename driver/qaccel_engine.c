// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The simulated engine: it runs a job's validated stream with the
 * reference kernels on the job's vmapped buffers, on its own ordered
 * workqueue (never in the submitter's context), and signals the job's
 * hardware fence when done. A reset stops the running job between two
 * commands, as a hardware reset would.
 */
#include <linux/dma-fence.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "qaccel_drv.h"

static const char *qaccel_fence_driver_name(struct dma_fence *fence)
{
	return QACCEL_DRIVER_NAME;
}

static const char *qaccel_fence_timeline_name(struct dma_fence *fence)
{
	return "qaccel-engine";
}

static const struct dma_fence_ops qaccel_fence_ops = {
	.get_driver_name = qaccel_fence_driver_name,
	.get_timeline_name = qaccel_fence_timeline_name,
};

static bool qaccel_engine_stopping(struct qaccel_engine *eng)
{
	return READ_ONCE(eng->cancel) || READ_ONCE(eng->dying) ||
	       READ_ONCE(eng->kill);
}

/* Polled between commands. */
static bool qaccel_engine_should_stop(void *ctx)
{
	cond_resched();
	return qaccel_engine_stopping(ctx);
}

static int qaccel_engine_exec(struct qaccel_engine *eng, struct qaccel_job *job)
{
	int ret = 0;

	if (job->fail)
		return -EIO;
	if (job->hang)
		wait_event(eng->idle, qaccel_engine_stopping(eng));
	else
		ret = qaccel_exec_stream(job->stream, job->views,
					 qaccel_engine_should_stop, eng);
	if (ret == -ECANCELED || job->hang)
		return READ_ONCE(eng->cancel) ? -ETIMEDOUT : -ECANCELED;
	return ret;
}

static void qaccel_engine_work(struct work_struct *work)
{
	struct qaccel_job *job = container_of(work, struct qaccel_job, work);
	struct qaccel_engine *eng = &job->qdev->engine;
	struct qaccel_file *qfile = job->qfile;
	struct dma_fence *fence = dma_fence_get(job->hw_fence);
	u64 start = ktime_get_ns();
	int ret = qaccel_engine_exec(eng, job);

	atomic64_add(ktime_get_ns() - start, &qfile->engine_ns);
	if (!ret)
		atomic64_inc(&qfile->completed);
	else if (ret == -ETIMEDOUT)
		atomic64_inc(&qfile->timed_out);
	else
		atomic64_inc(&qfile->failed);
	/*
	 * The scheduler's fence does not inherit the error of ours, and is
	 * only signalled once ours is: set it first.
	 */
	if (ret) {
		dma_fence_set_error(&job->base.s_fence->finished, ret);
		dma_fence_set_error(fence, ret);
	}
	spin_lock(&eng->lock);
	eng->cur = NULL;
	WRITE_ONCE(eng->kill, false);
	spin_unlock(&eng->lock);
	wake_up_all(&eng->idle);
	/* From here on the job may be freed at any time. */
	dma_fence_signal(fence);
	dma_fence_put(fence);
}

/* Called by the scheduler, one job at a time; returns the job's fence. */
struct dma_fence *qaccel_engine_run(struct qaccel_engine *eng,
				    struct qaccel_job *job)
{
	spin_lock(&eng->lock);
	dma_fence_init(job->hw_fence, &qaccel_fence_ops, &eng->lock,
		       eng->fence_context, ++eng->fence_seqno);
	eng->cur = job;
	spin_unlock(&eng->lock);
	INIT_WORK(&job->work, qaccel_engine_work);
	queue_work(eng->wq, &job->work);
	return dma_fence_get(job->hw_fence);
}

/*
 * Stops @job if it is the one on the engine and waits for the engine to
 * be idle. Returns whether a job was stopped. The scheduler is parked.
 */
bool qaccel_engine_reset(struct qaccel_engine *eng, struct qaccel_job *job)
{
	bool running;

	spin_lock(&eng->lock);
	running = eng->cur == job;
	if (running)
		WRITE_ONCE(eng->cancel, true);
	spin_unlock(&eng->lock);
	if (!running)
		return false;
	wake_up_all(&eng->idle);
	flush_work(&job->work);
	WRITE_ONCE(eng->cancel, false);
	atomic_inc(&eng->resets);
	return true;
}

/*
 * Unload: no file is open, but orphaned jobs may be on the engine or
 * queued (a hang waits for the timeout, which may be long): they all end
 * at once with -ECANCELED instead.
 */
void qaccel_engine_stop_all(struct qaccel_engine *eng)
{
	WRITE_ONCE(eng->dying, true);
	wake_up_all(&eng->idle);
}

/*
 * The process owning @qfile was killed: its job on the engine, if any,
 * stops at once with -ECANCELED, as the scheduler drops its queued ones.
 * Otherwise those would wait, and the dying process with them, for the
 * timeout of a hang they depend on.
 */
void qaccel_engine_kill_file(struct qaccel_engine *eng,
			     struct qaccel_file *qfile)
{
	spin_lock(&eng->lock);
	if (eng->cur && eng->cur->qfile == qfile)
		WRITE_ONCE(eng->kill, true);
	spin_unlock(&eng->lock);
	wake_up_all(&eng->idle);
}

int qaccel_engine_init(struct qaccel_engine *eng)
{
	spin_lock_init(&eng->lock);
	init_waitqueue_head(&eng->idle);
	eng->fence_context = dma_fence_context_alloc(1);
	eng->wq = alloc_ordered_workqueue("qaccel-engine", 0);
	return eng->wq ? 0 : -ENOMEM;
}

void qaccel_engine_fini(struct qaccel_engine *eng)
{
	destroy_workqueue(eng->wq);
}
