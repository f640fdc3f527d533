/* pvenum cross-check stub for systemd's errno-list.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
