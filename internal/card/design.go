package card

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg" // logos may be uploaded as JPEG; they are stored as PNG
	"image/png"
	"regexp"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Fields a card design may show, in the order a design lists them.
const (
	FieldBalance  = "balance"  // points or cashback available
	FieldPending  = "pending"  // points not yet spendable
	FieldExpiry   = "expiry"   // the next expiry and its points
	FieldTier     = "tier"     // the level
	FieldProgress = "progress" // what is left to the next level
	FieldDiscount = "discount" // the discount rate and its next step
	FieldStamps   = "stamps"   // n of N
	FieldCoupons  = "coupons"  // coupons to use
)

// DesignFields lists them.
var DesignFields = []string{FieldBalance, FieldPending, FieldExpiry, FieldTier, FieldProgress, FieldDiscount, FieldStamps, FieldCoupons}

// Design is a program's card design: the brand's colours, title, logo and
// the fields its cards show.
type Design struct {
	ProgramID   string    `json:"program_id"`
	Title       string    `json:"title" doc:"Shown beside the logo; the program's name by default"`
	Description string    `json:"description" doc:"What the card is, for screen readers and the wallet's lists"`
	Background  string    `json:"background" doc:"#rrggbb"`
	Foreground  string    `json:"foreground" doc:"#rrggbb: values"`
	Label       string    `json:"label" doc:"#rrggbb: field labels"`
	Fields      []string  `json:"fields" doc:"Fields shown, in order: balance, pending, expiry, tier, progress, discount, stamps, coupons"`
	HasLogo     bool      `json:"has_logo"`
	Logo        []byte    `json:"-"` // PNG
	UpdatedAt   time.Time `json:"updated_at"`
}

// DefaultDesign is the design of a program that has none yet.
func DefaultDesign(programID, name string) Design {
	return Design{ProgramID: programID, Title: name, Description: name, Background: "#1f3a5f", Foreground: "#ffffff", Label: "#c9d6e8",
		Fields: slices.Clone(DesignFields)}
}

// Limits of a logo.
const (
	MaxLogoBytes = 512 << 10
	MaxLogoSide  = 1024
)

var colour = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// DesignTx is what designs need from storage (part of Tx).
type DesignTx interface {
	// GetDesign reads a program's design (NotFound when it has none).
	GetDesign(ctx context.Context, tenantID, programID string) (Design, error)
	PutDesign(ctx context.Context, tenantID string, d Design) error
}

// DesignOf returns a program's design, or its default.
func (s *Service) DesignOf(ctx context.Context, p access.Principal, programID string) (Design, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Design{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Design, error) { return designOf(ctx, tx, p.TenantID, programID) })
}

func designOf(ctx context.Context, tx Tx, tenantID, programID string) (Design, error) {
	pr, err := tx.GetProgram(ctx, tenantID, programID)
	if err != nil {
		return Design{}, err
	}
	d, err := tx.GetDesign(ctx, tenantID, pr.ID)
	if errs.Is(err, errs.NotFound) {
		return DefaultDesign(pr.ID, pr.Name), nil
	}
	return d, err
}

// PutDesign sets a program's design. A nil logo keeps the current one;
// an empty one removes it.
func (s *Service) PutDesign(ctx context.Context, p access.Principal, d Design) (Design, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Design{}, err
	}
	if err := checkDesign(&d); err != nil {
		return Design{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Design, error) {
		old, err := designOf(ctx, tx, p.TenantID, d.ProgramID)
		if err != nil {
			return d, err
		}
		if d.Logo == nil {
			d.Logo = old.Logo
		}
		d.HasLogo, d.UpdatedAt = len(d.Logo) > 0, s.Clock.Now()
		if err := tx.PutDesign(ctx, p.TenantID, d); err != nil {
			return d, err
		}
		return d, audit.Record(ctx, tx, p, d.UpdatedAt, "card.design_set", "program", d.ProgramID, old, d)
	})
}

// checkDesign validates a design and turns its logo into PNG.
func checkDesign(d *Design) error {
	var f errs.Fields
	if n := len([]rune(d.Title)); n == 0 || n > 40 {
		f.Add("title", "invalid_length", "give a title of 1–40 characters")
	}
	if d.Description == "" {
		d.Description = d.Title
	}
	if len([]rune(d.Description)) > 200 {
		f.Add("description", "too_long", "keep the description within 200 characters")
	}
	for name, c := range map[string]string{"background": d.Background, "foreground": d.Foreground, "label": d.Label} {
		if !colour.MatchString(c) {
			f.Add(name, "invalid_colour", "give a colour as #rrggbb, e.g. #1f3a5f")
		}
	}
	for i, x := range d.Fields {
		if !slices.Contains(DesignFields, x) || slices.Index(d.Fields, x) != i {
			f.Add("fields", "invalid_choice", "fields are distinct values of %v; %q is not", DesignFields, x)
		}
	}
	if len(d.Logo) > 0 {
		logo, err := checkLogo(d.Logo)
		if err != nil {
			f.Add("logo", "invalid_image", "%s", err.Error())
		}
		d.Logo = logo
	}
	return f.Err()
}

// checkLogo accepts a PNG or JPEG image within the limits and returns it
// as PNG (the only format wallets take).
func checkLogo(b []byte) ([]byte, error) {
	if len(b) > MaxLogoBytes {
		return nil, errs.E(errs.Invalid, "too_large", "the logo is %d KB; the limit is %d KB", len(b)>>10, MaxLogoBytes>>10)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, errs.E(errs.Invalid, "not_an_image", "the logo is not a PNG or JPEG image")
	}
	if cfg.Width > MaxLogoSide || cfg.Height > MaxLogoSide || cfg.Width == 0 || cfg.Height == 0 {
		return nil, errs.E(errs.Invalid, "bad_size", "the logo is %d×%d pixels; at most %d on a side", cfg.Width, cfg.Height, MaxLogoSide)
	}
	img, _, err := image.Decode(bytes.NewReader(b)) // the whole image, not just its header
	if err != nil {
		return nil, errs.E(errs.Invalid, "not_an_image", "the logo could not be read as an image")
	}
	if format == "png" {
		return b, nil
	}
	var out bytes.Buffer
	err = png.Encode(&out, img)
	return out.Bytes(), err
}
