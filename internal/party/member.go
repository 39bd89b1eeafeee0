package party

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// Role is a member's job at the organization; rules and rewards test it.
type Role string

// Member roles.
const (
	RoleOwner      Role = "owner" // owner or director: may consent for the organization
	RolePurchasing Role = "purchasing"
	RoleSales      Role = "sales"
	RoleEngineer   Role = "engineer"
	RoleAccountant Role = "accountant"
	RoleForeman    Role = "foreman"
	RoleOther      Role = "other"
)

// Roles lists every member role.
var Roles = []Role{RoleOwner, RolePurchasing, RoleSales, RoleEngineer, RoleAccountant, RoleForeman, RoleOther}

// Channel is a way to reach a member.
type Channel string

// Contact channels.
const (
	ChannelEmail     Channel = "email"
	ChannelSMS       Channel = "sms"
	ChannelMessenger Channel = "messenger"
	ChannelPush      Channel = "push"
	ChannelPortal    Channel = "portal"
)

// Channels lists every channel.
var Channels = []Channel{ChannelEmail, ChannelSMS, ChannelMessenger, ChannelPush, ChannelPortal}

// MessengerApps lists the messengers a handle may belong to.
var MessengerApps = []string{"telegram", "whatsapp", "viber", "signal", "wechat", "line", "other"}

// Member statuses.
const (
	MemberActive   = "active"
	MemberInactive = "inactive"
	MemberLeft     = "left"
)

// MemberStatuses lists every member status.
var MemberStatuses = []string{MemberActive, MemberInactive, MemberLeft}

// Messenger is a member's handle in a messenger app.
type Messenger struct {
	App    string `json:"app"`
	Handle string `json:"handle"`
}

// Member is a person working at an organization.
type Member struct {
	ID               string    `json:"id"`
	TenantID         string    `json:"tenant_id"`
	OrganizationID   string    `json:"organization_id"`
	Name             string    `json:"name"`
	Roles            []Role    `json:"roles"`
	Email            string    `json:"email"`
	Phone            string    `json:"phone"` // E.164
	Messenger        Messenger `json:"messenger"`
	PreferredChannel Channel   `json:"preferred_channel"`
	Locale           string    `json:"locale"`   // BCP 47, e.g. "en" or "ru-RU"
	Birthday         string    `json:"birthday"` // YYYY-MM-DD, optional
	ExternalID       string    `json:"external_id"`
	Status           string    `json:"status"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// HasRole reports whether m has role r.
func (m Member) HasRole(r Role) bool { return slices.Contains(m.Roles, r) }

// BirthMonth is the month of the member's birthday, 1–12, or 0 when it is
// not known (rules read it as member.birth_month).
func (m Member) BirthMonth() int {
	if len(m.Birthday) < 7 {
		return 0
	}
	n := int(m.Birthday[5]-'0')*10 + int(m.Birthday[6]-'0')
	if n < 1 || n > 12 {
		return 0
	}
	return n
}

// Affiliation is a period a member worked at an organization with roles.
type Affiliation struct {
	ID             string     `json:"id"`
	TenantID       string     `json:"tenant_id"`
	MemberID       string     `json:"member_id"`
	OrganizationID string     `json:"organization_id"`
	Roles          []Role     `json:"roles"`
	From           time.Time  `json:"from"`
	To             *time.Time `json:"to"` // nil while current
}

// MemberInput describes a member to create, or to upsert by external id.
type MemberInput struct {
	OrganizationID         string
	OrganizationExternalID string // alternative to OrganizationID
	Name                   string
	Roles                  []Role
	Email                  string
	Phone                  string
	Messenger              Messenger
	PreferredChannel       Channel
	Locale                 string
	Birthday               string
	ExternalID             string
	Status                 string
}

// MemberPatch changes a member; nil fields stay as they are. The
// organization changes only by a move, which keeps history.
type MemberPatch struct {
	Name             *string
	Roles            *[]Role
	Email            *string
	Phone            *string
	Messenger        *Messenger
	PreferredChannel *Channel
	Locale           *string
	Birthday         *string
	ExternalID       *string
	Status           *string
}

// MemberFilter selects members; empty fields match everything.
type MemberFilter struct {
	OrganizationID string
	Role           Role
	Status         string
	Query          string // matches name, e-mail or external id
	// ManagedBy holds the list to the members of one account manager's
	// organizations (set by the service for account managers).
	ManagedBy string
}

// apply fills m from in (all but the organization), normalizing and
// validating every field.
func (in MemberInput) apply(f *errs.Fields, m *Member, today time.Time) {
	MemberPatch{
		Name: &in.Name, Roles: &in.Roles, Email: &in.Email, Phone: &in.Phone, Messenger: &in.Messenger,
		PreferredChannel: &in.PreferredChannel, Locale: &in.Locale, Birthday: &in.Birthday,
		ExternalID: &in.ExternalID, Status: &in.Status,
	}.apply(f, m, today)
	if in.OrganizationID != "" && in.OrganizationExternalID != "" {
		f.Add("organization_external_id", "ambiguous", "give organization_id or organization_external_id, not both")
	}
	if in.OrganizationID == "" && in.OrganizationExternalID == "" {
		f.Add("organization_id", "required", "organization_id (or organization_external_id) is required")
	}
}

// apply changes m by the fields present in p and checks the result.
func (p MemberPatch) apply(f *errs.Fields, m *Member, today time.Time) {
	if p.Name != nil {
		m.Name = valid.Text(f, "name", *p.Name, true, 200)
	}
	if p.Roles != nil {
		m.Roles = roles(f, *p.Roles)
	}
	if p.Email != nil {
		m.Email = valid.Email(f, "email", *p.Email, false)
	}
	if p.Phone != nil {
		m.Phone = valid.Phone(f, "phone", *p.Phone)
	}
	if p.Messenger != nil {
		m.Messenger = messenger(f, *p.Messenger)
	}
	if p.PreferredChannel != nil {
		m.PreferredChannel = valid.OneOf(f, "preferred_channel", *p.PreferredChannel, false, Channels)
	}
	if p.Locale != nil {
		m.Locale = locale(f, *p.Locale)
	}
	if p.Birthday != nil {
		m.Birthday = valid.Date(f, "birthday", *p.Birthday, today)
	}
	if p.ExternalID != nil {
		m.ExternalID = valid.ExternalID(f, "external_id", *p.ExternalID)
	}
	if p.Status != nil {
		m.Status = *p.Status
		if m.Status == "" {
			m.Status = MemberActive
		}
		valid.OneOf(f, "status", m.Status, true, MemberStatuses)
	}
	checkChannel(f, m)
}

// checkChannel defaults the preferred channel to the first one the member
// can be reached on, and refuses one the member has no contact for.
func checkChannel(f *errs.Fields, m *Member) {
	has := map[Channel]bool{
		ChannelEmail: m.Email != "", ChannelSMS: m.Phone != "", ChannelMessenger: m.Messenger.Handle != "",
		ChannelPush: true, ChannelPortal: true,
	}
	if m.PreferredChannel == "" {
		for _, c := range []Channel{ChannelEmail, ChannelMessenger, ChannelSMS, ChannelPortal} {
			if has[c] {
				m.PreferredChannel = c
				break
			}
		}
		return
	}
	if known, ok := has[m.PreferredChannel]; ok && !known {
		need := map[Channel]string{ChannelEmail: "email", ChannelSMS: "phone", ChannelMessenger: "messenger"}[m.PreferredChannel]
		f.Add("preferred_channel", "channel_without_contact", "preferred_channel is %q but the member has no %s; add it or choose another channel", m.PreferredChannel, need)
	}
}

func roles(f *errs.Fields, in []Role) []Role {
	out := make([]Role, 0, len(in))
	for i, r := range in {
		r = Role(strings.ToLower(strings.TrimSpace(string(r))))
		if !slices.Contains(Roles, r) {
			f.Add(fmt.Sprintf("roles[%d]", i), "not_allowed", "a role is one of owner, purchasing, sales, engineer, accountant, foreman, other")
			continue
		}
		out = append(out, r)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(in) == 0 {
		f.Add("roles", "required", "give at least one role, e.g. [\"sales\"]")
	}
	return out
}

func messenger(f *errs.Fields, m Messenger) Messenger {
	m.App = strings.ToLower(strings.TrimSpace(m.App))
	m.Handle = valid.Text(f, "messenger.handle", m.Handle, false, 100)
	switch {
	case m.App == "" && m.Handle == "":
	case m.Handle == "":
		f.Add("messenger.handle", "required", "messenger.handle is required when messenger.app is given")
	default:
		valid.OneOf(f, "messenger.app", m.App, true, MessengerApps)
	}
	return m
}

func locale(f *errs.Fields, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "en"
	}
	tag, err := language.Parse(s)
	if err != nil {
		f.Add("locale", "invalid_locale", "locale must be a language tag such as en, ru-RU or fa")
		return s
	}
	return tag.String()
}
