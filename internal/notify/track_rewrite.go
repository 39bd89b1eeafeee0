package notify

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/loyal-b2b/loyal/internal/platform/mail"
)

// Public paths of tracking (served by internal/web/messages).
const (
	OpenPath   = "/m/o/" // + token: a 1×1 image
	ClickPath  = "/m/c/" // + token: redirects to the link's target
	SurveyPath = "/m/s/" // + token: a survey answered without signing in
)

var (
	textURL = regexp.MustCompile(`https?://[^\s<>"'` + "`" + `]+`)
	hrefURL = regexp.MustCompile(`(?i)(href\s*=\s*)("[^"]*"|'[^']*')`)
)

// track rewrites an e-mail's http(s) links to pass through the click
// redirect and adds an open pixel to its HTML, when the tenant tracks and
// the server knows its public address. Links to the server's own pages
// under /m/ (unsubscribe, surveys) are left alone.
func (s *Service) track(ctx context.Context, d *delivery, m *mail.Message) error {
	if !d.settings.Tracking || s.PublicURL == "" {
		return nil
	}
	secret, err := s.linkKey(ctx, d.it.TenantID)
	if err != nil {
		return err
	}
	click := func(target string) string {
		if strings.HasPrefix(target, s.PublicURL+"/m/") || !trackable(target) {
			return target
		}
		return s.PublicURL + ClickPath + tokenOf(secret, link{Kind: linkClick, TenantID: d.it.TenantID, MessageID: d.it.ID, Target: target})
	}
	m.Text = rewriteText(m.Text, click)
	if m.HTML != "" {
		pixel := s.PublicURL + OpenPath + tokenOf(secret, link{Kind: linkOpen, TenantID: d.it.TenantID, MessageID: d.it.ID})
		m.HTML = withPixel(rewriteHTML(m.HTML, click), pixel)
	}
	return nil
}

// trackable reports whether a target is an absolute http(s) URL with a
// host: the only targets the redirect will send anyone to.
func trackable(target string) bool {
	u, err := url.Parse(target)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(target, "\r\n")
}

// rewriteText replaces the URLs of a plain-text body, leaving out the
// punctuation that usually ends a sentence after a link.
func rewriteText(s string, click func(string) string) string {
	return textURL.ReplaceAllStringFunc(s, func(u string) string {
		core := strings.TrimRight(u, ".,;:!?)]}")
		return click(core) + u[len(core):]
	})
}

// rewriteHTML replaces the http(s) targets of href attributes; the value
// is unescaped to the real URL, then the new one escaped back.
func rewriteHTML(s string, click func(string) string) string {
	return hrefURL.ReplaceAllStringFunc(s, func(attr string) string {
		m := hrefURL.FindStringSubmatch(attr)
		quoted := m[2]
		target := html.UnescapeString(strings.TrimSpace(quoted[1 : len(quoted)-1]))
		if !trackable(target) {
			return attr
		}
		return m[1] + `"` + html.EscapeString(click(target)) + `"`
	})
}

// withPixel puts the open pixel before </body>, or at the end.
func withPixel(h, src string) string {
	img := `<img src="` + html.EscapeString(src) + `" width="1" height="1" alt="" style="display:none">`
	if i := strings.LastIndex(strings.ToLower(h), "</body>"); i >= 0 {
		return h[:i] + img + h[i:]
	}
	return h + img
}
