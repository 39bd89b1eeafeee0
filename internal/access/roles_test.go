package access

import (
	"context"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// The table, role by role: what each may and may not do (signed in, so
// holding its role's strongest scope).
func TestRoleTable(t *testing.T) {
	may := map[Role][]Action{
		RoleAdmin:          Actions(),
		RoleProgramManager: {ReadData, EditParties, RecordConsent, IngestEvents, ManagePrograms, ApproveVersion, ManageGoals, SubmitClaims, DecideClaims, Redeem, DecideRedeem, RunSimulations, ManageImportMap, ManageMessages},
		RoleFinance:        {ReadData, ReadAudit, MoveValue, AdjustWallet, DecideAdjust, SubmitClaims, DecideClaims, DecideRedeem, RunSimulations},
		RoleSupport:        {ReadData, AdjustWallet, SubmitClaims, DecideClaims, Redeem},
		RoleAccountManager: {ReadData, EditParties, RecordConsent, AdjustWallet, ManageGoals, SubmitClaims, Redeem},
		RoleIntegrator:     {ReadData, EditParties, IngestEvents, MoveValue, SubmitClaims, Redeem, ManageImportMap, ManageWebhooks},
		RoleReadOnly:       {ReadData, ReadAudit},
	}
	for _, r := range Roles {
		allowed := map[Action]bool{}
		for _, a := range may[r] {
			allowed[a] = true
		}
		p := Principal{TenantID: "t", ActorType: ActorStaff, ActorID: "s", StaffID: "s", Role: r, Scope: r.Ceiling()}
		for _, a := range Actions() {
			err := p.Can(a)
			if allowed[a] && err != nil {
				t.Errorf("%s may %s, got %v", r, a, err)
			}
			if !allowed[a] && !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s may not %s, got %v", r, a, err)
			}
		}
	}
}

// A key of no staff user is held to its scope alone; the product itself
// may do anything; an unknown action is a bug, not a permission.
func TestScopeAndSystem(t *testing.T) {
	read := Principal{TenantID: "t", ActorType: ActorAPIKey, ActorID: "k", Scope: ScopeRead}
	if err := read.Can(ReadData); err != nil {
		t.Errorf("read key may read: %v", err)
	}
	if err := read.Can(IngestEvents); !errs.Is(err, errs.Forbidden) {
		t.Errorf("read key may not ingest: %v", err)
	}
	write := read
	write.Scope = ScopeWrite
	if err := write.Can(DecideAdjust); err != nil {
		t.Errorf("an integration write key keeps its powers: %v", err)
	}
	if err := write.Can(Administer); !errs.Is(err, errs.Forbidden) {
		t.Errorf("a write key may not administer: %v", err)
	}
	if err := System("t").Can(Administer); err != nil {
		t.Errorf("system: %v", err)
	}
	if err := read.Can("nonsense"); errs.KindOf(err) != errs.Internal {
		t.Errorf("unknown action: %v", err)
	}
}

type reach map[string]string

func (r reach) AccountManagerOf(_ context.Context, _, _, id string) (string, error) {
	m, ok := r[id]
	if !ok {
		return "", errs.NotFoundf("organization", id)
	}
	return m, nil
}

// An account manager reaches only organizations assigned to them; others
// are not held (and cost no query).
func TestReach(t *testing.T) {
	r := reach{"mine": "tom", "hers": "vera", "nobodys": ""}
	tom := Principal{TenantID: "t", ActorType: ActorStaff, StaffID: "tom", Role: RoleAccountManager, Scope: ScopeWrite}
	for id, ok := range map[string]bool{"mine": true, "hers": false, "nobodys": false} {
		err := tom.RequireReach(context.Background(), r, "organization", id)
		if ok != (err == nil) || (!ok && !errs.Is(err, errs.Forbidden)) {
			t.Errorf("tom reaching %s: %v", id, err)
		}
	}
	if err := tom.RequireReach(context.Background(), r, "organization", "gone"); !errs.Is(err, errs.NotFound) {
		t.Errorf("missing organization: %v", err)
	}
	fin := Principal{TenantID: "t", ActorType: ActorStaff, StaffID: "f", Role: RoleFinance, Scope: ScopeWrite}
	if err := fin.RequireReach(context.Background(), nil, "organization", "hers"); err != nil {
		t.Errorf("finance is not held: %v", err)
	}
	if tom.ReachFilter() != "tom" || fin.ReachFilter() != "" {
		t.Errorf("filters %q %q", tom.ReachFilter(), fin.ReachFilter())
	}
}
