package remote

import (
	"context"

	"doorstep/shared/housing"
)

// Transport is a Client as the replica's Transport (app/replica), which
// passes each call the token it keeps on the phone. The wasm's replica
// syncs through it over fetch; with the net/http Doer a native replica
// syncs exactly as the phone does, as the contract tests and the
// benchmarks use it.
type Transport struct {
	Client Client // BaseURL, Do and GzipOver; its Token is set per call
}

// Sync makes one sync round trip with token.
func (t Transport) Sync(ctx context.Context, token string, req housing.SyncRequest) (housing.SyncResponse, error) {
	c := t.Client
	c.Token = token
	return c.Sync(ctx, req)
}

// SignIn makes a device session.
func (t Transport) SignIn(ctx context.Context, in housing.SignIn) (housing.Session, error) {
	c := t.Client
	c.Token = ""
	return c.SignIn(ctx, in)
}

// SignOut ends the session behind token.
func (t Transport) SignOut(ctx context.Context, token string) error {
	c := t.Client
	c.Token = token
	return c.SignOut(ctx)
}
