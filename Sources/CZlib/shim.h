// The system's zlib (Debian's zlib1g-dev), for SPDY's header compression in SkiffKubelet.
#include <zlib.h>
