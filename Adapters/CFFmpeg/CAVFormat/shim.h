// Debian libavformat (FFmpeg 5.1).
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
