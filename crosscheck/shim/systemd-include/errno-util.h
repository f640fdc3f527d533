/* pvenum cross-check stub for systemd's errno-util.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
