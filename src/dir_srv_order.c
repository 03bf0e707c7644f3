/* dir_srv_order.c - the order in which to try SRV targets (RFC 2782):
 * lowest priority first; within a priority, weighted random selection. */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "dir_srv.h"

static void swap(scpauth__srv *a, scpauth__srv *b)
{
    scpauth__srv t = *a;
    *a = *b;
    *b = t;
}

/* Stable insertion sort by priority (n <= SCPAUTH__SRV_MAX). */
static void sort_by_priority(scpauth__srv *items, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && items[j - 1].priority > items[j].priority; j--)
            swap(&items[j - 1], &items[j]);
}

/* Weight-0 records first, others after, keeping their relative order. */
static void zero_weights_first(scpauth__srv *items, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && items[j - 1].weight != 0 && items[j].weight == 0; j--)
            swap(&items[j - 1], &items[j]);
}

/* Uniform number in [0, bound] without modulo bias. */
static uint32_t uniform_upto(uint32_t bound, scpauth__rand_fn rnd, void *state)
{
    if (bound == UINT32_MAX)
        return rnd(state);
    uint32_t range = bound + 1, limit = UINT32_MAX - (UINT32_MAX % range);
    uint32_t v;
    do
        v = rnd(state);
    while (v >= limit);
    return v % range;
}

/* RFC 2782's selection for one priority group items[0..n): "any order" to
 * start with is a random one, so that equal (and zero) weights share load. */
static void order_group(scpauth__srv *items, size_t n, scpauth__rand_fn rnd, void *state)
{
    for (size_t i = n - 1; i > 0; i--)
        swap(&items[i], &items[uniform_upto((uint32_t)i, rnd, state)]);
    for (size_t done = 0; done + 1 < n; done++) {
        scpauth__srv *rest = items + done;
        size_t left = n - done;
        zero_weights_first(rest, left);
        uint32_t sum = 0; /* at most 64 * 65535: no overflow */
        for (size_t i = 0; i < left; i++)
            sum += rest[i].weight;
        uint32_t pick = uniform_upto(sum, rnd, state), running = 0;
        size_t chosen = left - 1;
        for (size_t i = 0; i < left; i++) {
            running += rest[i].weight;
            if (running >= pick) {
                chosen = i;
                break;
            }
        }
        /* keep the others' order: move the chosen record to the front */
        for (size_t j = chosen; j > 0; j--)
            swap(&rest[j - 1], &rest[j]);
    }
}

void scpauth__srv_order(scpauth__srv *items, size_t n, scpauth__rand_fn rnd, void *state)
{
    if (items == NULL || n < 2)
        return;
    sort_by_priority(items, n);
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && items[end].priority == items[start].priority)
            end++;
        order_group(items + start, end - start, rnd, state);
        start = end;
    }
}

uint32_t scpauth__rand_xorshift(void *state)
{
    uint32_t *s = state, x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

uint32_t scpauth__rand_seed(void)
{
    /* Spreading load over DCs needs no secrecy: time, CPU clock and a stack
     * address (ASLR, per thread) are enough to differ between processes. */
    uint32_t local = 0;
    uintptr_t addr = (uintptr_t)&local;
    uint32_t s = (uint32_t)time(NULL) ^ ((uint32_t)clock() << 7) ^ (uint32_t)addr ^
                 (uint32_t)((uint64_t)addr >> 32);
    return s != 0 ? s : 0x9E3779B9u;
}
