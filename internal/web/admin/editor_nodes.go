package admin

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/loyal-b2b/loyal/internal/web/defform"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

// nodeView is one node of the definition form with the locale, for the
// template that draws the form recursively.
type nodeView struct {
	N *defform.Node
	L *i18n.Locale
}

// Root is the definition form's top.
func (v editorView) Root() nodeView { return nodeView{N: v.Def, L: v.L} }

// Child is a child node with the same locale.
func (n nodeView) Child(c *defform.Node) nodeView { return nodeView{N: c, L: n.L} }

// Label is the field's label: its translation, else its JSON name.
func (n nodeView) Label() string { return label(n.L, n.N.Key) }

func label(l *i18n.Locale, key string) string {
	k := "programs.f." + key
	if t := l.T(k); t != k {
		return t
	}
	return strings.ReplaceAll(key, "_", " ")
}

// OptionLabel is how a select shows a value.
func (n nodeView) OptionLabel(v string) string {
	if s, ok := n.N.Labels[v]; ok {
		return s
	}
	if v == "" {
		return n.L.T("programs.default")
	}
	if t := n.L.T("programs.opt." + v); t != "programs.opt."+v {
		return t + " (" + v + ")" // the code too: it is what the raw JSON and the docs say
	}
	return v
}

// ItemTitle names a list item: its number and its id or name when it has one.
func (n nodeView) ItemTitle() string {
	t := label(n.L, n.N.Key) + " " + strconv.Itoa(n.N.Index+1)
	for _, c := range n.N.Children {
		if (c.Key == "id" || c.Key == "name" || c.Key == "code") && c.Value != "" {
			return t + " · " + c.Value
		}
	}
	return t
}

// CELURL is where a CEL field is checked live.
func (n nodeView) CELURL() string {
	u := Root + "/programs/cel?field=" + url.QueryEscape(n.N.Name) + "&kind=" + n.N.CELKind
	if n.N.Scope != "" {
		u += "&scope=" + url.QueryEscape(n.N.Scope)
	}
	return u
}
