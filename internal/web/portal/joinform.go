package portal

import (
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/signup"
	"github.com/loyal-b2b/loyal/internal/web"
)

// inputType is the input of each standard field, for the phone's keyboard.
var inputType = map[string]string{"phone": "tel", "email": "email", "birthday": "date"}

// fields builds the form's inputs with their labels, values and errors.
func (c *Portal) fields(r *http.Request, form signup.Form, f *web.Form) []web.Field {
	l := c.kit.Locale(r)
	var out []web.Field
	for _, fl := range form.Fields {
		label := fl.Label
		if label == "" {
			label = l.T("portal.join.field." + fl.Name)
		}
		typ := inputType[fl.Name]
		if typ == "" {
			typ = "text"
		}
		x := f.Field(fl.Name, label, typ, fl.Required)
		if fl.Name == "role" {
			x = f.Choice("role", label, nil)
			x.Options = append(x.Options, web.Option{Value: "", Label: "—"})
			for _, role := range party.Roles {
				x.Options = append(x.Options, web.Option{Value: string(role), Label: l.T("portal.role." + string(role))})
			}
		}
		out = append(out, x)
	}
	return out
}

// joinInput reads the form's fields, consent boxes and referral code.
func (c *Portal) joinInput(r *http.Request, f *web.Form) signup.Input {
	in := signup.Input{Values: map[string]string{}, Consents: map[string]bool{}, Referral: f.Get("referral"), Address: web.ClientAddress(r)}
	for k := range f.Values {
		if key, ok := strings.CutPrefix(k, "consent:"); ok {
			in.Consents[key] = f.Get(k) != ""
		} else {
			in.Values[k] = f.Get(k)
		}
	}
	return in
}
