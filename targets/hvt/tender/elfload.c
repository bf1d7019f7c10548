/* elfload.c: a bounds-checked reader for hvt unikernel images. */
#include "elfload.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <elf.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Whether [off, off + n) lies within [0, len), without overflow. */
static int in_file(uint64_t off, uint64_t n, size_t len)
{
	return off <= len && n <= len - off;
}

static uint64_t align4(uint64_t x)
{
	return (x + 3) & ~(uint64_t)3;
}

static int read_notes(const uint8_t *p, uint64_t size, struct elf_image *img, char *err,
		      size_t errlen)
{
	uint64_t pos = 0;
	while (size - pos >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		memcpy(&nh, p + pos, sizeof(nh));
		pos += sizeof(nh);
		uint64_t namesz = align4(nh.n_namesz), descsz = align4(nh.n_descsz);
		if (namesz > size - pos || descsz > size - pos - namesz)
			return fail(err, errlen, "a note runs past the end of its segment");
		const uint8_t *name = p + pos, *desc = p + pos + namesz;
		pos += namesz + descsz;
		if (nh.n_namesz != sizeof(MIRAGE_NOTE_NAME) ||
		    memcmp(name, MIRAGE_NOTE_NAME, nh.n_namesz))
			continue; /* another producer's note */
		if (nh.n_type == MIRAGE_NOTE_ABI) {
			if (nh.n_descsz != sizeof(struct mirage_note_abi))
				return fail(err, errlen, "the ABI note has a wrong size (%u bytes)",
					    nh.n_descsz);
			if (img->have_abi)
				return fail(err, errlen, "two ABI notes");
			memcpy(&img->abi, desc, sizeof(img->abi));
			img->abi.target[sizeof(img->abi.target) - 1] = '\0';
			img->have_abi = 1;
		} else if (nh.n_type == MIRAGE_NOTE_MANIFEST) {
			struct mirage_note_manifest m;
			if (nh.n_descsz < sizeof(m))
				return fail(err, errlen, "the manifest note is truncated");
			memcpy(&m, desc, sizeof(m));
			if (m.version != MIRAGE_MANIFEST_VERSION)
				return fail(err, errlen, "manifest version %u is not supported",
					    m.version);
			if (m.ndevices > MIRAGE_MAX_DEVICES)
				return fail(err, errlen,
					    "the manifest declares %u devices (at most %d)",
					    m.ndevices, MIRAGE_MAX_DEVICES);
			if (nh.n_descsz !=
			    sizeof(m) + m.ndevices * sizeof(struct mirage_note_entry))
				return fail(err, errlen, "the manifest note has a wrong size");
			if (img->have_manifest)
				return fail(err, errlen, "two manifest notes");
			memcpy(img->devices, desc + sizeof(m),
			       m.ndevices * sizeof(struct mirage_note_entry));
			for (uint32_t i = 0; i < m.ndevices; i++) {
				struct mirage_note_entry *e = &img->devices[i];
				if (!memchr(e->name, '\0', sizeof(e->name)) || !e->name[0])
					return fail(err, errlen, "manifest entry %u has a bad name",
						    i);
				if (!mirage_devtype_name(e->type))
					return fail(err, errlen, "device '%s' has unknown type %u",
						    e->name, e->type);
				for (uint32_t j = 0; j < i; j++)
					if (!strcmp(img->devices[j].name, e->name))
						return fail(err, errlen,
							    "device '%s' is declared twice",
							    e->name);
			}
			img->ndevices = m.ndevices;
			img->have_manifest = 1;
		}
	}
	return 0;
}

int elf_parse(const uint8_t *file, size_t len, uint64_t lo, uint64_t hi, struct elf_image *img,
	      char *err, size_t errlen)
{
	memset(img, 0, sizeof(*img));
	Elf64_Ehdr eh;
	if (len < sizeof(eh))
		return fail(err, errlen, "not an ELF file (%zu bytes)", len);
	memcpy(&eh, file, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return fail(err, errlen, "not an ELF file");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, "not a 64-bit little-endian ELF file");
	if (eh.e_machine != EM_X86_64)
		return fail(err, errlen, "built for machine %u, not x86_64", eh.e_machine);
	if (eh.e_type == ET_DYN)
		return fail(err, errlen,
			    "a position-independent executable or a shared object, not an hvt "
			    "unikernel (a unix build?): mirage-hvt runs what 'mirage build -t hvt' "
			    "makes");
	if (eh.e_type != ET_EXEC)
		return fail(err, errlen, "not an executable (ELF type %u)", eh.e_type);
	if (eh.e_phentsize != sizeof(Elf64_Phdr))
		return fail(err, errlen, "unexpected program header size %u", eh.e_phentsize);
	if (eh.e_phnum == 0 || eh.e_phnum > 64)
		return fail(err, errlen, "%u program headers", eh.e_phnum);
	if (!in_file(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr), len))
		return fail(err, errlen, "the program headers lie outside the file");

	int entry_ok = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, file + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_NOTE) {
			if (!in_file(ph.p_offset, ph.p_filesz, len))
				return fail(err, errlen, "a note segment lies outside the file");
			if (read_notes(file + ph.p_offset, ph.p_filesz, img, err, errlen) < 0)
				return -1;
			continue;
		}
		if (ph.p_type == PT_TLS) {
			if (img->tls.memsz)
				return fail(err, errlen, "more than one TLS segment");
			if (!in_file(ph.p_offset, ph.p_filesz, len) || ph.p_filesz > ph.p_memsz)
				return fail(err, errlen, "the TLS segment lies outside the file");
			if (ph.p_memsz > ELF_MAX_TLS)
				return fail(err, errlen, "a TLS segment of %llu bytes (at most %d)",
					    (unsigned long long)ph.p_memsz, ELF_MAX_TLS);
			uint64_t a = ph.p_align ? ph.p_align : 1;
			if ((a & (a - 1)) || a > 4096)
				return fail(err, errlen, "the TLS segment's alignment %llu",
					    (unsigned long long)a);
			img->tls = (struct elf_tls){ph.p_offset, ph.p_filesz, ph.p_memsz, a};
			continue;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_memsz == 0)
			continue;
		if (img->nsegments == ELF_MAX_SEGMENTS)
			return fail(err, errlen, "more than %d loadable segments",
				    ELF_MAX_SEGMENTS);
		if (!in_file(ph.p_offset, ph.p_filesz, len))
			return fail(err, errlen, "segment %u lies outside the file", i);
		if (ph.p_filesz > ph.p_memsz)
			return fail(err, errlen, "segment %u is larger in the file than in memory",
				    i);
		if (ph.p_paddr < lo || ph.p_paddr > hi || ph.p_memsz > hi - ph.p_paddr)
			return fail(err, errlen,
				    "segment %u (0x%llx, %llu bytes) does not fit in guest memory "
				    "[0x%llx, 0x%llx)",
				    i, (unsigned long long)ph.p_paddr,
				    (unsigned long long)ph.p_memsz, (unsigned long long)lo,
				    (unsigned long long)hi);
		for (size_t k = 0; k < img->nsegments; k++) {
			const struct elf_segment *o = &img->segments[k];
			if (ph.p_paddr < o->paddr + o->memsz && o->paddr < ph.p_paddr + ph.p_memsz)
				return fail(err, errlen, "segments %zu and %u overlap", k, i);
		}
		struct elf_segment *s = &img->segments[img->nsegments++];
		s->offset = ph.p_offset;
		s->filesz = ph.p_filesz;
		s->paddr = ph.p_paddr;
		s->memsz = ph.p_memsz;
		if (s->paddr + s->memsz > img->end)
			img->end = s->paddr + s->memsz;
		if ((ph.p_flags & PF_X) && eh.e_entry >= s->paddr &&
		    eh.e_entry < s->paddr + s->memsz)
			entry_ok = 1;
	}
	if (img->nsegments == 0)
		return fail(err, errlen, "no loadable segment");
	if (!entry_ok)
		return fail(err, errlen, "the entry point 0x%llx is not in an executable segment",
			    (unsigned long long)eh.e_entry);
	img->entry = eh.e_entry;
	if (!img->have_abi)
		return fail(err, errlen, "no MIRAGE ABI note: not a mirage unikernel");
	if (strcmp(img->abi.target, "hvt"))
		return fail(err, errlen, "built for target '%s', not hvt", img->abi.target);
	if (img->abi.abi_version != HVT_ABI_VERSION)
		return fail(err, errlen,
			    "built for hvt ABI version %u; this monitor runs version %d",
			    img->abi.abi_version, HVT_ABI_VERSION);
	if (!img->have_manifest)
		return fail(err, errlen, "no device manifest note");
	return 0;
}

void elf_load(const uint8_t *file, const struct elf_image *img, uint8_t *mem)
{
	for (size_t i = 0; i < img->nsegments; i++) {
		const struct elf_segment *s = &img->segments[i];
		memcpy(mem + s->paddr, file + s->offset, s->filesz);
		/* mem is fresh (zero) and segments do not overlap: the bss needs
		 * no zeroing, and writing it would make every one of its pages
		 * resident (hello's 100 KiB of buffers) before the guest runs */
	}
}
