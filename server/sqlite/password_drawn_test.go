package sqlite

import (
	"testing"

	"doorstep/shared/housing"
)

// A drawn password is hashed cheaply, checks like any other, and is known
// as cheap, so sign-in can spend the full cost's time on it too.
func TestDrawnPasswordHash(t *testing.T) {
	p := housing.NewToken()
	cheap, err := hashDrawnPassword(p)
	if err != nil {
		t.Fatal(err)
	}
	full, err := hashPassword(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{cheap, full} {
		if ok, err := checkPassword(h, p); err != nil || !ok {
			t.Errorf("checkPassword(%s) = %v, %v; want true", h, ok, err)
		}
		if ok, _ := checkPassword(h, p+"x"); ok {
			t.Errorf("checkPassword(%s) took a wrong password", h)
		}
	}
	if !cheaperThanFull(cheap) || cheaperThanFull(full) {
		t.Errorf("cheaperThanFull: drawn %v, full %v; want true, false", cheaperThanFull(cheap), cheaperThanFull(full))
	}
}
