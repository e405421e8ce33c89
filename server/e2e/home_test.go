package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"doorstep/server/e2e"
	"doorstep/shared/housing"
)

// TestHomeListsFollowTheQueues checks that an officer's home screen sorts
// promises by the supervisors' queue rules: a promise a supervisor has
// recorded as broken is listed as broken, not as overdue, even though its
// date has passed and it is still to be put right.
func TestHomeListsFollowTheQueues(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	ctx := context.Background()
	suffix := uuid.NewString()[:8]
	today := housing.LocalDate(time.Now())

	sarah := reviewSignIn(t, srv.URL, "sarah")
	overdue := reviewPromise(t, ctx, sarah, reviewTenancy("RIV-00001"), "riverside",
		"Chase the fence panel "+suffix, housing.AddWorkingDays(today, -3))
	broken := reviewPromise(t, ctx, sarah, reviewTenancy("RIV-00002"), "riverside",
		"Send the rent statement "+suffix, housing.AddWorkingDays(today, -4))

	// Jo, sarah's supervisor, records the second as broken.
	jo := reviewSignIn(t, srv.URL, "jo")
	data, _ := json.Marshal(housing.CommitmentAction{Reason: "We are sorry: the statement was not sent."})
	resp, err := jo.client.Sync(ctx, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: jo.s.DeviceID, Mutations: []housing.Mutation{
		{Seq: jo.next, Kind: housing.KindCommitmentBreak, RecordID: broken.ID, BaseVersion: 1, HappenedAt: time.Now().UTC(), Data: data},
	}})
	if err != nil || len(resp.Results) != 1 || resp.Results[0].Status != housing.ResultApplied {
		t.Fatalf("jo breaks the promise: %v %+v", err, resp.Results)
	}

	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	reviewBrowserSignIn(t, b, srv.URL, "sarah")
	section := func(id string) string {
		return e2e.Eval[string](b, fmt.Sprintf(`document.querySelector('section[aria-labelledby=%q]').innerText`, id))
	}
	reviewEventually(t, "the broken promise listed as broken on sarah's home", func() bool {
		return strings.Contains(section("broken"), broken.What)
	})
	if s := section("overdue"); strings.Contains(s, broken.What) || !strings.Contains(s, overdue.What) {
		t.Errorf("the overdue list should hold %q and not %q:\n%s", overdue.What, broken.What, s)
	}
}
