/* pvenum cross-check stub for systemd's basic-forward.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
