/* pvenum cross-check stub for systemd's assert-util.h: see pvshim-systemd.h. */
#pragma once
#include "pvshim-systemd.h"
