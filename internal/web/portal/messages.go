package portal

import (
	"net/http"
	"slices"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

var messagesPage = parse("messages.html")

// inboxLen is how many of the latest messages the page shows.
const inboxLen = 50

// messages is the member's inbox, newest first, and the channels they
// receive messages by.
type messages struct {
	Inbox    []notify.InboxMessage
	Channels []channel
}

// channel is one way of receiving messages and whether the member does.
type channel struct {
	Name    string
	Receive bool
}

func (c *Portal) messageRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/messages", c.messages)
	m.HandleFunc("POST "+Root+"/messages/{id}/read", c.readMessage)
	m.HandleFunc("POST "+Root+"/messages/preferences", c.savePreferences)
}

func (c *Portal) messages(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	in, err := c.svc.Messages.Inbox(ctx, me.P, me.Member.ID, page.Request{Limit: inboxLen})
	var prefs notify.Preferences
	if err == nil {
		prefs, err = c.svc.Messages.GetPreferences(ctx, me.P, me.Member.ID)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.svc.Messages.MarkSeen(ctx, me.P, me.Member.ID, unread(in.Items)); err != nil {
		c.fail(w, r, err)
		return
	}
	d := messages{Inbox: in.Items, Channels: channels(prefs.OptedOut)}
	c.kit.Render(w, r, http.StatusOK, messagesPage, c.view(r, me, "messages", "portal.messages.title", d))
}

// unread lists the messages not marked read: the page shows each in
// full, so showing them is the member seeing them (campaign reach counts
// it); marked read implies seen already.
func unread(in []notify.InboxMessage) []string {
	var ids []string
	for _, m := range in {
		if m.ReadAt == nil {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// channels tells, per channel, whether the member receives by it: not
// when they opted out of it, nor of "all" (every message). Saving the
// form replaces "all" by the channels left unticked.
func channels(optedOut []string) []channel {
	all := slices.Contains(optedOut, "all")
	out := make([]channel, 0, len(notify.Channels))
	for _, ch := range notify.Channels {
		out = append(out, channel{Name: ch, Receive: !all && !slices.Contains(optedOut, ch)})
	}
	return out
}

// readMessage marks one of the member's own messages read; the service
// looks it up by the member's id, so another's message is not found.
func (c *Portal) readMessage(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	if err := c.svc.Messages.MarkRead(r.Context(), me.P, me.Member.ID, r.PathValue("id")); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Root+"/messages", http.StatusSeeOther)
}

// savePreferences records the channels the member opts out of: those
// whose box is unticked.
func (c *Portal) savePreferences(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	_ = r.ParseForm()
	var out []string
	for _, ch := range notify.Channels {
		if !slices.Contains(r.PostForm["receive"], ch) {
			out = append(out, ch)
		}
	}
	if _, err := c.svc.Messages.SetPreferences(r.Context(), me.P, me.Member.ID, out); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Root+"/messages?done=preferences", http.StatusSeeOther)
}
