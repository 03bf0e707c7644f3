/* security.h (native test build only): see windows.h here. */
#include <windows.h>
