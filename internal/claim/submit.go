package claim

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// Submission is a claim as a partner's employee submits it.
type Submission struct {
	ProgramID     string         `json:"program_id"`
	Member        string         `json:"member"` // id or ext:<external id>
	InvoiceNumber string         `json:"invoice_number"`
	InvoiceDate   string         `json:"invoice_date"` // YYYY-MM-DD
	EndCustomer   string         `json:"end_customer"`
	Currency      string         `json:"currency"`
	Lines         []ClaimLine    `json:"lines"`
	Document      *DocumentInput `json:"document"`
}

// MaxLines bounds a claim's lines; its amounts are bounded as an event's
// (money.MaxAmount for a line and for the total), since an approved claim
// becomes one.
const MaxLines = 200

// Submit records a claim, pending the operator's decision. The same
// invoice number of the same organization, or the same document, cannot
// be claimed twice (unless the earlier claim was rejected).
func (s *Service) Submit(ctx context.Context, p access.Principal, in Submission) (Claim, error) {
	if err := p.Can(access.SubmitClaims); err != nil {
		return Claim{}, err
	}
	now := s.Clock.Now()
	c, data, err := check(in, now)
	if err != nil {
		return Claim{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Claim, error) {
		c.TenantID = p.TenantID
		if err := s.admit(ctx, tx, p, in, &c, now); err != nil {
			return c, err
		}
		if err := tx.InsertClaim(ctx, c, data); err != nil {
			return c, err
		}
		if err := s.announce(ctx, tx, p.TenantID, c); err != nil {
			return c, err
		}
		return c, audit.Record(ctx, tx, p, now, "claim.submitted", "claim", c.ID, nil, c)
	})
}

// admit checks a claim against stored data: its member, its program's
// window, and earlier claims.
func (s *Service) admit(ctx context.Context, tx Tx, p access.Principal, in Submission, c *Claim, now time.Time) error {
	m, err := party.MemberByRef(ctx, tx, p.TenantID, strings.TrimSpace(in.Member))
	if errs.Is(err, errs.NotFound) {
		return errs.InvalidField("member", "unknown_member", "member %q not found", in.Member)
	} else if err != nil {
		return err
	}
	if m.Status != party.MemberActive || m.OrganizationID == "" {
		return errs.InvalidField("member", "member_inactive", "only an active member of an organization submits claims")
	}
	c.MemberID, c.OrganizationID = m.ID, m.OrganizationID
	if err := party.RequireReach(ctx, tx, p, m.OrganizationID); err != nil {
		return err
	}
	if _, err := tx.GetProgram(ctx, p.TenantID, c.ProgramID); errs.Is(err, errs.NotFound) {
		return errs.InvalidField("program_id", "unknown_program", "program %q not found", c.ProgramID)
	} else if err != nil {
		return err
	}
	set, err := settingsOf(ctx, tx, p.TenantID, c.ProgramID)
	if err != nil {
		return err
	}
	if !set.Enabled {
		return errs.E(errs.Invalid, "claims_disabled", "program %s does not accept claims", c.ProgramID)
	}
	date, _ := time.Parse(time.DateOnly, c.InvoiceDate) // checked
	if age := now.Sub(date); age > time.Duration(set.WindowDays)*24*time.Hour {
		return &errs.Error{Kind: errs.Invalid, Code: "claim_too_old",
			Message: fmt.Sprintf("the invoice of %s is older than the program's claim window of %d days", c.InvoiceDate, set.WindowDays),
			Fields: []errs.FieldError{{Field: "invoice_date", Code: "claim_too_old",
				Message: fmt.Sprintf("claims are accepted for invoices of the last %d days", set.WindowDays)}}}
	}
	return duplicates(ctx, tx, c)
}

// duplicates refuses a claim whose invoice or document was claimed before.
func duplicates(ctx context.Context, tx Tx, c *Claim) error {
	prev, err := tx.ActiveClaimByInvoice(ctx, c.TenantID, c.OrganizationID, c.InvoiceKey)
	if err == nil {
		return errs.E(errs.Conflict, "duplicate_claim", "invoice %s of this organization was already claimed in claim %s (%s)",
			c.InvoiceNumber, prev.ID, prev.Status)
	} else if !errs.Is(err, errs.NotFound) {
		return err
	}
	prev, err = tx.ActiveClaimByDocument(ctx, c.TenantID, c.Document.SHA256)
	if err == nil {
		return errs.E(errs.Conflict, "duplicate_document", "the same document was already submitted with claim %s (%s)", prev.ID, prev.Status)
	} else if !errs.Is(err, errs.NotFound) {
		return err
	}
	return nil
}

// settingsOf returns a program's claim settings or the defaults.
func settingsOf(ctx context.Context, tx Tx, tenantID, programID string) (Settings, error) {
	set, err := tx.GetClaimSettings(ctx, tenantID, programID)
	if errs.Is(err, errs.NotFound) {
		return DefaultSettings(programID), nil
	}
	return set, err
}

// check validates what can be checked without storage.
func check(in Submission, now time.Time) (Claim, []byte, error) {
	var f errs.Fields
	c := Claim{ID: ids.New(), Status: Pending, CreatedAt: now, UpdatedAt: now,
		ProgramID:     valid.Text(&f, "program_id", in.ProgramID, true, 100),
		InvoiceNumber: valid.Text(&f, "invoice_number", in.InvoiceNumber, true, 100),
		EndCustomer:   valid.Text(&f, "end_customer", in.EndCustomer, true, 200),
		Currency:      strings.ToUpper(strings.TrimSpace(in.Currency))}
	valid.Text(&f, "member", in.Member, true, 200)
	c.InvoiceKey = invoiceKey(c.InvoiceNumber)
	if c.InvoiceDate = valid.Date(&f, "invoice_date", in.InvoiceDate, now); c.InvoiceDate == "" {
		f.Add("invoice_date", "required", "give the invoice's date as YYYY-MM-DD")
	}
	if len(c.Currency) != 3 || strings.IndexFunc(c.Currency, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		f.Add("currency", "invalid_currency", "give the currency as a three-letter ISO code such as EUR")
	}
	c.Lines, c.Amount = checkLines(&f, in.Lines)
	doc, data, err := checkDocument(&f, in.Document)
	if err != nil {
		return c, nil, err
	}
	c.Document = doc
	return c, data, f.Err()
}

func checkLines(f *errs.Fields, in []ClaimLine) ([]ClaimLine, int64) {
	if len(in) == 0 || len(in) > MaxLines {
		f.Add("lines", "count", "a claim lists between 1 and %d product lines", MaxLines)
		return nil, 0
	}
	out := make([]ClaimLine, len(in))
	var sum int64
	var c money.Checked
	for i, l := range in {
		p := fmt.Sprintf("lines[%d].", i)
		out[i] = ClaimLine{SKU: valid.Text(f, p+"sku", l.SKU, true, 100), Category: valid.Text(f, p+"category", l.Category, false, 100),
			Qty: l.Qty, UnitPrice: l.UnitPrice}
		switch {
		case l.Qty <= 0 || l.Qty > money.MaxQuantity:
			f.Add(p+"qty", "out_of_range", "qty must be between 1 and %d", money.MaxQuantity)
		case l.UnitPrice <= 0 || l.UnitPrice > money.MaxUnitPrice:
			f.Add(p+"unit_price", "out_of_range", "unit_price must be between 1 and %d minor units", money.MaxUnitPrice)
		case l.Qty > money.MaxAmount/l.UnitPrice:
			f.Add(p+"qty", "too_large", "qty × unit_price must be at most %d minor units", money.MaxAmount)
		default:
			c.Add(&sum, l.Qty*l.UnitPrice) // at most MaxAmount: checked above
		}
	}
	if c.Err() != nil || sum > money.MaxAmount {
		f.Add("lines", "total_too_large", "the lines' amounts (qty × unit_price) must add up to at most %d minor units", money.MaxAmount)
	}
	return out, sum
}

// invoiceKey normalizes an invoice number for duplicate detection: case and
// spaces do not make another invoice.
func invoiceKey(n string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, n)
}
