/* cli_clock.c - a monotonic clock for the timings verbs print (the tool's
 * only platform difference). */
#ifdef _WIN32
#include <windows.h>
#else
#include <time.h>
#endif

#include "cli.h"

double cli_now_ms(void)
{
#ifdef _WIN32
    LARGE_INTEGER freq, now;
    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    return (double)now.QuadPart * 1000.0 / (double)freq.QuadPart;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
#endif
}
