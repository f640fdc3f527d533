/* pvenum cross-check stub for systemd's macro.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
