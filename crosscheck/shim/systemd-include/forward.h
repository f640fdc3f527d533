/* pvenum cross-check stub for systemd's forward.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
