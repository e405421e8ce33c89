package remote

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	"doorstep/shared/housing"
)

// The admin's routes (docs/admin-api.md): staff and their devices, sites
// and teams, service standards, imports and integration tokens. Each
// answers only a signed-in admin; a refusal is the server's *housing.Error.

// Users lists every member of staff, with their email and whether
// staff.csv manages them.
func (c *Client) Users(ctx context.Context) ([]housing.Officer, error) {
	var out struct {
		Users []housing.Officer `json:"users"`
	}
	err := c.call(ctx, "GET", "/api/v1/admin/users", "", nil, &out)
	return out.Users, err
}

// AddUser adds a member of staff.
func (c *Client) AddUser(ctx context.Context, in housing.NewOfficer) (housing.Officer, error) {
	var o housing.Officer
	err := c.call(ctx, "POST", "/api/v1/admin/users", "", in, &o)
	return o, err
}

// SwitchUser switches an account off (signing out its devices) or on, and
// returns it as it now is.
func (c *Client) SwitchUser(ctx context.Context, id string, on bool) (housing.Officer, error) {
	what := "/disable"
	if on {
		what = "/enable"
	}
	var o housing.Officer
	err := c.call(ctx, "POST", "/api/v1/admin/users/"+url.PathEscape(id)+what, "", nil, &o)
	return o, err
}

// SetUserPassword sets an account's password, which signs out its devices.
func (c *Client) SetUserPassword(ctx context.Context, id, password string) error {
	return c.call(ctx, "POST", "/api/v1/admin/users/"+url.PathEscape(id)+"/password", "", map[string]string{"password": password}, nil)
}

// Devices lists the devices an officer is signed in on.
func (c *Client) Devices(ctx context.Context, officerID string) ([]housing.Session, error) {
	var out struct {
		Sessions []housing.Session `json:"sessions"`
	}
	err := c.call(ctx, "GET", "/api/v1/sessions", url.Values{"officer": {officerID}}.Encode(), nil, &out)
	return out.Sessions, err
}

// SignOutDevice ends one device's session at once.
func (c *Client) SignOutDevice(ctx context.Context, sessionID string) error {
	return c.call(ctx, "DELETE", "/api/v1/sessions/"+url.PathEscape(sessionID), "", nil, nil)
}

// Sites lists the landlord's sites.
func (c *Client) Sites(ctx context.Context) ([]housing.Site, error) {
	var out struct {
		Sites []housing.Site `json:"sites"`
	}
	err := c.call(ctx, "GET", "/api/v1/admin/sites", "", nil, &out)
	return out.Sites, err
}

// PutSite adds the site s.ID or renames it.
func (c *Client) PutSite(ctx context.Context, s housing.Site) (housing.Site, error) {
	var out housing.Site
	err := c.call(ctx, "PUT", "/api/v1/admin/sites/"+url.PathEscape(s.ID), "", map[string]string{"name": s.Name}, &out)
	return out, err
}

// Teams lists the landlord's teams.
func (c *Client) Teams(ctx context.Context) ([]housing.Function, error) {
	var out struct {
		Teams []housing.Function `json:"teams"`
	}
	err := c.call(ctx, "GET", "/api/v1/admin/teams", "", nil, &out)
	return out.Teams, err
}

// PutTeam adds the team f.ID or renames it.
func (c *Client) PutTeam(ctx context.Context, f housing.Function) (housing.Function, error) {
	var out housing.Function
	err := c.call(ctx, "PUT", "/api/v1/admin/teams/"+url.PathEscape(f.ID), "", map[string]string{"name": f.Name}, &out)
	return out, err
}

// Standards lists every service standard.
func (c *Client) Standards(ctx context.Context) ([]housing.Standard, error) {
	var out struct {
		Standards []housing.Standard `json:"standards"`
	}
	err := c.call(ctx, "GET", "/api/v1/admin/standards", "", nil, &out)
	return out.Standards, err
}

// SetStandard adds or changes the standard ch.Standard.ID, with the
// reason the audit keeps.
func (c *Client) SetStandard(ctx context.Context, ch housing.StandardChange) (housing.Standard, error) {
	var out housing.Standard
	err := c.call(ctx, "PUT", "/api/v1/admin/standards/"+url.PathEscape(ch.Standard.ID), "", ch, &out)
	return out, err
}

// StandardHistory lists the changes to standard id, or to every standard
// when id is "", newest first.
func (c *Client) StandardHistory(ctx context.Context, id string) ([]housing.StandardAudit, error) {
	var query string
	if id != "" {
		query = url.Values{"standard": {id}}.Encode()
	}
	var out struct {
		Changes []housing.StandardAudit `json:"changes"`
	}
	err := c.call(ctx, "GET", "/api/v1/admin/standards/history", query, nil, &out)
	return out.Changes, err
}

// Import sends a landlord's CSV files, one multipart part named "file" per
// file, and returns what the import did, or with opts.DryRun would do. A
// refusal's *housing.Error lists every bad row in its Problems.
func (c *Client) Import(ctx context.Context, files []housing.ImportFile, opts housing.ImportOptions) (housing.ImportReport, error) {
	body, contentType, err := importBody(files)
	if err != nil {
		return housing.ImportReport{}, err
	}
	q := url.Values{}
	if opts.DryRun {
		q.Set("dry_run", "true")
	}
	if opts.NoPasswords {
		q.Set("no_passwords", "true")
	}
	var out housing.ImportReport
	res, err := c.sendBody(ctx, "POST", "/api/v1/admin/imports", q.Encode(), contentType, body)
	if err != nil {
		return out, err
	}
	err = decodeAnswer(res, "/api/v1/admin/imports", &out)
	return out, err
}

// importBody is files as a multipart/form-data body (RFC 7578), and its
// content type. It is written by hand, not with mime/multipart, which would
// link mime, its tables and net/textproto into the wasm (about 100 KB) for
// a body of a few lines.
func importBody(files []housing.ImportFile) ([]byte, string, error) {
	boundary, err := importBoundary(files)
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	for _, f := range files {
		buf.WriteString("--" + boundary + "\r\n")
		buf.WriteString(`Content-Disposition: form-data; name="file"; filename="` + formQuote.Replace(f.Name) + "\"\r\n")
		buf.WriteString("Content-Type: application/octet-stream\r\n\r\n")
		buf.Write(f.Data)
		buf.WriteString("\r\n")
	}
	buf.WriteString("--" + boundary + "--\r\n")
	return buf.Bytes(), "multipart/form-data; boundary=" + boundary, nil
}

// formQuote escapes a file name inside a quoted parameter as Go's
// mime/multipart does, so the server reads back the name that was sent.
var formQuote = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "%0D", "\n", "%0A")

// importBoundary returns a random boundary that occurs in none of files; a
// boundary inside a file's bytes would end its part early.
func importBoundary(files []housing.ImportFile) (string, error) {
	var raw [24]byte
	for {
		if _, err := rand.Read(raw[:]); err != nil {
			return "", fmt.Errorf("make the import's boundary: %w", err)
		}
		boundary := hex.EncodeToString(raw[:])
		clash := false
		for _, f := range files {
			if bytes.Contains(f.Data, []byte(boundary)) || strings.Contains(f.Name, boundary) {
				clash = true
				break
			}
		}
		if !clash {
			return boundary, nil
		}
	}
}

// Imports lists the imports applied, newest first.
func (c *Client) Imports(ctx context.Context) ([]housing.ImportReport, error) {
	var out struct {
		Imports []housing.ImportReport `json:"imports"`
	}
	err := c.call(ctx, "GET", "/api/v1/admin/imports", "", nil, &out)
	return out.Imports, err
}

// Tokens lists the integration tokens, without their secrets.
func (c *Client) Tokens(ctx context.Context) ([]housing.IntegrationToken, error) {
	var out struct {
		Tokens []housing.IntegrationToken `json:"tokens"`
	}
	err := c.call(ctx, "GET", "/api/v1/admin/tokens", "", nil, &out)
	return out.Tokens, err
}

// MakeToken makes an integration token and returns it with its secret,
// which the server never shows again.
func (c *Client) MakeToken(ctx context.Context, in housing.NewIntegrationToken) (housing.IntegrationToken, error) {
	var out housing.IntegrationToken
	err := c.call(ctx, "POST", "/api/v1/admin/tokens", "", in, &out)
	return out, err
}

// RevokeToken stops an integration token at once.
func (c *Client) RevokeToken(ctx context.Context, id string) error {
	return c.call(ctx, "POST", "/api/v1/admin/tokens/"+url.PathEscape(id)+"/revoke", "", nil, nil)
}
