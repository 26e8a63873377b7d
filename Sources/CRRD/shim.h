#ifndef CRRD_SHIM_H
#define CRRD_SHIM_H
#include <rrd.h>
#endif
