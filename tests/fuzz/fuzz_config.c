/* fuzz_config.c - the --config file parser (cli/config.c) on arbitrary text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	int n;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)cli_config_parse(text, size, "serve", &n);
	free(text);
	return 0;
}
