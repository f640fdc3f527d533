/* pvenum cross-check stub for systemd's log.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
