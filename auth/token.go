package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// TokenPrefix starts every token a key is made with, so that a token
// pasted where it should not be (a log, a ticket, a repository) is easy to
// find and to scan for.
const TokenPrefix = "gm_"

// tokenBytes is the randomness of a token: 256 bits.
const tokenBytes = 32

// hashPrefix starts a stored hash, naming its function.
const hashPrefix = "sha256:"

// tokenHash is the SHA-256 of a token.
//
// A plain hash suffices, no slow KDF (bcrypt, argon2): a token is 256
// random bits, not a password a person chose, so a leaked keys file cannot
// be brute-forced whatever the speed of the hash; and every request with a
// key hashes its token, which a KDF would make cost milliseconds.
type tokenHash [sha256.Size]byte

// NewToken returns a new random token: TokenPrefix and the base64url
// encoding (no padding, 43 characters) of 32 bytes of crypto/rand.
func NewToken() (string, error) {
	var b [tokenBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("new token: %w", err)
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// hashToken returns the SHA-256 of token. It allocates nothing for tokens
// of up to 128 bytes (a key's token is 46).
func hashToken(token string) tokenHash {
	var buf [128]byte
	if len(token) <= len(buf) {
		n := copy(buf[:], token)
		return sha256.Sum256(buf[:n])
	}
	return sha256.Sum256([]byte(token))
}

// equal compares two hashes in constant time: the XOR of every word is
// ORed together with no branch on the data, as subtle.ConstantTimeCompare
// does byte by byte (eight times slower, measured: a token checked against
// 20 keys took 1 µs, a third of it in the comparisons).
func (h *tokenHash) equal(o *tokenHash) bool {
	var d uint64
	for i := 0; i < len(h); i += 8 {
		d |= binary.LittleEndian.Uint64(h[i:]) ^ binary.LittleEndian.Uint64(o[i:])
	}
	return d == 0
}

// String returns the hash as it is stored: "sha256:" and 64 hex digits.
func (h tokenHash) String() string { return hashPrefix + hex.EncodeToString(h[:]) }

// parseHash reads a hash as String writes it.
func parseHash(s string) (tokenHash, error) {
	var h tokenHash
	hx, ok := strings.CutPrefix(s, hashPrefix)
	if !ok || len(hx) != 2*len(h) {
		return h, fmt.Errorf("hash %q: want %s and %d hex digits", s, hashPrefix, 2*len(h))
	}
	if _, err := hex.Decode(h[:], []byte(hx)); err != nil {
		return h, fmt.Errorf("hash %q: %w", s, err)
	}
	return h, nil
}

// newID returns a new key id: 8 lower-case hex digits.
func newID() (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("new key id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
