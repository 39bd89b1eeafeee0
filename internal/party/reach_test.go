package party_test

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/app/reachtest"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// An account manager records consent for their own organizations only.
func TestAccountManagerRecordsConsentInReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reachtest.New(t, db)
		ctx := t.Context()
		in := party.ConsentInput{ProgramID: f.Program.ID, Decision: party.Accepted, Method: party.ViaPaper, SignerName: "Jo Brick", Evidence: "DMS #4411"}
		_, err := f.App.Party.RecordConsent(ctx, f.Tom, f.VeraOrg.ID, in)
		reachtest.Refused(t, "recording consent", err)
		if st, err := f.App.Party.ConsentStatus(ctx, f.Sys, f.VeraOrg.ID, f.Program.ID); err != nil || len(st.History) != 0 {
			t.Errorf("a refused consent was recorded: %+v %v", st, err)
		}
		if _, err := f.App.Party.RecordConsent(ctx, f.Tom, f.TomOrg.ID, in); err != nil {
			t.Errorf("consent of his own organization: %v", err)
		}
	})
}
