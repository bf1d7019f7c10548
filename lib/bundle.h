/* bundle.h: the bundle of a unikernel (the image kind tar.gz). */
#ifndef MIRAGE_BUNDLE_H
#define MIRAGE_BUNDLE_H

#include "project.h"

/* Writes at out a gzip tar of one directory, NAME/: the unikernel, what
 * boots it (hvt: mirage-hvt, static; xen: NAME.xl), its bootable images
 * already made and up to date, manifest.json, a `run` script that boots it
 * as mirage run does, and a README. Returns 0 or -1 (recorded). */
int bundle_write(const struct project *p, const char *out);

#endif
