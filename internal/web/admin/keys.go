package admin

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/web"
)

var keysPage = web.Page(files, "keys.html")

// keys is the API keys page: the list, the form, and a new key's secret
// (shown this once).
type keys struct {
	Keys   []tenant.APIKey
	Form   *web.Form
	Scopes []web.Option
	Secret string
	New    *tenant.APIKey
}

func (c *Console) keyRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/api-keys", c.keys)
	m.HandleFunc("POST "+Root+"/api-keys", c.createKey)
	m.HandleFunc("POST "+Root+"/api-keys/{id}/revoke", c.revokeKey)
}

func (c *Console) keys(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("scope", "write")
	c.showKeys(w, r, keys{Form: f}, http.StatusOK)
}

func (c *Console) showKeys(w http.ResponseWriter, r *http.Request, d keys, status int) {
	list, err := c.svc.Tenants.ListKeys(r.Context(), web.Principal(r), page.Request{Limit: 200})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Keys = list.Items
	l := c.kit.Locale(r)
	for _, s := range access.Scopes {
		d.Scopes = append(d.Scopes, web.Option{Value: string(s), Label: l.T("scope." + string(s))})
	}
	c.kit.Render(w, r, status, keysPage, c.view(r, "keys", "keys.title", d))
}

// createKey makes a key and shows its secret once. A repeat of the same
// form (double click, reload) makes no second key.
func (c *Console) createKey(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p := web.Principal(r)
	var key tenant.APIKey
	var secret string
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "api-key", func() (string, error) {
		var err error
		key, secret, err = c.svc.Tenants.CreateKey(r.Context(), p, tenant.KeyInput{Name: f.Get("name"), Scope: access.Scope(f.Get("scope"))})
		return Root + "/api-keys?done=key_repeat", err
	})
	switch {
	case err != nil && errs.Is(err, errs.Forbidden):
		c.fail(w, r, err)
	case err != nil:
		status := f.Fail(err, nil)
		c.showKeys(w, r, keys{Form: f}, status)
	case secret == "":
		http.Redirect(w, r, next, http.StatusSeeOther)
	default:
		nf := web.NewForm()
		nf.Set("scope", "write")
		c.showKeys(w, r, keys{Form: nf, Secret: secret, New: &key}, http.StatusCreated)
	}
}

func (c *Console) revokeKey(w http.ResponseWriter, r *http.Request) {
	if _, err := c.svc.Tenants.RevokeKey(r.Context(), web.Principal(r), r.PathValue("id")); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Root+"/api-keys?done=key_revoked", http.StatusSeeOther)
}
