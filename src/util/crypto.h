/* crypto.h - the thin layer over libsodium: random tokens, password hashes, chained hashes.
 * util/ may use libsodium besides libc (ARCHITECTURE.md), so every layer shares one wrapper. */
#ifndef UNGCUU_CRYPTO_H
#define UNGCUU_CRYPTO_H
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_TOKEN_CHARS 44   /* URL-safe base64 of 32 random bytes, no padding, + NUL */
#define CRYPTO_HASH_HEX 65      /* hex of a 32-byte BLAKE2b/SHA-256 digest + NUL */
#define CRYPTO_PWHASH_MAX 128   /* argon2id encoded string */

/* Initialises libsodium once. Returns 0 or -1. */
int crypto_init(void);
/* Writes a new random URL-safe token (43 chars) into out (size >= CRYPTO_TOKEN_CHARS). */
void crypto_token(char out[CRYPTO_TOKEN_CHARS]);
/* Writes n random bytes. */
void crypto_random(void *out, size_t n);
/* Hex BLAKE2b-256 of data into out. */
void crypto_blake2b_hex(char out[CRYPTO_HASH_HEX], const void *data, size_t n);
/* Hex SHA-256 of the file at path and its size in bytes (streamed). Returns 0, or -1 when it
 * cannot be read (out is then ""). */
int crypto_sha256_file(const char *path, char out[CRYPTO_HASH_HEX], int64_t *size);
/* Hex SHA-256 of data into out (content addresses of files). */
void crypto_sha256_hex(char out[CRYPTO_HASH_HEX], const void *data, size_t n);
/* Hex BLAKE2b-256 of the concatenation a||b (for the audit chain). */
void crypto_blake2b2_hex(char out[CRYPTO_HASH_HEX], const void *a, size_t an, const void *b, size_t bn);
/* Hashes a password with argon2id (interactive limits, or UNGCUU_FAST_HASH=1 for the test suite's
 * minimum limits). Returns 0 or -1 (out of memory). */
int crypto_pw_hash(char out[CRYPTO_PWHASH_MAX], const char *password);
/* Returns 0 if password matches the encoded argon2id hash, -1 otherwise. */
int crypto_pw_verify(const char *hash, const char *password);
#define CRYPTO_TEMP_PW 15 /* 14 characters + NUL */
/* Writes a random one-time password that meets the password policy (lower, upper, digits). */
void crypto_temp_password(char out[CRYPTO_TEMP_PW]);
/* Constant-time compare of two equal-length strings; 0 when equal. */
int crypto_streq(const char *a, const char *b);

#endif
