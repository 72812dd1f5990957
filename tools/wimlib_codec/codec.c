/*
 * wimlib-codec: runs one of wimlib's compressors over a file in chunks, as a
 * WIM resource would, and prints the compressed size and the CPU time of
 * the compression alone. Built from a wimlib source tree by build.sh with
 * symbols, so `perf record` names wimlib's own functions: profiles of ours
 * and wimlib's can then be compared function by function (the system
 * libwim is stripped, and through ctypes its static functions are
 * anonymous).
 *
 * usage: wimlib-codec xpress|lzx|lzms CHUNK LEVEL FILE...
 * Each FILE is compressed on its own (its last chunk partial), as WIM
 * resources are; a chunk that does not shrink counts at its own size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wimlib/compressor_ops.h"

/* util.c hands libxml2 wimlib's allocator; no XML is used here. */
void xml_set_memory_allocator(void *a, void *b, void *c) {}

static char *read_file(const char *path, long *n)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (*n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		exit(1);
	}
	char *data = malloc(*n ? *n : 1);
	if (!data || fread(data, 1, *n, f) != (size_t)*n) {
		perror(path);
		exit(1);
	}
	fclose(f);
	return data;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s xpress|lzx|lzms CHUNK LEVEL FILE...\n", argv[0]);
		return 2;
	}
	const struct compressor_ops *ops;
	if (!strcmp(argv[1], "xpress"))
		ops = &xpress_compressor_ops;
	else if (!strcmp(argv[1], "lzx"))
		ops = &lzx_compressor_ops;
	else if (!strcmp(argv[1], "lzms"))
		ops = &lzms_compressor_ops;
	else {
		fprintf(stderr, "unknown codec %s\n", argv[1]);
		return 2;
	}
	size_t chunk = strtoul(argv[2], NULL, 10);
	unsigned level = strtoul(argv[3], NULL, 10);
	void *c;
	if (ops->create_compressor(chunk, level, false, &c)) {
		fprintf(stderr, "cannot create a %s compressor for %zu-byte chunks\n", argv[1], chunk);
		return 1;
	}
	char *out = malloc(chunk);
	long in_total = 0, out_total = 0;
	clock_t cpu = 0;
	for (int i = 4; i < argc; i++) {
		long n;
		char *data = read_file(argv[i], &n);
		clock_t t0 = clock();
		for (long p = 0; p < n; p += chunk) {
			size_t u = n - p < (long)chunk ? (size_t)(n - p) : chunk;
			size_t r = u > 1 ? ops->compress(data + p, u, out, u - 1, c) : 0;
			out_total += r ? r : u;
		}
		cpu += clock() - t0;
		in_total += n;
		free(data);
	}
	printf("wimlib %s chunk=%zu L%u in=%ld bytes=%ld cpu=%.3fs\n", argv[1], chunk,
	       level, in_total, out_total, (double)cpu / CLOCKS_PER_SEC);
	return 0;
}
