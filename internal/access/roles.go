package access

import (
	"slices"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Role is a staff user's job, which decides what the user may do, whether
// signed in to the console or through an API key acting for the user.
type Role string

// Staff roles.
const (
	RoleAdmin          Role = "admin"
	RoleProgramManager Role = "program_manager"
	RoleAccountManager Role = "account_manager"
	RoleFinance        Role = "finance"
	RoleSupport        Role = "support"
	RoleIntegrator     Role = "integrator"
	RoleReadOnly       Role = "read_only"
)

// Roles lists every staff role.
var Roles = []Role{RoleAdmin, RoleProgramManager, RoleAccountManager, RoleFinance, RoleSupport, RoleIntegrator, RoleReadOnly}

// Action is something a caller may be allowed to do. Services check one
// action per method with Principal.Can; the table below decides who may.
type Action string

// The actions. Reading is one action: a role that may see the console may
// see every figure in it (an account manager only for their own accounts).
const (
	ReadData        Action = "read"             // read organizations, members, wallets, programs, figures
	ReadAudit       Action = "audit.read"       // read the audit log
	EditParties     Action = "parties.edit"     // create and change organizations, members, referrals, memberships
	RecordConsent   Action = "consent.record"   // record management's consent to employee incentives
	IngestEvents    Action = "events.ingest"    // send invoices, returns, orders; run imports
	MoveValue       Action = "ledger.move"      // earn, spend, transfer, clawback, reverse through the API
	AdjustWallet    Action = "ledger.adjust"    // a manual adjustment with a note
	DecideAdjust    Action = "ledger.decide"    // approve or reject an adjustment waiting for approval
	ManagePrograms  Action = "programs.manage"  // programs, versions, point types, offers, rewards, goals, segments
	ApproveVersion  Action = "programs.approve" // approve a program version waiting for a second person
	ManageGoals     Action = "goals.manage"     // set goals for organizations
	SubmitClaims    Action = "claims.submit"    // submit a sales claim on a participant's behalf
	DecideClaims    Action = "claims.decide"    // approve or reject sales claims
	Redeem          Action = "rewards.redeem"   // redeem rewards on a participant's behalf
	DecideRedeem    Action = "rewards.decide"   // approve, reject, fulfil redemptions
	Administer      Action = "admin"            // staff users, API keys, tenant settings
	RunSimulations  Action = "simulations.run"  // simulate programs on history
	ManageImportMap Action = "imports.mappings" // save import column mappings
	ManageWebhooks  Action = "webhooks.manage"  // webhook subscriptions, their delivery log, dead letters and replay
	ManageMessages  Action = "messages.manage"  // message templates, campaigns, people's channel choices
)

// rule is who may do an action: the least API-key scope, and the staff
// roles (a key of no staff user is held to its scope alone).
type rule struct {
	scope Scope
	roles []Role
}

var (
	everyone   = Roles
	operations = []Role{RoleAdmin, RoleProgramManager, RoleAccountManager, RoleFinance, RoleSupport, RoleIntegrator}
)

// table is the role × action table: the one place that says who may do
// what. Account managers are further held to their own organizations
// (Principal.OwnOrgsOnly); support and account managers' adjustments above
// their limit wait for approval (Principal.AdjustLimit).
var table = map[Action]rule{
	ReadData:        {ScopeRead, everyone},
	ReadAudit:       {ScopeRead, []Role{RoleAdmin, RoleFinance, RoleReadOnly}},
	EditParties:     {ScopeWrite, []Role{RoleAdmin, RoleProgramManager, RoleAccountManager, RoleIntegrator}},
	RecordConsent:   {ScopeWrite, []Role{RoleAdmin, RoleProgramManager, RoleAccountManager}},
	IngestEvents:    {ScopeWrite, []Role{RoleAdmin, RoleProgramManager, RoleIntegrator}},
	MoveValue:       {ScopeWrite, []Role{RoleAdmin, RoleFinance, RoleIntegrator}},
	AdjustWallet:    {ScopeWrite, []Role{RoleAdmin, RoleFinance, RoleSupport, RoleAccountManager}},
	DecideAdjust:    {ScopeWrite, []Role{RoleAdmin, RoleFinance}},
	ManagePrograms:  {ScopeWrite, []Role{RoleAdmin, RoleProgramManager}},
	ApproveVersion:  {ScopeWrite, []Role{RoleAdmin, RoleProgramManager}},
	ManageGoals:     {ScopeWrite, []Role{RoleAdmin, RoleProgramManager, RoleAccountManager}},
	SubmitClaims:    {ScopeWrite, operations},
	DecideClaims:    {ScopeWrite, []Role{RoleAdmin, RoleProgramManager, RoleFinance, RoleSupport}},
	Redeem:          {ScopeWrite, []Role{RoleAdmin, RoleProgramManager, RoleAccountManager, RoleSupport, RoleIntegrator}},
	DecideRedeem:    {ScopeWrite, []Role{RoleAdmin, RoleProgramManager, RoleFinance}},
	Administer:      {ScopeAdmin, []Role{RoleAdmin}},
	RunSimulations:  {ScopeRead, []Role{RoleAdmin, RoleProgramManager, RoleFinance}},
	ManageImportMap: {ScopeWrite, []Role{RoleAdmin, RoleProgramManager, RoleIntegrator}},
	ManageWebhooks:  {ScopeWrite, []Role{RoleAdmin, RoleIntegrator}},
	ManageMessages:  {ScopeWrite, []Role{RoleAdmin, RoleProgramManager}},
}

// Actions lists every action of the table, for tests and documentation.
func Actions() []Action {
	out := make([]Action, 0, len(table))
	for a := range table {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// RoleMay reports whether the role's table entry allows the action,
// regardless of any key's scope.
func RoleMay(r Role, a Action) bool {
	rl, ok := table[a]
	return ok && slices.Contains(rl.roles, r)
}

// Can returns a Forbidden error unless the principal may do the action:
// its scope must include the action's, and a staff user's role (signed in,
// or behind an API key) must be one the table allows.
func (p Principal) Can(a Action) error {
	rl, ok := table[a]
	if !ok {
		return errs.E(errs.Internal, "unknown_action", "unknown action %q", a)
	}
	if p.ActorType == ActorSystem {
		return nil
	}
	if p.ActorType == ActorMember {
		if err := p.memberCan(a); err != nil {
			return err
		}
	}
	if err := p.Require(rl.scope); err != nil {
		return err
	}
	if p.Role != "" && !slices.Contains(rl.roles, p.Role) {
		return errs.E(errs.Forbidden, "role_forbidden", "a %s may not do this (%s)", p.Role.Label(), a)
	}
	return nil
}

// Label is the role in words, for messages.
func (r Role) Label() string {
	switch r {
	case RoleProgramManager:
		return "program manager"
	case RoleAccountManager:
		return "account manager"
	case RoleReadOnly:
		return "read-only user"
	}
	return string(r)
}

// Ceiling is the strongest API-key scope a staff user of the role may hold.
func (r Role) Ceiling() Scope {
	switch r {
	case RoleAdmin:
		return ScopeAdmin
	case RoleReadOnly:
		return ScopeRead
	}
	return ScopeWrite
}
