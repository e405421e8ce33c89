package housing

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// TokenBytes is the number of random bytes in a tenant-link or device-session
// token: 128 bits, written as 22 characters of unpadded base64url.
const TokenBytes = 16

// NewToken returns a fresh random token. It is made on the device for tenant
// links, so a QR code can be shown before the phone has ever synced.
func NewToken() string {
	b := make([]byte, TokenBytes)
	if _, err := rand.Read(b); err != nil {
		panic("housing: no randomness: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ValidToken reports whether s has the shape of a token from NewToken.
func ValidToken(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == TokenBytes && len(s) == 22
}

// HashToken returns the hex SHA-256 of a token. Only hashes are stored on the
// server, so a copy of the database opens no tenant page and no session.
// Tokens carry 128 random bits, so a fast hash is enough; no salt is needed.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// TenantPath is the path of a commitment's tenant page.
func TenantPath(token string) string { return "/t/" + token }
