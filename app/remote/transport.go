package remote

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"doorstep/shared/housing"
)

// SignOut ends this device's session (DELETE /api/v1/session) and forgets
// its token. The server's *housing.Error comes back as it is: signing out
// with a session the server already ended is CodeUnauthorized.
func (c *Client) SignOut(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, strings.TrimSuffix(c.BaseURL, "/")+"/api/v1/session", nil)
	if err != nil {
		return fmt.Errorf("new sign-out request: %w", err)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("delete /api/v1/session: %w", err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("read sign-out answer: %w", err)
	}
	if res.StatusCode/100 != 2 {
		var e errorBody
		if json.Unmarshal(data, &e) != nil || e.Code == "" {
			return fmt.Errorf("delete /api/v1/session: server answered %s", res.Status)
		}
		return &housing.Error{Code: e.Code, Message: e.Message}
	}
	c.Token = ""
	return nil
}

// Transport is a Client as the replica's Transport (app/replica), which
// passes each call the token it keeps on the phone. With it a native
// replica syncs over HTTP exactly as the phone does: the contract tests and
// the benchmark use it as a device.
type Transport struct {
	Client Client // BaseURL and HTTP; its Token is set per call
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
