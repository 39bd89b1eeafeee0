package admin

import (
	"html/template"
	"io"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	walletsvc "github.com/loyal-b2b/loyal/internal/wallet"
	"github.com/loyal-b2b/loyal/internal/web"
)

var cardsPage = web.Page(files, "cards.html")

// cards is the card-design page: the programs, and the chosen one's
// design form beside its preview and its wallet figures.
type cards struct {
	Programs []program.Program
	Current  string
	Form     *web.Form
	Fields   []check
	Preview  template.HTML // SVG built by passview.SVG, every text escaped
	HasLogo  bool
	Installs walletsvc.Installs
	CanEdit  bool
}

func (c *Console) cardRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/cards", c.cards)
	m.HandleFunc("POST "+Root+"/cards/{id}", c.saveCardDesign)
}

func (c *Console) cards(w http.ResponseWriter, r *http.Request) {
	c.showCards(w, r, r.URL.Query().Get("program"), nil, http.StatusOK)
}

func (c *Console) showCards(w http.ResponseWriter, r *http.Request, programID string, f *web.Form, status int) {
	ctx, p, l := r.Context(), web.Principal(r), c.kit.Locale(r)
	progs, err := c.svc.Programs.List(ctx, p, page.Request{Limit: 200})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := cards{Programs: progs.Items, Current: programID, CanEdit: p.Can(access.ManagePrograms) == nil}
	if programID == "" && len(progs.Items) > 0 {
		d.Current = progs.Items[0].ID
	}
	if d.Current != "" {
		if err := c.fillCards(r, &d, f, l.T("passes.pass_locale")); err != nil {
			c.fail(w, r, err)
			return
		}
		d.Fields = checks(d.Form, "fields", card.DesignFields, func(k string) string { return l.T("passes.field." + k) })
	}
	c.kit.Render(w, r, status, cardsPage, c.view(r, "cards", "passes.title", d))
}

// fillCards reads the program's design, preview and figures; a form
// being corrected keeps what was typed.
func (c *Console) fillCards(r *http.Request, d *cards, f *web.Form, lang string) error {
	ctx, p := r.Context(), web.Principal(r)
	pv, err := c.svc.Wallet.Preview(ctx, p, d.Current, previewLocale(lang))
	if err != nil {
		return err
	}
	if d.Installs, err = c.svc.Wallet.Count(ctx, p, d.Current); err != nil {
		return err
	}
	d.Preview, d.HasLogo = template.HTML(pv.SVG), pv.Design.HasLogo // #nosec: passview.SVG escapes every text
	if f == nil {
		f = web.NewForm()
		ds := pv.Design
		for k, v := range map[string]string{"title": ds.Title, "description": ds.Description, "background": ds.Background, "foreground": ds.Foreground, "label": ds.Label} {
			f.Set(k, v)
		}
		f.Values["fields"] = ds.Fields
	}
	d.Form = f
	return nil
}

// previewLocale is the pass locale the console's language names
// (wallet.pass_locale), English for one passes are not written in.
func previewLocale(lang string) string {
	if lang == "ru" {
		return "ru"
	}
	return "en"
}

// saveCardDesign takes the design form (multipart: the logo is a file).
func (c *Console) saveCardDesign(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, card.MaxLogoBytes+64<<10)
	_ = r.ParseMultipartForm(card.MaxLogoBytes + 64<<10)
	f := web.ReadForm(r)
	d := card.Design{ProgramID: id, Title: f.Get("title"), Description: f.Get("description"), Background: f.Get("background"),
		Foreground: f.Get("foreground"), Label: f.Get("label"), Fields: f.Values["fields"]}
	if d.Fields == nil {
		d.Fields = []string{}
	}
	if f.Get("remove_logo") == "on" {
		d.Logo = []byte{}
	} else if file, _, err := r.FormFile("logo"); err == nil {
		d.Logo, _ = io.ReadAll(io.LimitReader(file, card.MaxLogoBytes+1))
		file.Close()
	}
	_, err := c.svc.Cards.PutDesign(r.Context(), web.Principal(r), d)
	if err != nil {
		if e := errs.As(err); e == nil || e.Kind != errs.Invalid {
			c.fail(w, r, err)
			return
		}
		c.showCards(w, r, id, f, f.Fail(err, map[string]string{"logo": "logo", "fields": "fields"})) // not in the values when empty
		return
	}
	http.Redirect(w, r, Root+"/cards?program="+id+"&done=saved", http.StatusSeeOther)
}
