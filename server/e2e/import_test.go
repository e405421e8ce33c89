package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"doorstep/app/remote"
	"doorstep/server/e2e"
	"doorstep/shared/housing"
)

// TestFirstRunForReal walks a landlord from an empty data folder to an
// officer's phone syncing its tenancies, with the real binary and the
// sample files in docs/examples, and no browser: the server started
// without the demo says how to make the first admin and how to import;
// those commands work as printed; the admin imports again over the API,
// which changes nothing; an imported officer signs in with the one-time
// password the import printed and pulls the tenancies of their site.
func TestFirstRunForReal(t *testing.T) {
	srv := e2e.StartServerWith(t, e2e.ServerConfig{WebDir: t.TempDir(), NoDemo: true})
	bin := e2e.Binary(t)
	doorstep := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("doorstep %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	for _, want := range []string{
		bin + " user add -data " + srv.DataDir + ` -username admin -name "Your Name" -role admin`,
		bin + " import -data " + srv.DataDir + " sites.csv teams.csv staff.csv tenancies.csv",
	} {
		if !strings.Contains(srv.Output(), want) {
			t.Errorf("the server's first start does not print %q:\n%s", want, srv.Output())
		}
	}

	out := doorstep("user", "add", "-data", srv.DataDir, "-username", "admin", "-name", "Your Name", "-role", "admin")
	m := regexp.MustCompile(`Password: (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("user add printed no password:\n%s", out)
	}
	adminPassword := m[1]

	examples := filepath.Join(e2e.RepoRoot(t), "docs", "examples")
	var paths []string
	for _, name := range []string{"sites.csv", "teams.csv", "staff.csv", "tenancies.csv"} {
		paths = append(paths, filepath.Join(examples, name))
	}
	out = doorstep(append([]string{"import", "-data", srv.DataDir}, paths...)...)
	passwords := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^  ([a-z.]+)\s+([A-Za-z0-9_-]{22})$`).FindAllStringSubmatch(out, -1) {
		passwords[m[1]] = m[2]
	}
	if len(passwords) != 12 || !strings.Contains(out, "tenancies.csv  60 added") {
		t.Fatalf("the import printed:\n%s", out)
	}

	// The admin uploads the same files over the API: nothing changes.
	ctx := context.Background()
	admin := &remote.Client{BaseURL: srv.URL}
	s, err := admin.SignIn(ctx, housing.SignIn{Username: "admin", Password: adminPassword, DeviceName: "Office PC"})
	if err != nil {
		t.Fatal(err)
	}
	upload := func(files map[string][]byte) housing.ImportReport {
		t.Helper()
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for name, data := range files {
			w, _ := mw.CreateFormFile("file", name)
			w.Write(data)
		}
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/admin/imports", &body)
		req.Header.Set("Authorization", "Bearer "+s.Token)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var r housing.ImportReport
		err = json.NewDecoder(res.Body).Decode(&r)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusCreated || r.ByName != "Your Name" {
			t.Fatalf("the upload: %s %+v %v", res.Status, r, err)
		}
		return r
	}
	files := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	if r := upload(files); r.Tenancies.Unchanged != 60 || r.Staff.Unchanged != 12 {
		t.Fatalf("the same files again changed something: %+v", r)
	}

	// amira.hussain works at Meadowbank: her phone pulls its 19 tenancies
	// that have not ended, and every member of staff without their email.
	amira := &remote.Client{BaseURL: srv.URL}
	as, err := amira.SignIn(ctx, housing.SignIn{Username: "amira.hussain", Password: passwords["amira.hussain"], DeviceName: "Work phone"})
	if err != nil {
		t.Fatalf("amira.hussain signs in with her one-time password: %v", err)
	}
	amira.Token = as.Token
	cursor := ""
	pull := func() (sites map[string]int, officers int, reset bool) {
		t.Helper()
		sites = map[string]int{}
		for more := true; more; {
			resp, err := amira.Sync(ctx, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: as.DeviceID, Cursor: cursor, Mutations: []housing.Mutation{}})
			if err != nil {
				t.Fatal(err)
			}
			reset = reset || resp.Reset
			for _, ch := range resp.Changes {
				switch ch.Kind {
				case housing.RecordTenancy:
					var tn housing.Tenancy
					json.Unmarshal(ch.Data, &tn)
					if tn.Ended {
						t.Errorf("amira's phone got the ended tenancy %+v", tn)
					}
					sites[tn.SiteID]++
				case housing.RecordOfficer:
					if strings.Contains(string(ch.Data), "@") {
						t.Errorf("a phone got an email address: %s", ch.Data)
					}
					officers++
				}
			}
			cursor, more = resp.Cursor, resp.HasMore
		}
		return sites, officers, reset
	}
	if sites, officers, _ := pull(); len(sites) != 1 || sites["meadowbank"] != 19 || officers != 13 {
		t.Errorf("amira's phone pulled tenancies on %v and %d officers, want 19 on meadowbank and 13", sites, officers)
	}

	// The next night's staff.csv moves her to Brookside: her phone's next
	// sync starts over with Brookside's 20 tenancies and none of
	// Meadowbank's.
	files["staff.csv"] = bytes.Replace(files["staff.csv"], []byte("amira.hussain,Amira Hussain,officer,meadowbank,"), []byte("amira.hussain,Amira Hussain,officer,brookside,"), 1)
	if r := upload(map[string][]byte{"staff.csv": files["staff.csv"]}); r.Staff.Changed != 1 {
		t.Fatalf("the new staff.csv changed %+v", r.Staff)
	}
	if sites, _, reset := pull(); !reset || len(sites) != 1 || sites["brookside"] != 20 {
		t.Errorf("after her move amira's phone pulled tenancies on %v (reset %v), want a reset and 20 on brookside", sites, reset)
	}
}
