package replica_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

// unreachable is a server the phone cannot reach: every call fails as the
// transport fails with no signal.
type unreachable struct{ *fakeServer }

func (unreachable) SignIn(context.Context, housing.SignIn) (housing.Session, error) {
	return housing.Session{}, errors.New("fetch failed")
}

// TestSignInTellsOfflineFromRefused checks that a sign-in with no answer
// says that signing in needs signal, while the server's refusal is shown as
// the server worded it.
func TestSignInTellsOfflineFromRefused(t *testing.T) {
	ctx := context.Background()
	t.Run("Offline", func(t *testing.T) {
		r := replica.New(replica.NewMemStore(), unreachable{newFakeServer()}, replica.Options{})
		if err := r.Open(ctx); err != nil {
			t.Fatal(err)
		}
		_, err := r.SignIn(ctx, "sarah", "right", "test phone")
		if msg := housing.ErrorMessage(err); !strings.HasPrefix(msg, "No connection to the server.") {
			t.Errorf("got %q, want the phone to say it has no connection", msg)
		}
		if _, ok := r.Account(); ok {
			t.Error("the phone is signed in after a sign-in that reached no server")
		}
	})
	t.Run("Refused", func(t *testing.T) {
		r := replica.New(replica.NewMemStore(), newFakeServer(), replica.Options{})
		if err := r.Open(ctx); err != nil {
			t.Fatal(err)
		}
		_, err := r.SignIn(ctx, "sarah", "wrong", "test phone")
		if got, want := housing.ErrorMessage(err), "Wrong username or password."; got != want {
			t.Errorf("got %q, want the server's %q", got, want)
		}
	})
}
