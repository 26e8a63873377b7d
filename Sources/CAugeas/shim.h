#ifndef CAUGEAS_SHIM_H
#define CAUGEAS_SHIM_H
#include <augeas.h>
#endif
