// Debian libavcodec (FFmpeg 5.1).
#include <libavcodec/avcodec.h>
