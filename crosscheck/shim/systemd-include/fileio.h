/* pvenum cross-check stub for systemd's fileio.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
