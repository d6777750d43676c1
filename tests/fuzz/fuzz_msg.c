/* fuzz_msg.c - what a client sends into the message catalogue (util/msg.c): an Accept-Language
 * header, and a value echoed in a message (a path, a field's text) that must come out as valid
 * UTF-8, cut on a character, whatever bytes it held. Input: header, a NUL, then the value. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "util/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 2), out[1024];
	const char *value;
	struct msg m;
	enum msg_lang lang;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = text[size + 1] = '\0';
	value = text + strlen(text) + 1;
	lang = msg_lang_accept(text);
	assert(lang == MSG_VI || lang == MSG_EN);
	msg_set(&m, M_no_such_resource, MS("path", value));
	(void)msg_render(&m, lang, out, sizeof out);
	assert(str_utf8_valid(out, strlen(out)));
	assert(str_utf8_valid(msg_value(&m, 0), strlen(msg_value(&m, 0))));
	free(text);
	return 0;
}
