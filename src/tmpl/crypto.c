/* crypto.c: Sprig's hashes, random values and cryptography, on OpenSSL's
 * libcrypto (and libxcrypt's bcrypt): the one file that uses them. */
#include <arpa/inet.h>
#include <crypt.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <json-c/json.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tmpl/int.h"

static int
hex_digest(struct exec *x, const EVP_MD *md, const struct tval *s,
    struct tval *r)
{
	unsigned char	d[EVP_MAX_MD_SIZE];
	unsigned int	n, i;
	struct buf	b = BUF_INIT;

	if (!EVP_Digest(s->u.s.p, s->u.s.n, d, &n, md, NULL))
		return exec_fail(x, "digest failed");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%02x", d[i]);
	return ret_buf(x, &b, r);
}

int
fn_sha1sum(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return hex_digest(x, EVP_sha1(), &a[0], r);
}

int
fn_sha256sum(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return hex_digest(x, EVP_sha256(), &a[0], r);
}

int
fn_adler32sum(struct exec *x, struct tval *a, int n, struct tval *r)
{
	uint32_t	s1 = 1, s2 = 0;
	size_t		i;
	struct buf	b = BUF_INIT;

	for (i = 0; i < a[0].u.s.n; i++) {
		s1 = (s1 + (unsigned char)a[0].u.s.p[i]) % 65521;
		s2 = (s2 + s1) % 65521;
	}
	buf_printf(&b, "%u", s2 << 16 | s1);
	return ret_buf(x, &b, r);
}

static int
random_bytes(struct exec *x, void *p, size_t n)
{
	char	*c = p;
	ssize_t	 k;

	while (n > 0) {
		if ((k = getrandom(c, n, 0)) <= 0)
			return exec_fail(x, "getrandom failed");
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Base64 of n bytes into b. */
static void
b64(struct buf *b, const unsigned char *p, size_t n)
{
	size_t	start = b->len, out = 4 * ((n + 2) / 3);

	buf_add(b, "", 0);
	while (b->len < start + out + 1)
		buf_addc(b, 0);
	EVP_EncodeBlock((unsigned char *)b->s + start, p, (int)n);
	buf_truncate(b, start + out);
}

int
fn_randbytes(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	 b = BUF_INIT;
	unsigned char	*p;

	if (a[0].u.i < 0)
		return exec_fail(x, "runtime error: makeslice: len out of "
		    "range");
	if (a[0].u.i > TMPL_MAX_OUTPUT / 2)
		return exec_fail(x, "string too long (limit %d bytes)",
		    TMPL_MAX_OUTPUT);
	if ((p = exec_alloc(x, (size_t)a[0].u.i + 1)) == NULL ||
	    random_bytes(x, p, (size_t)a[0].u.i) < 0)
		return -1;
	b64(&b, p, (size_t)a[0].u.i);
	return ret_buf(x, &b, r);
}

/* goutils.CryptoRandom over a set of characters; n < 0 gives "". */
static int
rand_string(struct exec *x, int64_t n, const char *set, struct tval *r)
{
	size_t		 k = strlen(set), lim = 256 - 256 % k;
	unsigned char	 c;
	char		*s;
	int64_t		 i;

	if (n < 0)
		n = 0;
	if (n > TMPL_MAX_OUTPUT)
		return exec_fail(x, "string too long (limit %d bytes)",
		    TMPL_MAX_OUTPUT);
	if ((s = exec_alloc(x, (size_t)n + 1)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		do {
			if (random_bytes(x, &c, 1) < 0)
				return -1;
		} while (c >= lim);
		s[i] = set[c % k];
	}
	tval_str(r, s, (size_t)n);
	return 0;
}

#define ALPHA	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS	"0123456789"

int
fn_randalpha(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return rand_string(x, a[0].u.i, ALPHA, r);
}

int
fn_randalphanum(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return rand_string(x, a[0].u.i, ALPHA DIGITS, r);
}

int
fn_randnumeric(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return rand_string(x, a[0].u.i, DIGITS, r);
}

int
fn_randascii(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return rand_string(x, a[0].u.i, " !\"#$%&'()*+,-./" DIGITS
	    ":;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
	    "abcdefghijklmnopqrstuvwxyz{|}~", r);
}

int
fn_uuidv4(struct exec *x, struct tval *a, int n, struct tval *r)
{
	unsigned char	u[16];
	struct buf	b = BUF_INIT;
	int		i;

	if (random_bytes(x, u, sizeof u) < 0)
		return -1;
	u[6] = (u[6] & 0x0F) | 0x40;
	u[8] = (u[8] & 0x3F) | 0x80;
	for (i = 0; i < 16; i++)
		buf_printf(&b, "%s%02x", i == 4 || i == 6 || i == 8 ||
		    i == 10 ? "-" : "", u[i]);
	return ret_buf(x, &b, r);
}

/* Master Password's templates and character classes (derivePassword). */
static const struct {
	const char	*name;
	const char	*t[21];
} templates[] = {
	{ "maximum", { "anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno" } },
	{ "long", { "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno",
	  "CvccnoCvcvCvcv", "CvccCvcvnoCvcv", "CvccCvcvCvcvno",
	  "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno",
	  "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno",
	  "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
	  "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno",
	  "CvccnoCvcvCvcc", "CvccCvcvnoCvcc", "CvccCvcvCvccno" } },
	{ "medium", { "CvcnoCvc", "CvcCvcno" } },
	{ "short", { "Cvcn" } },
	{ "basic", { "aaanaaan", "aannaaan", "aaannaaa" } },
	{ "pin", { "nnnn" } },
};

static const char *
char_class(char c)
{
	switch (c) {
	case 'V': return "AEIOU";
	case 'C': return "BCDFGHJKLMNPQRSTVWXYZ";
	case 'v': return "aeiou";
	case 'c': return "bcdfghjklmnpqrstvwxyz";
	case 'A': return "AEIOUBCDFGHJKLMNPQRSTVWXYZ";
	case 'a': return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
	case 'n': return DIGITS;
	case 'o': return "@&%?,=[]_:-+*$#!'^~;()/.";
	default:
		return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"
		    DIGITS "!@#$%^&*()";
	}
}

static void
be32(struct buf *b, uint32_t v)
{
	unsigned char	c[4] = { v >> 24, v >> 16 & 255, v >> 8 & 255,
		v & 255 };

	buf_add(b, c, 4);
}

#define SEED	"com.lyndir.masterpassword"

/* derivePassword COUNTER TYPE PASSWORD USER SITE */
int
fn_derivepassword(struct exec *x, struct tval *a, int n, struct tval *r)
{
	unsigned char	 key[64], seed[EVP_MAX_MD_SIZE];
	unsigned int	 sn;
	struct buf	 b = BUF_INIT, o = BUF_INIT;
	const char	*t, *cls;
	size_t		 i, k, cnt = 0;

	for (i = 0; i < nitems(templates); i++)
		if (strlen(templates[i].name) == a[1].u.s.n &&
		    memcmp(templates[i].name, a[1].u.s.p, a[1].u.s.n) == 0)
			break;
	if (i == nitems(templates)) {
		buf_printf(&o, "cannot find password template %.*s",
		    (int)a[1].u.s.n, a[1].u.s.p);
		return ret_buf(x, &o, r);
	}
	while (cnt < 21 && templates[i].t[cnt] != NULL)
		cnt++;
	buf_adds(&b, SEED);
	be32(&b, (uint32_t)a[3].u.s.n);
	buf_add(&b, a[3].u.s.p, a[3].u.s.n);
	if (!EVP_PBE_scrypt(a[2].u.s.p, a[2].u.s.n, (unsigned char *)b.s,
	    b.len, 32768, 8, 2, 64 << 20, key, sizeof key)) {
		buf_release(&b);
		return exec_fail(x, "scrypt failed");
	}
	buf_truncate(&b, strlen(SEED));
	be32(&b, (uint32_t)a[4].u.s.n);
	buf_add(&b, a[4].u.s.p, a[4].u.s.n);
	be32(&b, (uint32_t)a[0].u.i);
	HMAC(EVP_sha256(), key, sizeof key, (unsigned char *)b.s, b.len, seed,
	    &sn);
	buf_release(&b);
	t = templates[i].t[seed[0] % cnt];
	for (k = 0; t[k] != '\0'; k++) {
		cls = char_class(t[k]);
		buf_addc(&o, cls[seed[k + 1] % strlen(cls)]);
	}
	return ret_buf(x, &o, r);
}

/* bcrypt at Go's default cost, "$2a$10$...", through libxcrypt. */
static int
bcrypt(struct exec *x, const struct tval *pw, struct buf *b)
{
	struct crypt_data	*cd;
	char			 setting[CRYPT_GENSALT_OUTPUT_SIZE], *pwc;
	const char		*h;

	if ((pwc = exec_strdup(x, pw->u.s.p, pw->u.s.n)) == NULL ||
	    (cd = exec_alloc(x, sizeof *cd)) == NULL)
		return -1;
	memset(cd, 0, sizeof *cd);
	if (crypt_gensalt_rn("$2a$", 10, NULL, 0, setting, sizeof setting) ==
	    NULL || (h = crypt_r(pwc, setting, cd)) == NULL || h[0] == '*')
		return exec_fail(x, "bcrypt is not available");
	buf_adds(b, h);
	return 0;
}

int
fn_bcrypt(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;

	if (bcrypt(x, &a[0], &b) < 0)
		return -1;
	return ret_buf(x, &b, r);
}

int
fn_htpasswd(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	b = BUF_INIT;

	if (memchr(a[0].u.s.p, ':', a[0].u.s.n) != NULL) {
		buf_printf(&b, "invalid username: %.*s", (int)a[0].u.s.n,
		    a[0].u.s.p);
		return ret_buf(x, &b, r);
	}
	buf_add(&b, a[0].u.s.p, a[0].u.s.n);
	buf_addc(&b, ':');
	if (bcrypt(x, &a[1], &b) < 0) {
		buf_release(&b);
		return -1;
	}
	return ret_buf(x, &b, r);
}

/* AES-256-CBC, the key the password's first 32 bytes (zero padded), a
 * random IV first, PKCS#7 padding, base64: Sprig's encryptAES. */
static int
aes(struct exec *x, int enc, const unsigned char *iv, const unsigned char *in,
    size_t n, const struct tval *pw, unsigned char *out)
{
	unsigned char	 key[32] = { 0 };
	EVP_CIPHER_CTX	*c = EVP_CIPHER_CTX_new();
	int		 l1 = 0, l2 = 0, ok;

	memcpy(key, pw->u.s.p, pw->u.s.n < 32 ? pw->u.s.n : 32);
	ok = c != NULL && EVP_CipherInit_ex(c, EVP_aes_256_cbc(), NULL, key,
	    iv, enc) && EVP_CIPHER_CTX_set_padding(c, 0) &&
	    EVP_CipherUpdate(c, out, &l1, in, (int)n) &&
	    EVP_CipherFinal_ex(c, out + l1, &l2);
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : exec_fail(x, "AES failed");
}

int
fn_encryptaes(struct exec *x, struct tval *a, int n, struct tval *r)
{
	size_t		 len = a[1].u.s.n, pad = 16 - len % 16;
	unsigned char	*p, *out;
	struct buf	 b = BUF_INIT;

	if (len == 0) {
		tval_str(r, "", 0);
		return 0;
	}
	if (len > TMPL_MAX_OUTPUT / 2)
		return exec_fail(x, "string too long");
	if ((p = exec_alloc(x, len + pad)) == NULL ||
	    (out = exec_alloc(x, 16 + len + pad)) == NULL)
		return -1;
	memcpy(p, a[1].u.s.p, len);
	memset(p + len, (int)pad, pad);
	if (random_bytes(x, out, 16) < 0 ||
	    aes(x, 1, out, p, len + pad, &a[0], out + 16) < 0)
		return -1;
	b64(&b, out, 16 + len + pad);
	return ret_buf(x, &b, r);
}

int
fn_decryptaes(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct tval	 raw;
	unsigned char	*out;
	size_t		 len;
	unsigned	 pad;

	if (a[1].u.s.n == 0) {
		tval_str(r, "", 0);
		return 0;
	}
	if (fn_b64dec(x, &a[1], 1, &raw) < 0)
		return -1;
	if (raw.u.s.n < 16)
		return exec_fail(x, "runtime error: slice bounds out of range "
		    "[:16] with capacity %zu", raw.u.s.n);
	len = raw.u.s.n - 16;
	if (len % 16 != 0)
		return exec_fail(x, "crypto/cipher: input not full blocks");
	if (len == 0)
		return exec_fail(x, "runtime error: index out of range [-1]");
	if ((out = exec_alloc(x, len + 16)) == NULL ||
	    aes(x, 0, (const unsigned char *)raw.u.s.p,
	    (const unsigned char *)raw.u.s.p + 16, len, &a[0], out) < 0)
		return -1;
	pad = out[len - 1];
	if (pad > len)
		return exec_fail(x, "runtime error: slice bounds out of range "
		    "[:%zd]", (ssize_t)len - (ssize_t)pad);
	tval_str(r, (char *)out, len - pad);
	return 0;
}

/* A key as Go's pemBlockForKey writes it: PKCS#1 for RSA, SEC 1 for EC,
 * the DSA structure, PKCS#8 for Ed25519. */
static int
key_pem(EVP_PKEY *k, struct buf *b)
{
	BIO	*bio = BIO_new(BIO_s_mem());
	char	*p;
	long	 n;
	int	 ok;

	if (bio == NULL)
		return -1;
	if (EVP_PKEY_get_base_id(k) == EVP_PKEY_ED25519)
		ok = PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL,
		    NULL);
	else
		ok = PEM_write_bio_PrivateKey_traditional(bio, k, NULL, NULL,
		    0, NULL, NULL);
	n = BIO_get_mem_data(bio, &p);
	if (ok && n > 0)
		buf_add(b, p, (size_t)n);
	BIO_free(bio);
	return ok ? 0 : -1;
}

static EVP_PKEY *
gen_key(const char *type, size_t n)
{
	EVP_PKEY	*k = NULL, *params = NULL;
	EVP_PKEY_CTX	*c;

	if (n == 3 && memcmp(type, "rsa", 3) == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)4096);
	if (n == 5 && memcmp(type, "ecdsa", 5) == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (n == 7 && memcmp(type, "ed25519", 7) == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (n != 3 || memcmp(type, "dsa", 3) != 0)
		return NULL;
	if ((c = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL)) == NULL)
		return NULL;
	if (EVP_PKEY_paramgen_init(c) > 0 &&
	    EVP_PKEY_CTX_set_dsa_paramgen_bits(c, 2048) > 0 &&
	    EVP_PKEY_paramgen(c, &params) > 0) {
		EVP_PKEY_CTX_free(c);
		c = EVP_PKEY_CTX_new(params, NULL);
		if (c == NULL || EVP_PKEY_keygen_init(c) <= 0 ||
		    EVP_PKEY_keygen(c, &k) <= 0)
			k = NULL;
	}
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(params);
	return k;
}

int
fn_genprivatekey(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct buf	 b = BUF_INIT;
	EVP_PKEY	*k;
	int		 rc;

	if ((k = gen_key(a[0].u.s.p, a[0].u.s.n)) == NULL) {
		buf_printf(&b, "Unknown type %.*s", (int)a[0].u.s.n,
		    a[0].u.s.p);
		return ret_buf(x, &b, r);
	}
	rc = key_pem(k, &b);
	EVP_PKEY_free(k);
	if (rc < 0) {
		buf_release(&b);
		return exec_fail(x, "cannot encode the key");
	}
	return ret_buf(x, &b, r);
}

/* What a certificate is made of. */
struct certreq {
	const char		*cn;
	const struct tval	*ips, *dns;
	int64_t			 days;
	int			 ca;		/* a CA certificate */
	X509			*issuer;	/* NULL: self-signed */
	EVP_PKEY		*ikey;		/* the issuer's key */
};

static int
add_ext(X509 *c, X509 *issuer, int nid, const char *v)
{
	X509V3_CTX		 ctx;
	X509_EXTENSION		*e;
	int			 ok;

	X509V3_set_ctx(&ctx, issuer != NULL ? issuer : c, c, NULL, NULL, 0);
	if ((e = X509V3_EXT_conf_nid(NULL, &ctx, nid, v)) == NULL)
		return -1;
	ok = X509_add_ext(c, e, -1);
	X509_EXTENSION_free(e);
	return ok ? 0 : -1;
}

/* The subjectAltName value of a request: "IP:...,DNS:...". */
static int
alt_names(struct exec *x, const struct certreq *q, struct buf *b)
{
	const struct tval	*l[2] = { q->ips, q->dns };
	struct tval		 e, s;
	unsigned char		 ip[16];
	char			*c;
	size_t			 i, k;

	for (k = 0; k < 2; k++) {
		if (l[k]->kind != TV_LIST)
			continue;
		for (i = 0; i < tval_len(l[k]); i++) {
			tval_from_json(&e, json_object_array_get_idx(l[k]->u.j,
			    i));
			if (tval_strval(x, &e, &s) < 0 ||
			    (c = exec_strdup(x, s.u.s.p, s.u.s.n)) == NULL)
				return -1;
			if (k == 0 && !inet_pton(AF_INET, c, ip) &&
			    !inet_pton(AF_INET6, c, ip))
				return exec_fail(x, "error parsing ip: %s", c);
			if (strpbrk(c, ",\n") != NULL)
				return exec_fail(x, "bad name: %s", c);
			buf_printf(b, "%s%s:%s", b->len > 0 ? "," : "",
			    k == 0 ? "IP" : "DNS", c);
		}
	}
	return 0;
}

/* A new certificate for key k, signed as q says, as PEM into b. */
static int
make_cert(struct exec *x, const struct certreq *q, EVP_PKEY *k,
    struct buf *b)
{
	X509		*c = X509_new();
	unsigned char	 serial[16];
	BIGNUM		*bn = NULL;
	BIO		*bio = NULL;
	struct buf	 san = BUF_INIT;
	char		*p;
	long		 n;
	int		 ok = 0;

	if (c == NULL || random_bytes(x, serial, sizeof serial) < 0 ||
	    alt_names(x, q, &san) < 0)
		goto out;
	serial[0] &= 0x7F;
	bn = BN_bin2bn(serial, sizeof serial, NULL);
	if (q->days > 3650000 || q->days < -3650000) {
		exec_fail(x, "daysValid out of range");
		goto out;
	}
	ok = bn != NULL && X509_set_version(c, 2) &&
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c)) != NULL &&
	    X509_NAME_add_entry_by_txt(X509_get_subject_name(c), "CN",
	    MBSTRING_UTF8, (const unsigned char *)q->cn, -1, -1, 0) &&
	    X509_set_issuer_name(c, q->issuer != NULL ?
	    X509_get_subject_name(q->issuer) : X509_get_subject_name(c)) &&
	    X509_gmtime_adj(X509_getm_notBefore(c), 0) &&
	    X509_time_adj_ex(X509_getm_notAfter(c), (int)q->days, 0, NULL) &&
	    X509_set_pubkey(c, k) &&
	    add_ext(c, q->issuer, NID_key_usage, q->ca ?
	    "critical,digitalSignature,keyEncipherment,keyCertSign" :
	    "critical,digitalSignature,keyEncipherment") == 0 &&
	    add_ext(c, q->issuer, NID_basic_constraints, q->ca ?
	    "critical,CA:TRUE" : "critical,CA:FALSE") == 0 &&
	    (q->ca || add_ext(c, q->issuer, NID_ext_key_usage,
	    "serverAuth,clientAuth") == 0) &&
	    (san.len == 0 || add_ext(c, q->issuer, NID_subject_alt_name,
	    buf_str(&san)) == 0) &&
	    X509_sign(c, q->ikey != NULL ? q->ikey : k,
	    EVP_PKEY_get_base_id(q->ikey != NULL ? q->ikey : k) ==
	    EVP_PKEY_ED25519 ? NULL : EVP_sha256()) > 0 &&
	    (bio = BIO_new(BIO_s_mem())) != NULL &&
	    PEM_write_bio_X509(bio, c);
	if (!ok) {
		exec_fail(x, "cannot make the certificate");
		goto out;
	}
	n = BIO_get_mem_data(bio, &p);
	buf_add(b, p, (size_t)n);
out:
	buf_release(&san);
	BIO_free(bio);
	BN_free(bn);
	X509_free(c);
	return ok ? 0 : -1;
}

/* A PEM private key from a string; NULL after exec_fail(). */
static EVP_PKEY *
parse_key(struct exec *x, const char *s, size_t n)
{
	BIO		*bio = BIO_new_mem_buf(s, (int)n);
	EVP_PKEY	*k = NULL;

	if (bio != NULL)
		k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (k == NULL)
		exec_fail(x, "parsing private key: no PEM data in input");
	return k;
}

static X509 *
parse_cert(const char *s, size_t n)
{
	BIO	*bio = BIO_new_mem_buf(s, (int)n);
	X509	*c = NULL;

	if (bio != NULL)
		c = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return c;
}

/* Sprig's certificate: a map with Cert and Key. */
static int
ret_cert(struct exec *x, struct buf *cert, struct buf *key, struct tval *r)
{
	struct json_object	*m = json_object_new_object();

	json_object_object_add(m, "Cert", json_object_new_string_len(
	    buf_str(cert), (int)cert->len));
	json_object_object_add(m, "Key", json_object_new_string_len(
	    buf_str(key), (int)key->len));
	buf_release(cert);
	buf_release(key);
	return ret_json(x, m, GT_PLAIN, r);
}

/* Makes the certificate of q for key k (NULL: a new 2048-bit RSA key, or
 * keystr parsed). */
static int
gen_cert(struct exec *x, struct certreq *q, const struct tval *keystr,
    struct tval *r)
{
	struct buf	 cert = BUF_INIT, key = BUF_INIT;
	EVP_PKEY	*k;
	int		 rc;

	if (keystr != NULL)
		k = parse_key(x, keystr->u.s.p, keystr->u.s.n);
	else if ((k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)) ==
	    NULL)
		exec_fail(x, "cannot generate a key");
	if (k == NULL)
		return -1;
	rc = make_cert(x, q, k, &cert);
	if (rc == 0 && key_pem(k, &key) < 0)
		rc = exec_fail(x, "cannot encode the key");
	EVP_PKEY_free(k);
	if (rc < 0) {
		buf_release(&cert);
		buf_release(&key);
		return -1;
	}
	return ret_cert(x, &cert, &key, r);
}

static int
cn(struct exec *x, const struct tval *v, struct certreq *q)
{
	char	*s = exec_strdup(x, v->u.s.p, v->u.s.n);

	q->cn = s;
	if (s != NULL && strlen(s) != v->u.s.n)
		return exec_fail(x, "NUL byte in the common name");
	return s != NULL ? 0 : -1;
}

int
fn_genca(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct tval	none = { .kind = TV_MISSING };
	struct certreq	q = { NULL, &none, &none, a[1].u.i, 1, NULL, NULL };

	if (cn(x, &a[0], &q) < 0)
		return -1;
	return gen_cert(x, &q, n > 2 ? &a[2] : NULL, r);
}

/* The CA of genSignedCert: its certificate and key, parsed. */
static int
issuer(struct exec *x, const struct tval *ca, struct certreq *q)
{
	struct json_object	*c, *k;

	if (!json_object_object_get_ex(ca->u.j, "Cert", &c) ||
	    !json_object_object_get_ex(ca->u.j, "Key", &k))
		return exec_fail(x, "the CA must come from genCA");
	q->issuer = parse_cert(json_object_get_string(c),
	    (size_t)json_object_get_string_len(c));
	if (q->issuer == NULL)
		return exec_fail(x, "error parsing ca cert: bad PEM data");
	q->ikey = parse_key(x, json_object_get_string(k),
	    (size_t)json_object_get_string_len(k));
	return q->ikey != NULL ? 0 : -1;
}

/* genSelfSignedCert CN IPS DNS DAYS [KEY] and genSignedCert CN IPS DNS DAYS
 * CA [KEY]. */
static int
leaf(struct exec *x, struct tval *a, int n, int signed_by, struct tval *r)
{
	struct certreq	q = { NULL, &a[1], &a[2], a[3].u.i, 0, NULL, NULL };
	int		rc;

	if (cn(x, &a[0], &q) < 0)
		return -1;
	if (signed_by && issuer(x, &a[4], &q) < 0)
		rc = -1;
	else
		rc = gen_cert(x, &q, n > 4 + signed_by ? &a[4 + signed_by] :
		    NULL, r);
	X509_free(q.issuer);
	EVP_PKEY_free(q.ikey);
	return rc;
}

int
fn_genselfsignedcert(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return leaf(x, a, n, 0, r);
}

int
fn_gensignedcert(struct exec *x, struct tval *a, int n, struct tval *r)
{
	return leaf(x, a, n, 1, r);
}

int
fn_buildcustomcert(struct exec *x, struct tval *a, int n, struct tval *r)
{
	struct tval	 c, k;
	struct buf	 cert = BUF_INIT, key = BUF_INIT;
	X509		*x509;
	EVP_PKEY	*pk;

	if (fn_b64dec(x, &a[0], 1, &c) < 0)
		return exec_fail(x, "unable to decode base64 certificate");
	if (fn_b64dec(x, &a[1], 1, &k) < 0)
		return exec_fail(x, "unable to decode base64 private key");
	if ((x509 = parse_cert(c.u.s.p, c.u.s.n)) == NULL)
		return exec_fail(x, "unable to decode certificate");
	X509_free(x509);
	if ((pk = parse_key(x, k.u.s.p, k.u.s.n)) == NULL)
		return exec_fail(x, "unable to decode private key");
	EVP_PKEY_free(pk);
	buf_add(&cert, c.u.s.p, c.u.s.n);
	buf_add(&key, k.u.s.p, k.u.s.n);
	return ret_cert(x, &cert, &key, r);
}
