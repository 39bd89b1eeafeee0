package notify

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Channels a message can go by.
const (
	ChannelEmail  = "email"
	ChannelSMS    = "sms"
	ChannelPush   = "push"
	ChannelPortal = "portal" // the in-portal inbox
)

// Channels lists them, in the order tried when a person has no preference.
var Channels = []string{ChannelEmail, ChannelSMS, ChannelPush, ChannelPortal}

// Variables a template may use as {{name}}.
var Variables = []string{
	"person.name", "person.first_name", "organization.name", "tenant.name", "balance", "tier",
	"expiring.points", "expiring.date", "goal.name", "goal.progress", "goal.target", "program.name",
	"campaign.name", "unsubscribe_url", "survey_url",
	"goal.percent", "status", "reason", "reward.name", "claim.invoice", "points",
}

// SMSLimit is the length of one SMS segment in characters (GSM-7; a
// text with other characters fits 70 per segment).
const (
	SMSLimit        = 160
	SMSLimitUnicode = 70
)

// Template is a message's words for one channel, recipient role and
// language. Role "" and the tenant's default language are the fallbacks.
type Template struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"-"`
	Code      string    `json:"code" doc:"What rules and triggers name (e.g. welcome, points_expiring)"`
	Channel   string    `json:"channel" enum:"email,sms,push,portal"`
	Role      string    `json:"role" doc:"The member role it is for; empty: any"`
	Lang      string    `json:"lang" doc:"Language (en, ru, …)"`
	Subject   string    `json:"subject" doc:"E-mail subject, push or inbox title"`
	Body      string    `json:"body" doc:"Plain text with {{variables}}"`
	HTML      string    `json:"html,omitempty" doc:"E-mail only: an HTML body; variables in it are escaped"`
	Warnings  []string  `json:"warnings,omitempty" doc:"E.g. an SMS longer than one segment"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// check validates a template's fields, refusing an unknown variable with
// its position, and returns warnings (an over-long SMS).
func (t *Template) check() error {
	var f errs.Fields
	if !validCode(t.Code) {
		f.Add("code", "bad_code", "the code is 1–60 lowercase letters, digits, '_' or '-'")
	}
	if !slices.Contains(Channels, t.Channel) {
		f.Add("channel", "bad_channel", "the channel is one of %s", strings.Join(Channels, ", "))
	}
	if t.Lang = strings.ToLower(strings.TrimSpace(t.Lang)); len(t.Lang) < 2 || len(t.Lang) > 10 {
		f.Add("lang", "bad_lang", "the language is a code such as en or ru")
	}
	if strings.TrimSpace(t.Body) == "" || len(t.Body) > 20000 || len(t.Subject) > 300 || len(t.HTML) > 100000 {
		f.Add("body", "bad_length", "the body is required (at most 20,000 characters; subject 300, HTML 100,000)")
	}
	if t.HTML != "" && t.Channel != ChannelEmail {
		f.Add("html", "email_only", "only e-mail templates have an HTML body")
	}
	for field, text := range map[string]string{"subject": t.Subject, "body": t.Body, "html": t.HTML} {
		if err := checkVars(text); err != "" {
			f.Add(field, "unknown_variable", "%s", err)
		}
	}
	t.Warnings = nil
	if t.Channel == ChannelSMS {
		if n, limit := smsLength(t.Body); n > limit {
			t.Warnings = append(t.Warnings, fmt.Sprintf("the text is %d characters before variables: more than one SMS (%d); it is sent as several", n, limit))
		}
	}
	return f.Err()
}

func validCode(s string) bool {
	if s == "" || len(s) > 60 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// smsLength is the text's length and the one-segment limit for it.
func smsLength(s string) (int, int) {
	for _, r := range s {
		if r > 127 {
			return utf8.RuneCountInString(s), SMSLimitUnicode
		}
	}
	return len(s), SMSLimit
}

// checkVars finds the first {{…}} naming no known variable, or an
// unclosed one, and says where (line and column).
func checkVars(s string) string {
	for i := 0; i < len(s); {
		open := strings.Index(s[i:], "{{")
		if open < 0 {
			return ""
		}
		open += i
		end := strings.Index(s[open:], "}}")
		if end < 0 {
			return "unclosed {{ at " + position(s, open)
		}
		name := strings.TrimSpace(s[open+2 : open+end])
		if !slices.Contains(Variables, name) {
			return fmt.Sprintf("unknown variable {{%s}} at %s; known: %s", name, position(s, open), strings.Join(Variables, ", "))
		}
		i = open + end + 2
	}
	return ""
}

// position is "line L, column C" (1-based, in characters) of byte offset i.
func position(s string, i int) string {
	before := s[:i]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	return fmt.Sprintf("line %d, column %d", line, col)
}

// render replaces the variables of s with vars; escape (for HTML) is
// applied to each value. Unknown or missing variables become "".
func render(s string, vars map[string]string, escape bool) string {
	var b strings.Builder
	for {
		open := strings.Index(s, "{{")
		end := strings.Index(s[max(open, 0):], "}}")
		if open < 0 || end < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:open])
		v := vars[strings.TrimSpace(s[open+2:open+end])]
		if escape {
			v = html.EscapeString(v)
		}
		b.WriteString(v)
		s = s[open+end+2:]
	}
}
