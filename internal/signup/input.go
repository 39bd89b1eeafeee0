package signup

import (
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// clean is a form's input, checked and normalized.
type clean struct {
	newID, key, name, phone, email, company, taxID, birthday string
	role                                                     party.Role
	channel                                                  party.Channel
	consents                                                 map[string]int
	answers                                                  map[string]string
}

// read checks the input against the form: required fields, their forms,
// required consents. Every problem is reported next to its field.
func (form Form) read(in Input, now time.Time) (clean, error) {
	var f errs.Fields
	get := func(n string) string { return strings.TrimSpace(in.Values[n]) }
	c := clean{newID: ids.New(), consents: map[string]int{}, answers: map[string]string{}}
	for _, fl := range form.Fields {
		if fl.Required && get(fl.Name) == "" {
			f.Add(fl.Name, "required", "this field is required")
		}
		if strings.HasPrefix(fl.Name, "custom:") {
			c.answers[fl.Name] = valid.Text(&f, fl.Name, get(fl.Name), false, 500)
		}
	}
	c.name = valid.Text(&f, "name", get("name"), true, 200)
	c.phone = valid.Phone(&f, "phone", get("phone"))
	c.email = valid.Email(&f, "email", get("email"), false)
	c.company = valid.Text(&f, "company", get("company"), false, 200)
	c.taxID = valid.Text(&f, "tax_id", get("tax_id"), false, 50)
	c.birthday = valid.Date(&f, "birthday", get("birthday"), now)
	c.role = valid.OneOf(&f, "role", party.Role(get("role")), false, party.Roles)
	c.key, c.channel = "phone:"+c.phone, party.ChannelSMS
	if c.phone == "" {
		c.key, c.channel = "email:"+c.email, party.ChannelEmail
	}
	if c.phone == "" && c.email == "" {
		f.Add("phone", "required", "give a phone number or an e-mail address: your sign-in code goes there")
	}
	for _, k := range form.Consents {
		if in.Consents[k.Key] {
			c.consents[k.Key] = k.Version
		} else if k.Required {
			f.Add("consent:"+k.Key, "required", "this consent is needed to register")
		}
	}
	return c, f.Err()
}
