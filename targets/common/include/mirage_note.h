/*
 * mirage_note.h: the ELF notes of a mirage unikernel (name "MIRAGE", in a
 * PT_NOTE segment), one definition for every writer and reader: the
 * platforms write the ABI note, the generated main.c the device manifest,
 * the tool's limits follow from them, and monitors (mirage-hvt) read both.
 * Every type has a fixed size and layout on every architecture.
 */
#ifndef MIRAGE_NOTE_H
#define MIRAGE_NOTE_H

#include <stdint.h>

#define MIRAGE_NOTE_NAME     "MIRAGE"
#define MIRAGE_NOTE_ABI	     1 /* desc: struct mirage_note_abi */
#define MIRAGE_NOTE_MANIFEST 2 /* desc: struct mirage_note_manifest, then the entries */

#define MIRAGE_MANIFEST_VERSION 1
/* Bytes of a device name in the manifest, its NUL included: names are at
 * most MIRAGE_NAME_MAX - 1 characters (the tool refuses longer ones). */
#define MIRAGE_NAME_MAX 64
/* Devices a unikernel may declare. */
#define MIRAGE_MAX_DEVICES 32

/* An ELF note's header with the name "MIRAGE" (7 bytes, padded to 8). */
struct mirage_note_header {
	uint32_t namesz, descsz, type;
	char name[8];
};
#define MIRAGE_NOTE_HEADER(type, descsz)                                     \
	{                                                                    \
		sizeof(MIRAGE_NOTE_NAME), (descsz), (type), MIRAGE_NOTE_NAME \
	}

struct mirage_note_abi {
	uint32_t abi_version;
	char target[12]; /* "hvt", "virtio": NUL-terminated */
};

struct mirage_note_manifest {
	uint32_t version; /* MIRAGE_MANIFEST_VERSION */
	uint32_t ndevices;
	/* followed by ndevices struct mirage_note_entry */
};

struct mirage_note_entry {
	char name[MIRAGE_NAME_MAX]; /* NUL-terminated */
	uint32_t type;		    /* enum mirage_devtype (mirage_devtypes.h) */
};

_Static_assert(sizeof(struct mirage_note_header) == 20, "the note header is 20 bytes");
_Static_assert(sizeof(struct mirage_note_abi) == 16, "the ABI note is 16 bytes");
_Static_assert(sizeof(struct mirage_note_manifest) == 8, "the manifest header is 8 bytes");
_Static_assert(sizeof(struct mirage_note_entry) == 68, "a manifest entry is 68 bytes");

/* Defines the ABI note of a platform's runtime: built for `target` (a
 * string literal) and ABI `version`. */
#define MIRAGE_ABI_NOTE(target, version)                                                      \
	static const struct {                                                                 \
		struct mirage_note_header h;                                                  \
		struct mirage_note_abi abi;                                                   \
	} mirage_abi_note_ __attribute__((section(".note.mirage.abi"), aligned(4), used)) = { \
	    MIRAGE_NOTE_HEADER(MIRAGE_NOTE_ABI, sizeof(struct mirage_note_abi)),              \
	    {(version), target}}

#endif
