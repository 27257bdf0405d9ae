// Debian libavdevice (FFmpeg 5.1): the v4l2 input for live cameras. Only the one entry point is declared here:
// including <libavdevice/avdevice.h> would pull libavutil's headers into this module and hide them from CAVUtil.
void avdevice_register_all(void);
