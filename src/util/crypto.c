/* crypto.c - libsodium wrappers: tokens, argon2id, BLAKE2b. */
#include "crypto.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"

int crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void crypto_random(void *out, size_t n)
{
	randombytes_buf(out, n);
}

void crypto_token(char out[CRYPTO_TOKEN_CHARS])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, CRYPTO_TOKEN_CHARS, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void crypto_blake2b_hex(char out[CRYPTO_HASH_HEX], const void *data, size_t n)
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, data, n, NULL, 0);
	str_hex(out, h, sizeof h);
}

int crypto_sha256_file(const char *path, char out[CRYPTO_HASH_HEX], int64_t *size)
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES], chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t got;
	int rc = -1;

	out[0] = '\0';
	*size = 0;
	if (f == NULL)
		return -1;
	crypto_hash_sha256_init(&st);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		crypto_hash_sha256_update(&st, chunk, got);
		*size += (int64_t)got;
	}
	if (!ferror(f)) {
		crypto_hash_sha256_final(&st, h);
		str_hex(out, h, sizeof h);
		rc = 0;
	}
	fclose(f);
	return rc;
}

void crypto_sha256_hex(char out[CRYPTO_HASH_HEX], const void *data, size_t n)
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, n);
	str_hex(out, h, sizeof h);
}

void crypto_blake2b2_hex(char out[CRYPTO_HASH_HEX], const void *a, size_t an, const void *b, size_t bn)
{
	crypto_generichash_state st;
	unsigned char h[32];

	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, a, an);
	crypto_generichash_update(&st, b, bn);
	crypto_generichash_final(&st, h, sizeof h);
	str_hex(out, h, sizeof h);
}

/* The test suite creates hundreds of users; UNGCUU_FAST_HASH=1 keeps argon2id but at its minimum
 * cost so the suite stays fast. Never set it in production. */
static int fast_hash(void)
{
	const char *v = getenv("UNGCUU_FAST_HASH");

	return v != NULL && strcmp(v, "1") == 0;
}

int crypto_pw_hash(char out[CRYPTO_PWHASH_MAX], const char *password)
{
	/* argon2id with m = 19 MiB, t = 2, p = 1: OWASP's baseline for argon2id (Password Storage
	 * Cheat Sheet). libsodium's "interactive" 64 MiB made every login the largest allocation of
	 * the process (its peak RSS was the login, not the data); lockout after 5 failures (001
	 * Đ8) bounds guessing online. Hashes keep their parameters, so older ones still verify. */
	unsigned long long ops = 2;
	size_t mem = (size_t)19456 * 1024;

	if (fast_hash()) {
		ops = crypto_pwhash_OPSLIMIT_MIN;
		mem = crypto_pwhash_MEMLIMIT_MIN;
	}
	if (crypto_pwhash_str_alg(out, password, strlen(password), ops, mem,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return -1;
	return 0;
}

int crypto_pw_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 ? 0 : -1;
}

int crypto_streq(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n != strlen(b))
		return -1;
	return sodium_memcmp(a, b, n) == 0 ? 0 : -1;
}

void crypto_temp_password(char out[CRYPTO_TEMP_PW])
{
	/* no look-alikes (0/O, 1/l/I) since it is read from a screen and typed */
	static const char lower[] = "abcdefghijkmnopqrstuvwxyz", upper[] = "ABCDEFGHJKLMNPQRSTUVWXYZ",
			  digits[] = "23456789";
	static const char *const sets[] = {lower, upper, digits, lower};

	for (size_t i = 0; i < CRYPTO_TEMP_PW - 1; i++) {
		const char *set = sets[i % 4];

		out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
	}
	out[CRYPTO_TEMP_PW - 1] = '\0';
}
