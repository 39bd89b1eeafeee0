package notify

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/mail"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// MailSender sends e-mail (the product's mailer, mail.SMTP).
type MailSender interface {
	Send(ctx context.Context, m mail.Message) error
}

// InboxMessage is a message in a person's in-portal inbox.
type InboxMessage struct {
	ID        string     `json:"id"`
	PersonID  string     `json:"person_id"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// Send records one message sent to a person (caps and reach count them).
type Send struct {
	ID       string
	PersonID string
	Channel  string
	Template string
	At       time.Time
}

// MessagingTx is the channels' storage.
type MessagingTx interface {
	party.MemberReader
	access.Reach
	party.OrgReader
	ListMembers(ctx context.Context, tenantID string, f party.MemberFilter, r page.Request) ([]party.Member, error)
	TenantByID(ctx context.Context, id string) (tenant.Tenant, error)
	GetMessageSettings(ctx context.Context, tenantID string) (Settings, bool, error)
	PutMessageSettings(ctx context.Context, tenantID string, s Settings, at time.Time) error
	OptOuts(ctx context.Context, tenantID, personID string) ([]string, error)
	PutOptOut(ctx context.Context, tenantID, personID, channel, source string, at time.Time) error
	DeleteOptOut(ctx context.Context, tenantID, personID, channel string) error
	// RecentSends counts a person's sends since a time and gives the oldest.
	RecentSends(ctx context.Context, tenantID, personID string, since time.Time) (int, time.Time, error)
	InsertSend(ctx context.Context, tenantID string, s Send) error
	InsertInbox(ctx context.Context, tenantID string, m InboxMessage) error
	ListInbox(ctx context.Context, tenantID, personID string, r page.Request) ([]InboxMessage, error)
	MarkInboxRead(ctx context.Context, tenantID, personID, id string, at time.Time) (bool, error)
	CountUnreadInbox(ctx context.Context, tenantID, personID string) (int, error)
	InsertUnsubscribeLink(ctx context.Context, hash, tenantID, personID, channel string, at time.Time) error
	// UseUnsubscribeLink finds a link by its hash (in any tenant).
	UnsubscribeLink(ctx context.Context, hash string) (tenantID, personID, channel string, err error)
	FindTemplates(ctx context.Context, tenantID, code string) ([]Template, error)
	InsertTemplate(ctx context.Context, t Template) error
	UpdateTemplate(ctx context.Context, t Template) error
	DeleteTemplate(ctx context.Context, tenantID, id string) (bool, error)
	GetTemplate(ctx context.Context, tenantID, id string) (Template, error)
	ListTemplates(ctx context.Context, tenantID string, r page.Request) ([]Template, error)
}
