/* pvenum cross-check stub for systemd's utf8.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
