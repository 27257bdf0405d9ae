// Debian's libavutil (FFmpeg 5.1) for the VideoFFmpeg adapter. Macros Swift cannot import are wrapped here.
#include <errno.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libavutil/mathematics.h>
#include <libavutil/opt.h>
#include <libavutil/dict.h>
#include <libavutil/log.h>

static inline int prophrl_averror_eof(void) { return AVERROR_EOF; }
static inline int prophrl_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int prophrl_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int64_t prophrl_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int prophrl_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int prophrl_averror_encoder_not_found(void) { return AVERROR_ENCODER_NOT_FOUND; }
