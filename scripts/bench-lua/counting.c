/* scripts/bench-lua.sh: counts every malloc, calloc and realloc of the process (LD_PRELOAD). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
unsigned long long counting_allocations = 0;
static char bootstrap[4096]; static size_t used;
void *malloc(size_t n) { if (!real_malloc) real_malloc = dlsym(RTLD_NEXT, "malloc"); counting_allocations++; return real_malloc(n); }
void *calloc(size_t a, size_t b) {
  if (!real_calloc) { if (used + a*b > sizeof bootstrap) return NULL; void *p = bootstrap + used; used += (a*b + 15) & ~15UL; real_calloc = dlsym(RTLD_NEXT, "calloc"); if (!real_calloc) return p; }
  counting_allocations++; return real_calloc(a, b); }
void *realloc(void *p, size_t n) { if (!real_realloc) real_realloc = dlsym(RTLD_NEXT, "realloc"); counting_allocations++; return real_realloc(p, n); }
