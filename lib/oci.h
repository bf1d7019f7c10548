/* oci.h: OCI images of a unikernel (the image kinds oci and oci-archive). */
#ifndef MIRAGE_OCI_H
#define MIRAGE_OCI_H

#include "project.h"

/* Writes an OCI image layout at dir (created): oci-layout, index.json with
 * one manifest for the target's architecture, blobs/sha256/ holding the
 * manifest, its config and one layer: /unikernel/ with the unikernel, what
 * boots it (hvt: mirage-hvt, static) and its bootable images already made
 * and up to date. Returns 0 or -1 (recorded). */
int oci_write_layout(const struct project *p, const char *dir);
/* The same layout as a tar at out (what skopeo calls oci-archive). */
int oci_write_archive(const struct project *p, const char *out);
/* The OCI name of an architecture: amd64 for x86_64, arm64 for aarch64. */
const char *oci_arch(const char *arch);

#endif
