package signup

import (
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

func fieldsOf(err error) map[string]bool {
	out := map[string]bool{}
	if e := errs.As(err); e != nil {
		for _, f := range e.Fields {
			out[f.Field] = true
		}
	}
	return out
}

func TestFormCheck(t *testing.T) {
	ok := Form{Fields: []Field{{Name: "name"}, {Name: "email"}, {Name: "custom:shop", Label: "Shop"}},
		Consents: []Consent{{Key: "privacy", Version: 1, Text: "I agree"}}}
	if err := ok.check(); err != nil || ok.OrgType != party.Dealer {
		t.Fatalf("a good form: %v", err)
	}
	for name, f := range map[string]Form{
		"unknown field":     {Fields: []Field{{Name: "name"}, {Name: "phone"}, {Name: "shoe_size"}}},
		"repeated field":    {Fields: []Field{{Name: "name"}, {Name: "phone"}, {Name: "phone"}}},
		"no contact":        {Fields: []Field{{Name: "name"}, {Name: "company"}}},
		"custom w/o label":  {Fields: []Field{{Name: "name"}, {Name: "phone"}, {Name: "custom:x"}}},
		"consent w/o text":  {Fields: []Field{{Name: "name"}, {Name: "phone"}}, Consents: []Consent{{Key: "a", Version: 1}}},
		"consent version 0": {Fields: []Field{{Name: "name"}, {Name: "phone"}}, Consents: []Consent{{Key: "a", Text: "x"}}},
	} {
		if err := f.check(); !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestReadChecksFieldsAndConsents(t *testing.T) {
	form := DefaultForm("p")
	form.Consents = []Consent{{Key: "privacy", Version: 3, Text: "I agree", Required: true}, {Key: "news", Version: 1, Text: "News"}}
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	_, err := form.read(Input{Values: map[string]string{"name": "", "phone": "12", "company": "X", "role": "king"}}, now)
	got := fieldsOf(err)
	for _, want := range []string{"name", "phone", "role", "consent:privacy"} {
		if !got[want] {
			t.Errorf("no error for %s: %v", want, err)
		}
	}
	c, err := form.read(Input{Values: map[string]string{"name": "Ann", "phone": "+44 7700 900123", "company": "X"},
		Consents: map[string]bool{"privacy": true}}, now)
	if err != nil || c.key != "phone:+447700900123" || c.consents["privacy"] != 3 || len(c.consents) != 1 {
		t.Fatalf("%+v %v", c, err)
	}
}
