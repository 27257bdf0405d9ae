// Debian libswscale (FFmpeg 5.1).
#include <libswscale/swscale.h>
