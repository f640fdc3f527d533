/* pvenum cross-check stub for systemd's fd-util.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
