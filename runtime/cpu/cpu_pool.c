// SPDX-License-Identifier: MIT
/*
 * The thread pool: threads - 1 workers created once with the backend; the
 * caller's thread is worker 0. A parallel region hands out task indices
 * through one atomic counter. Workers spin briefly for the next region
 * (commands follow each other within microseconds), then sleep on a
 * condition variable so that an idle model costs no CPU.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "cpu.h"

#define SPIN_ROUNDS 20000

struct cpu_pool {
	int threads;
	pthread_t *tids;
	pthread_mutex_t lock;
	pthread_cond_t wake, done;
	/* The current region. */
	void (*fn)(void *arg, u32 task, u32 thread);
	void *arg;
	u32 ntasks;
	atomic_uint next;
	atomic_uint generation;
	atomic_int busy;	/* workers still in the region */
	atomic_bool quit;
};

struct worker_arg {
	struct cpu_pool *p;
	u32 index;
};

static void run_tasks(struct cpu_pool *p, u32 thread)
{
	u32 t;

	while ((t = atomic_fetch_add(&p->next, 1)) < p->ntasks)
		p->fn(p->arg, t, thread);
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

		while ((gen = atomic_load(&p->generation)) == seen && spin < SPIN_ROUNDS)
			spin++;
		if (gen == seen) {
			pthread_mutex_lock(&p->lock);
			while ((gen = atomic_load(&p->generation)) == seen && !p->quit)
				pthread_cond_wait(&p->wake, &p->lock);
			pthread_mutex_unlock(&p->lock);
		}
		if (p->quit)
			return NULL;
		seen = gen;
		run_tasks(p, index);
		if (atomic_fetch_sub(&p->busy, 1) == 1) {
			pthread_mutex_lock(&p->lock);
			pthread_cond_signal(&p->done);
			pthread_mutex_unlock(&p->lock);
		}
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
	pthread_cond_init(&p->done, NULL);
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
	p->quit = true;
	atomic_fetch_add(&p->generation, 1);
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	for (int i = 1; i < p->threads; i++)
		pthread_join(p->tids[i], NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	pthread_cond_destroy(&p->done);
	free(p->tids);
	free(p);
}

int cpu_pool_threads(const struct cpu_pool *p)
{
	return p->threads;
}

void cpu_pool_run(struct cpu_pool *p, u32 ntasks,
		  void (*fn)(void *arg, u32 task, u32 thread), void *arg)
{
	if (p->threads == 1 || ntasks <= 1) {
		for (u32 t = 0; t < ntasks; t++)
			fn(arg, t, 0);
		return;
	}
	p->fn = fn;
	p->arg = arg;
	p->ntasks = ntasks;
	atomic_store(&p->next, 0);
	atomic_store(&p->busy, p->threads - 1);
	pthread_mutex_lock(&p->lock);
	atomic_fetch_add(&p->generation, 1);
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	run_tasks(p, 0);
	/* Every worker must leave the region before its data goes away. */
	for (int spin = 0; atomic_load(&p->busy) && spin < SPIN_ROUNDS; spin++)
		;
	if (atomic_load(&p->busy)) {
		pthread_mutex_lock(&p->lock);
		while (atomic_load(&p->busy))
			pthread_cond_wait(&p->done, &p->lock);
		pthread_mutex_unlock(&p->lock);
	}
}
