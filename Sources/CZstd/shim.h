#ifndef ARTTUI_CZSTD_SHIM_H
#define ARTTUI_CZSTD_SHIM_H
#include <zstd.h>
#endif
