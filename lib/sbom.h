/* sbom.h: the SPDX 2.3 software bill of materials of a unikernel. */
#ifndef MIRAGE_SBOM_H
#define MIRAGE_SBOM_H

#include "project.h"

/* The SPDX 2.3 JSON document of p's built unikernel: the unikernel and its
 * sha256, its sources and mirage's runtime and library sources (sha256),
 * the libraries (a packaged one's archive and version), the fetch:
 * archives (URL, sha256), the compiler. A new string, or NULL (recorded). */
char *sbom_document(const struct project *p);
/* The document written at out (the image kind spdx). Returns 0 or -1. */
int sbom_write(const struct project *p, const char *out);

#endif
