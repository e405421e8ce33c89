package e2e_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/shared/housing"
)

// storedRecords returns the records the app holds in IndexedDB whose keys
// start with prefix, by key, as the replica stored them.
func (p page) storedRecords(prefix string) map[string]json.RawMessage {
	p.t.Helper()
	raw := e2e.Eval[string](p.Browser, fmt.Sprintf(`new Promise((resolve, reject) => {
		const open = indexedDB.open("doorstep");
		open.onerror = () => reject(open.error);
		open.onsuccess = () => {
			const store = open.result.transaction("records").objectStore("records");
			const keys = store.getAllKeys(), vals = store.getAll();
			vals.onsuccess = () => {
				const out = {};
				keys.result.forEach((k, i) => { if (k.startsWith(%q)) out[k] = JSON.parse(vals.result[i]); });
				open.result.close();
				resolve(JSON.stringify(out));
			};
			vals.onerror = () => reject(vals.error);
		};
	})`, prefix))
	out := map[string]json.RawMessage{}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		p.t.Fatalf("read IndexedDB: %v", err)
	}
	return out
}

// TestSyncPhoneHoldsServersFormOfItsRecords: an officer logs a visit with
// a promise on their phone and syncs; the phone then holds both as the
// server stored them (with the time the server received them and the
// promise's history as the server wrote it), not as it made them.
func TestSyncPhoneHoldsServersFormOfItsRecords(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	sarah := page{Browser: e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true}), t: t}
	sarah.signIn(srv.URL, "sarah")

	sarah.Open(srv.URL + "/visits/new?tenancy=" + demo.TenancyID("RIV-00007"))
	sarah.click("#purpose-repairs_inspection")
	sarah.click("#add-promise")
	sarah.set("#commitment-0-what", "Clear the blocked gutter")
	sarah.set("#commitment-0-function", housing.FunctionRepairs)
	sarah.set("#commitment-0-standard", "repairs.urgent")
	sarah.set("#commitment-0-due", string(housing.AddWorkingDays(housing.DateOf(time.Now()), 3)))
	sarah.click("#save")
	sarah.waitFor(`location.pathname.startsWith("/visits/") && location.pathname !== "/visits/new"`, "the visit summary")
	visitID := strings.TrimPrefix(e2e.Eval[string](sarah.Browser, `location.pathname`), "/visits/")
	sarah.syncNow(srv.URL)
	sarah.waitFor(`(document.querySelector(".sync-badge")||{}).textContent?.startsWith("Synced")`, "nothing left to sync")

	var v housing.Visit
	raw, ok := sarah.storedRecords("visit/")["visit/"+visitID]
	if !ok {
		t.Fatalf("the phone holds no visit %s", visitID)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if v.ReceivedAt.IsZero() || v.SiteID != "riverside" {
		t.Errorf("the phone holds its visit as %s; want the server's form, with received_at", raw)
	}
	var found bool
	for key, raw := range sarah.storedRecords("commitment/") {
		var c housing.Commitment
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		if c.VisitID != visitID {
			continue
		}
		found = true
		if !c.ReceivedAt.Equal(v.ReceivedAt) || c.Version != 1 || len(c.History) != 1 || !c.History[0].At.Equal(c.ReceivedAt) {
			t.Errorf("the phone holds %s as %s; want the server's form: received with the visit, version 1, history made when received", key, raw)
		}
	}
	if !found {
		t.Fatalf("the phone holds no promise made at visit %s", visitID)
	}
}
