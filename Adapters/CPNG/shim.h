// Debian's libpng 1.6 (libpng-dev) for the PNGImage adapter. Only the simplified API is used:
// it reports errors through png_image.message instead of longjmp, which Swift cannot unwind.
#include <png.h>

static inline png_uint_32 prophrl_png_image_version(void) { return PNG_IMAGE_VERSION; }
static inline png_uint_32 prophrl_png_format_rgb(void) { return PNG_FORMAT_RGB; }
