/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replay driver: a main() for the fuzz targets in builds without libFuzzer.
 * Feeds every file of each directory given (and each file given) to
 * LLVMFuzzerTestOneInput, in name order; files starting with '.' (.gitkeep)
 * are skipped. An oracle failure aborts, so `meson test` fails on it.
 * Exit status 0 once every input ran, 1 when a path cannot be read.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0;

	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (size == cap) {
			uint8_t *more = realloc(data, cap = cap * 2 + 4096);

			if (more == NULL) {
				fprintf(stderr, "%s: out of memory\n", path);
				free(data);
				fclose(f);
				return -1;
			}
			data = more;
		}
		size_t k = fread(data + size, 1, cap - size, f);

		if (k == 0)
			break;
		size += k;
	}
	fclose(f);
	/* A copy of exactly size bytes, so that ASan sees reads past the end. */
	uint8_t *exact = malloc(size > 0 ? size : 1);

	if (exact == NULL) {
		free(data);
		return -1;
	}
	memcpy(exact, data, size);
	free(data);
	LLVMFuzzerTestOneInput(exact, size);
	free(exact);
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs the files of dir; returns how many ran, or -1. */
static int
run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t nb = 0, cap = 0;
	int ran = 0;

	if (d == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (nb == cap) {
			char **more = realloc(names, sizeof(*names) * (cap = cap * 2 + 64));

			if (more == NULL)
				break;
			names = more;
		}
		names[nb] = strdup(e->d_name);
		if (names[nb] != NULL)
			nb++;
	}
	closedir(d);
	if (nb > 1)	/* an empty crashers dir: names is NULL, and qsort(NULL, 0) is UB */
		qsort(names, nb, sizeof(*names), cmp_names);
	for (size_t i = 0; i < nb; i++) {
		char path[PATH_MAX];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && run_file(path) == 0)
			ran++;
		free(names[i]);
	}
	free(names);
	return ran;
}

int
main(int argc, char **argv)
{
	int total = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		int ran;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (S_ISDIR(st.st_mode)) {
			ran = run_dir(argv[i]);
		} else {
			ran = run_file(argv[i]) == 0 ? 1 : -1;
		}
		if (ran < 0)
			return 1;
		printf("%s: %d inputs\n", argv[i], ran);
		total += ran;
	}
	printf("%d inputs replayed, no oracle failed\n", total);
	return 0;
}
