/* pvenum cross-check stub for systemd's missing_threads.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
