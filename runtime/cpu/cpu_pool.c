// SPDX-License-Identifier: MIT
/*
 * The thread pool: threads - 1 workers created once with the backend; the
 * caller's thread is worker 0. A parallel region publishes its function
 * and a new generation in one 64-bit word, (generation << 32) | next task,
 * and every thread claims tasks by compare-and-swap on that word, so a
 * thread that arrives late (still waking up) can never take a task of a
 * region it did not read: its generation no longer matches. The caller
 * waits only for the tasks to be done, not for every worker to show up.
 * Workers spin a while for the next region (commands follow each other
 * within microseconds), then sleep on a condition variable so that an idle
 * model costs no CPU.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "cpu.h"

/* About a millisecond of polling before a worker goes to sleep. */
#define SPIN_ROUNDS 20000

typedef void (*cpu_task_fn)(void *arg, u32 task, u32 thread);

struct cpu_pool {
	int threads;
	pthread_t *tids;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	_Atomic u64 state;		/* generation << 32 | next task */
	_Atomic u32 done;		/* tasks finished in this region */
	_Atomic(cpu_task_fn) fn;
	_Atomic(void *) arg;
	_Atomic u32 ntasks;
	atomic_int sleepers;
	atomic_bool quit;
};

struct worker_arg {
	struct cpu_pool *p;
	u32 index;
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* Claims and runs tasks of generation gen until none is left. */
static void run_tasks(struct cpu_pool *p, u32 gen, u32 thread)
{
	cpu_task_fn fn = atomic_load(&p->fn);
	void *arg = atomic_load(&p->arg);
	u32 n = atomic_load(&p->ntasks);
	u64 s = atomic_load(&p->state);

	for (;;) {
		if ((u32)(s >> 32) != gen || (u32)s >= n)
			return;
		if (!atomic_compare_exchange_weak(&p->state, &s, s + 1))
			continue;
		fn(arg, (u32)s, thread);
		atomic_fetch_add(&p->done, 1);
		s = atomic_load(&p->state);
	}
}

static void *worker(void *v)
{
	struct worker_arg *wa = v;
	struct cpu_pool *p = wa->p;
	u32 index = wa->index, seen = 0;

	free(wa);
	for (;;) {
		u32 gen;
		int spin = 0;

		while ((gen = (u32)(atomic_load(&p->state) >> 32)) == seen &&
		       spin++ < SPIN_ROUNDS)
			cpu_relax();
		if (gen == seen) {
			pthread_mutex_lock(&p->lock);
			atomic_fetch_add(&p->sleepers, 1);
			while ((gen = (u32)(atomic_load(&p->state) >> 32)) == seen &&
			       !atomic_load(&p->quit))
				pthread_cond_wait(&p->wake, &p->lock);
			atomic_fetch_sub(&p->sleepers, 1);
			pthread_mutex_unlock(&p->lock);
		}
		if (atomic_load(&p->quit))
			return NULL;
		seen = gen;
		run_tasks(p, gen, index);
	}
}

int cpu_pool_create(int threads, struct cpu_pool **out)
{
	struct cpu_pool *p = calloc(1, sizeof(*p));
	int i;

	if (!p)
		return -ENOMEM;
	p->threads = threads < 1 ? 1 : threads;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->tids = calloc((size_t)p->threads, sizeof(*p->tids));
	if (!p->tids) {
		free(p);
		return -ENOMEM;
	}
	for (i = 1; i < p->threads; i++) {
		struct worker_arg *wa = malloc(sizeof(*wa));

		if (wa) {
			wa->p = p;
			wa->index = (u32)i;
		}
		if (!wa || pthread_create(&p->tids[i], NULL, worker, wa)) {
			free(wa);
			p->threads = i;	/* destroy joins those started */
			cpu_pool_destroy(p);
			return -ENOMEM;
		}
	}
	*out = p;
	return 0;
}

void cpu_pool_destroy(struct cpu_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->quit, true);
	atomic_fetch_add(&p->state, (u64)1 << 32);
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	for (int i = 1; i < p->threads; i++)
		pthread_join(p->tids[i], NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	free(p->tids);
	free(p);
}

int cpu_pool_threads(const struct cpu_pool *p)
{
	return p->threads;
}

void cpu_pool_run(struct cpu_pool *p, u32 ntasks, cpu_task_fn fn, void *arg)
{
	u32 gen;

	if (p->threads == 1 || ntasks <= 1) {
		for (u32 t = 0; t < ntasks; t++)
			fn(arg, t, 0);
		return;
	}
	atomic_store(&p->fn, fn);
	atomic_store(&p->arg, arg);
	atomic_store(&p->ntasks, ntasks);
	atomic_store(&p->done, 0);
	gen = (u32)(atomic_load(&p->state) >> 32) + 1;
	/* Publishing the generation opens the region (sequentially consistent). */
	atomic_store(&p->state, (u64)gen << 32);
	if (atomic_load(&p->sleepers)) {
		pthread_mutex_lock(&p->lock);
		pthread_cond_broadcast(&p->wake);
		pthread_mutex_unlock(&p->lock);
	}
	run_tasks(p, gen, 0);
	/* Tasks claimed by workers are running: wait for them to finish. */
	while (atomic_load(&p->done) < ntasks)
		cpu_relax();
}
