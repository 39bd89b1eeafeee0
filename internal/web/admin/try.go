package admin

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/web"
)

func encodeJSON(def engine.Definition) (json.RawMessage, error) { return json.Marshal(def) }

// defaultSample fills the "try it" panel: one invoice line of today.
func defaultSample(f *web.Form, today time.Time) {
	f.Set("try_type", "invoice")
	f.Set("try_date", today.Format(time.DateOnly))
	f.Set("try_sku", "SKU-1")
	f.Set("try_qty", "10")
	f.Set("try_price", "50.00")
	f.Set("from", today.AddDate(0, -3, 0).Format(time.DateOnly))
	f.Set("to", today.AddDate(0, 0, 1).Format(time.DateOnly))
}

// sample reads the sample invoice of the "try it" panel.
func (c *Console) sample(e *editing) (events.Input, bool) {
	f, l := e.v.Form, c.kit.Locale(e.r)
	in := events.Input{Type: f.Get("try_type"), Source: "console-try", ExternalID: "try-" + ids.Token(8),
		Organization: f.Get("try_org"), Member: f.Get("try_member"), Currency: e.def.Currency}
	day, err := time.Parse(time.DateOnly, f.Get("try_date"))
	if err != nil {
		f.Invalid("try_date", l.T("programs.bad_date"))
	}
	in.OccurredAt = day.Add(12 * time.Hour) // midday: the same calendar day in every zone near UTC
	if in.OccurredAt.After(c.kit.Clock.Now()) {
		in.OccurredAt = c.kit.Clock.Now()
	}
	qty, err := strconv.ParseInt(f.Get("try_qty"), 10, 64)
	if err != nil || qty <= 0 {
		f.Invalid("try_qty", l.T("programs.bad_qty"))
	}
	price, err := money.ParseDecimal(f.Get("try_price"), 0, 2)
	if err != nil || price < 0 {
		f.Invalid("try_price", l.T("programs.bad_price"))
	}
	if in.Organization == "" {
		f.Invalid("try_org", l.T("form.required"))
	}
	in.Lines = []events.LineInput{{SKU: f.Get("try_sku"), Category: f.Get("try_category"), Brand: f.Get("try_brand"), Qty: qty, UnitPrice: price}}
	return in, f.Ok()
}

// try dry-runs the sample against the definition as it is in the form.
func (c *Console) try(e *editing) {
	in, ok := c.sample(e)
	if !ok {
		c.showEditor(e, http.StatusUnprocessableEntity)
		return
	}
	res, err := c.svc.Events.TryDraft(e.r.Context(), web.Principal(e.r), e.v.P, e.def, in)
	if err != nil {
		c.showEditor(e, showErrors(e, tryFields(err)))
		return
	}
	e.v.Tried = &res
	c.showEditor(e, http.StatusOK)
}

// sampleFields are the sample's fields by the event's field names.
var sampleFields = map[string]string{
	"organization": "try_org", "member": "try_member", "occurred_at": "try_date", "type": "try_type",
	"lines[0].sku": "try_sku", "lines[0].category": "try_category", "lines[0].brand": "try_brand",
	"lines[0].qty": "try_qty", "lines[0].unit_price": "try_price",
}

// tryFields names the event's problems by the panel's fields.
func tryFields(err error) error {
	e := errs.As(err)
	if e == nil {
		return err
	}
	c := *e
	c.Fields = make([]errs.FieldError, len(e.Fields))
	for i, fe := range e.Fields {
		if n, ok := sampleFields[fe.Field]; ok {
			fe.Field = n
		}
		c.Fields[i] = fe
	}
	return &c
}
