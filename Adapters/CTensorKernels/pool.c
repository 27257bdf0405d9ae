// The worker pool behind ctk_parallel_for: persistent threads that spin briefly after each loop (the
// next op usually follows within microseconds) and then sleep on a condition variable.
//
// One 64-bit word describes the loop in flight: generation (24 bits) | parts (20) | next part (20).
// Callers and workers claim parts with a compare-and-swap on it, so a worker that wakes late finds
// the parts already taken and a part is never run twice; a successful claim also proves the loop is
// still live, so the job fields written before the word was published belong to it.
#define _GNU_SOURCE
#include "CTensorKernels.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 63
#define YIELD_AFTER_NS 100000
#define PART_BITS 20
#define PART_MASK ((1L << PART_BITS) - 1)

static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t submit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;

static _Atomic long threads_allowed = 0;   // 0: not yet initialised (defaults to the core count)
static _Atomic long spin_ns = 200000;
static _Atomic uint64_t word = 0;          // generation | parts | next
static _Atomic long done_parts = 0;
static _Atomic long sleepers = 0;
static long started = 0;                   // workers created (under start_lock)
static ctk_part_fn job_fn;
static void *job_context;
static _Thread_local int inside_loop = 0;

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static inline uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static inline long word_parts(uint64_t w) { return (long)((w >> PART_BITS) & PART_MASK); }
static inline long word_next(uint64_t w) { return (long)(w & PART_MASK); }

// Claims and runs parts of the loop in flight until none is left.
static void run_parts(void) {
    uint64_t w = atomic_load_explicit(&word, memory_order_acquire);
    for (;;) {
        long next = word_next(w);
        if (next >= word_parts(w)) return;
        if (atomic_compare_exchange_weak_explicit(&word, &w, w + 1, memory_order_acq_rel, memory_order_acquire)) {
            job_fn(job_context, next);
            atomic_fetch_add_explicit(&done_parts, 1, memory_order_release);
            w = atomic_load_explicit(&word, memory_order_acquire);
        }
    }
}

static inline int work_available(void) {
    uint64_t w = atomic_load_explicit(&word, memory_order_acquire);
    return word_next(w) < word_parts(w);
}

static void *worker_main(void *unused) {
    (void)unused;
    inside_loop = 1;
    for (;;) {
        uint64_t start = now_ns();
        unsigned spins = 0;
        while (!work_available()) {
            cpu_relax();
            if ((++spins & 127) != 0) continue;
            uint64_t waited = now_ns() - start;
            // After a short pure spin, yield between checks so a job sharing this core is not starved.
            if (waited > YIELD_AFTER_NS) sched_yield();
            if (waited > (uint64_t)atomic_load(&spin_ns)) {
                pthread_mutex_lock(&sleep_lock);
                atomic_fetch_add(&sleepers, 1);   // seq_cst: pairs with the submitter's publish + load
                while (!work_available()) pthread_cond_wait(&wake, &sleep_lock);
                atomic_fetch_sub(&sleepers, 1);
                pthread_mutex_unlock(&sleep_lock);
                break;
            }
        }
        run_parts();
    }
    return NULL;
}

static long default_threads(void) {
    long n = 1;
#ifdef _SC_NPROCESSORS_ONLN
    n = sysconf(_SC_NPROCESSORS_ONLN);
#endif
    return n < 1 ? 1 : (n > MAX_WORKERS + 1 ? MAX_WORKERS + 1 : n);
}

void ctk_set_threads(long threads) {
    long cores = default_threads();
    if (threads < 1) threads = 1;
    if (threads > cores) threads = cores;   // more spinning threads than cores only slows every loop
    atomic_store(&threads_allowed, threads);
}

long ctk_threads(void) {
    long n = atomic_load(&threads_allowed);
    if (n == 0) {
        long expected = 0;
        atomic_compare_exchange_strong(&threads_allowed, &expected, default_threads());
        n = atomic_load(&threads_allowed);
    }
    return n;
}

void ctk_set_spin_microseconds(long microseconds) {
    atomic_store(&spin_ns, (microseconds < 0 ? 0 : microseconds) * 1000);
}

static void ensure_workers(long count) {
    pthread_mutex_lock(&start_lock);
    while (started < count) {
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attr, worker_main, NULL);
        pthread_attr_destroy(&attr);
        if (failed) break;
        started += 1;
    }
    pthread_mutex_unlock(&start_lock);
}

void ctk_parallel_for(long parts, ctk_part_fn fn, void *context) {
    long threads = ctk_threads();
    if (parts <= 0) return;
    if (parts == 1 || threads <= 1 || parts > PART_MASK || inside_loop || pthread_mutex_trylock(&submit_lock) != 0) {
        for (long p = 0; p < parts; p++) fn(context, p);
        return;
    }
    ensure_workers(threads - 1);
    job_fn = fn;
    job_context = context;
    atomic_store_explicit(&done_parts, 0, memory_order_relaxed);
    uint64_t generation = (atomic_load_explicit(&word, memory_order_relaxed) >> (2 * PART_BITS)) + 1;
    atomic_store(&word, (generation << (2 * PART_BITS)) | ((uint64_t)parts << PART_BITS));   // seq_cst publish
    if (atomic_load(&sleepers) > 0) {
        pthread_mutex_lock(&sleep_lock);
        pthread_cond_broadcast(&wake);
        pthread_mutex_unlock(&sleep_lock);
    }
    inside_loop = 1;
    run_parts();
    inside_loop = 0;
    // Wait for the parts still running on workers (on other cores: yielding here would hand this
    // core to another process for a whole time slice).
    while (atomic_load_explicit(&done_parts, memory_order_acquire) < parts) cpu_relax();
    pthread_mutex_unlock(&submit_lock);
}
