/* pvenum cross-check stand-in for the config.h virt-what's configure script writes. */
#pragma once
#define PACKAGE_VERSION "pvenum-crosscheck"
