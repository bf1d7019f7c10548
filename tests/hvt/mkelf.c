/* mkelf.c: writes malformed variants of a valid hvt image, one file each,
 * for tests/hvt/run: mkelf IMAGE OUTDIR. Each variant breaks one thing the
 * monitor must check. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *img;
static size_t len;
static const char *outdir;

static void emit(const char *name, const unsigned char *data, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.hvt", outdir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* A copy of the image with f applied to it. */
#define VARIANT(name, body)                                       \
	do {                                                      \
		unsigned char *c = malloc(len);                   \
		memcpy(c, img, len);                              \
		Elf64_Ehdr *eh = (Elf64_Ehdr *)c;                 \
		Elf64_Phdr *ph = (Elf64_Phdr *)(c + eh->e_phoff); \
		(void)ph;                                         \
		body;                                             \
		emit(name, c, len);                               \
		free(c);                                          \
	} while (0)

static int find(Elf64_Phdr *ph, int n, unsigned type, int nth)
{
	for (int i = 0; i < n; i++)
		if (ph[i].p_type == type && nth-- == 0)
			return i;
	fprintf(stderr, "mkelf: no segment of type %u\n", type);
	exit(1);
}

/* The first MIRAGE note of a type, in the copy c. */
static unsigned char *note(unsigned char *c, Elf64_Phdr *ph, int n, unsigned type)
{
	Elf64_Phdr *p = &ph[find(ph, n, PT_NOTE, 0)];
	unsigned char *q = c + p->p_offset, *end = q + p->p_filesz;
	while (q < end) {
		Elf64_Nhdr *nh = (Elf64_Nhdr *)q;
		if (nh->n_type == type && nh->n_namesz == 7 && !memcmp(q + 12, "MIRAGE", 7))
			return q;
		q += 12 + ((nh->n_namesz + 3) & ~3u) + ((nh->n_descsz + 3) & ~3u);
	}
	fprintf(stderr, "mkelf: no note of type %u\n", type);
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	img = malloc(len);
	if (fread(img, 1, len, f) != len)
		return 1;
	fclose(f);
	outdir = argv[2];
	int n = ((Elf64_Ehdr *)img)->e_phnum;

	emit("empty", img, 0);
	emit("truncated-header", img, 40);
	emit("truncated-segments", img, len / 3);
	VARIANT("bad-magic", c[1] = 'X');
	VARIANT("class-32", c[EI_CLASS] = ELFCLASS32);
	VARIANT("big-endian", c[EI_DATA] = ELFDATA2MSB);
	VARIANT("machine-aarch64", eh->e_machine = EM_AARCH64);
	VARIANT("type-dyn", eh->e_type = ET_DYN);
	VARIANT("phentsize", eh->e_phentsize = 32);
	VARIANT("phoff-outside", eh->e_phoff = len - 8);
	VARIANT("phoff-huge", eh->e_phoff = ~0ULL - 8);
	VARIANT("phnum-huge", eh->e_phnum = 0xffff);
	VARIANT("no-segments", eh->e_phnum = 0);
	VARIANT("offset-outside", ph[find(ph, n, PT_LOAD, 0)].p_offset = len);
	VARIANT("filesz-huge", ph[find(ph, n, PT_LOAD, 0)].p_filesz = ~0ULL);
	VARIANT("filesz-over-memsz", {
		Elf64_Phdr *p = &ph[find(ph, n, PT_LOAD, 0)];
		p->p_memsz = p->p_filesz - 1;
	});
	VARIANT("low-address", ph[find(ph, n, PT_LOAD, 0)].p_paddr = 0x1000);
	VARIANT("memsz-wraps", ph[find(ph, n, PT_LOAD, 1)].p_memsz = ~0ULL - 0x1000);
	VARIANT("memsz-huge", ph[find(ph, n, PT_LOAD, 1)].p_memsz = 1ULL << 40);
	VARIANT("overlap",
		ph[find(ph, n, PT_LOAD, 1)].p_paddr = ph[find(ph, n, PT_LOAD, 0)].p_paddr);
	VARIANT("entry-outside", eh->e_entry = 0x50000000);
	VARIANT("entry-in-data", eh->e_entry = ph[find(ph, n, PT_LOAD, 1)].p_paddr);
	VARIANT("no-notes", ph[find(ph, n, PT_NOTE, 0)].p_type = PT_NULL);
	VARIANT("note-outside", ph[find(ph, n, PT_NOTE, 0)].p_offset = len - 4);
	int tls = 0;
	VARIANT("tls-outside", tls = find(ph, n, PT_TLS, 0); ph[tls].p_offset = len - 4;
		ph[tls].p_filesz = ph[tls].p_memsz = 64);
	VARIANT("tls-huge", ph[find(ph, n, PT_TLS, 0)].p_memsz = 1ULL << 40);
	VARIANT("tls-align", tls = find(ph, n, PT_TLS, 0); ph[tls].p_memsz = 16;
		ph[tls].p_align = 24);
	VARIANT("note-namesz-huge", ((Elf64_Nhdr *)note(c, ph, n, 1))->n_namesz = 0x7fffffff);
	VARIANT("note-descsz-huge", ((Elf64_Nhdr *)note(c, ph, n, 2))->n_descsz = 0xfffffff0);
	VARIANT("abi-version", note(c, ph, n, 1)[20] = 99);
	VARIANT("abi-target", memcpy(note(c, ph, n, 1) + 24, "xen", 4));
	VARIANT("abi-missing", ((Elf64_Nhdr *)note(c, ph, n, 1))->n_type = 77);
	VARIANT("manifest-missing", ((Elf64_Nhdr *)note(c, ph, n, 2))->n_type = 77);
	VARIANT("manifest-count", {
		unsigned char *q = note(c, ph, n, 2);
		memcpy(q + 24, "\xff\xff\x00\x00", 4);
	});
	VARIANT("manifest-type", {
		unsigned char *q = note(c, ph, n, 2);
		memcpy(q + 28 + 64, "\x09\x00\x00\x00", 4);
	});
	VARIANT("manifest-name", {
		unsigned char *q = note(c, ph, n, 2);
		memset(q + 28, 'a', 64);
	});
	return 0;
}
