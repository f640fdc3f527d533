/* pvenum cross-check stub for systemd's alloc-util.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
